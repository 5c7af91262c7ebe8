#!/usr/bin/env python3
"""Score Fink ZTF alert parquet files with a model exported by `finkvra train --onnx`.

It computes the app's feature set fs1 from the parquet columns the way `finkvra ingest` does, runs the ONNX model
with onnxruntime and writes the same CSV as `finkvra score`:
candid, objectId, night, p_<class>..., predicted.

Two features are not computed here (they need data outside the alert) and are left missing (NaN), which the trees
route as they learnt to route missing values:
- ebv: the SFD dust map lookup (unless the model was trained on a store ingested without a dust map, the app's
  own scores will differ for alerts whose trees use ebv);
- sep_arcsec: taken from the file's `sep_arcsec` column when there is one; Lasair's Sherlock service is not queried.

Usage: score_fink.py --model model.onnx [--out scores.csv] [--night YYYY-MM-DD] file.parquet [more.parquet ...]
Requires: onnxruntime, pyarrow, numpy.
"""
import argparse
import csv
import datetime as dt
import json
import math
import numbers
import sys

import numpy as np
import onnxruntime as ort
import pyarrow.parquet as pq

FEATURE_SET = "fs1"
SURVEY = "ztf"
LC_FEATURES = [
    "amplitude",
    "linear_fit_reduced_chi2",
    "linear_fit_slope",
    "linear_fit_slope_sigma",
    "median",
    "median_absolute_deviation",
]
NAN = float("nan")
JD_UNIX_EPOCH = 2440587.5


def number(v):
    """A column value as a float: None, non-numbers and text that is not a finite number are NaN (as the app)."""
    if v is None:
        return NAN
    if isinstance(v, numbers.Real):  # also numpy scalars (a Spark pandas UDF hands those)
        return float(v)
    if isinstance(v, str):
        try:
            x = float(v.strip())
        except ValueError:
            return NAN
        return x if math.isfinite(x) else NAN
    return NAN


def diffpos(v):
    """isdiffpos ('t'/'f', older alerts '1'/'0') as 1 positive, -1 negative, 0 null."""
    if not v:
        return 0
    c = str(v)[0]
    if c in "tT1":
        return 1
    if c in "fF0":
        return -1
    return 0


def light_curve_stats(candidate, prv):
    """ndets, nnondets, dets_median, dets_std over the history then the current epoch (core/features/lightcurve.ts)."""
    points = []
    # `prv` may be a list, a numpy array (pandas UDF) or None.
    for p in prv if prv is not None else []:
        # A null element, or one without an epoch or band, is no light-curve point.
        if p is None or p.get("jd") is None or p.get("fid") is None:
            continue
        points.append((number(p.get("magpsf")), diffpos(p.get("isdiffpos")), False))
    points.append((number(candidate.get("magpsf")), diffpos(candidate.get("isdiffpos")), True))
    ndets = nnondets = 0
    mags = []
    for mag, dp, current in points:
        missing = math.isnan(mag)
        if missing and not current:
            nnondets += 1
        if dp == 1:
            ndets += 1
            if not missing:
                mags.append(mag)
    if not mags:
        return ndets, nnondets, NAN, NAN
    # Summed in order, two passes: the same arithmetic as the app, so values agree to the last bit.
    s = 0.0
    for m in mags:
        s += m
    mean = s / len(mags)
    ss = 0.0
    for m in mags:
        ss += (m - mean) * (m - mean)
    std = math.sqrt(ss / len(mags))
    mags.sort()
    k = len(mags)
    median = mags[k // 2] if k % 2 else 0.5 * (mags[k // 2 - 1] + mags[k // 2])
    return ndets, nnondets, median, std


def lc_values(struct, band):
    if struct is None:
        return {f"{f}_{band}": NAN for f in LC_FEATURES}
    return {f"{f}_{band}": number(struct.get(f)) for f in LC_FEATURES}


def alert_features(candidate, prv, sep_arcsec=None, lc_g=None, lc_r=None):
    """fs1 features of one alert, by name. Inputs are the parquet row's values as Python objects (dicts, lists)."""
    ndets, nnondets, median, std = light_curve_stats(candidate, prv)
    out = {
        "ra": number(candidate.get("ra")),
        "dec": number(candidate.get("dec")),
        "drb": number(candidate.get("drb")),
        "ndets": float(ndets),
        "nnondets": float(nnondets),
        "dets_median": median,
        "dets_std": std,
        "sep_arcsec": number(sep_arcsec),
        "ebv": NAN,
    }
    out.update(lc_values(lc_g, "g"))
    out.update(lc_values(lc_r, "r"))
    return out


def night_of(jd):
    """The UTC date of the epoch (the app's jdToNight; milliseconds truncated as JavaScript's Date does)."""
    ms = math.trunc((jd - JD_UNIX_EPOCH) * 86_400_000)
    return (dt.datetime(1970, 1, 1) + dt.timedelta(milliseconds=ms)).strftime("%Y-%m-%d")


class Model:
    """An exported finkvra model: its session and metadata, checked against what this script can compute."""

    def __init__(self, path):
        self.session = ort.InferenceSession(path, providers=["CPUExecutionProvider"])
        meta = self.session.get_modelmeta().custom_metadata_map
        missing = [k for k in ("finkvra.feature_set", "finkvra.feature_names", "finkvra.class_names", "finkvra.survey") if k not in meta]
        if missing:
            raise SystemExit(f"{path}: metadata field {missing[0]} is missing (not a finkvra export?)")
        if meta["finkvra.survey"] != SURVEY:
            raise SystemExit(f"{path}: field finkvra.survey: the model is not for {SURVEY} alerts")
        if meta["finkvra.feature_set"] != FEATURE_SET:
            raise SystemExit(f"{path}: field finkvra.feature_set: this script computes feature set {FEATURE_SET} only")
        self.feature_names = json.loads(meta["finkvra.feature_names"])
        self.class_names = json.loads(meta["finkvra.class_names"])

    def proba(self, X):
        if len(X) == 0:
            return np.zeros((0, len(self.class_names)))
        _, p = self.session.run(["label", "probabilities"], {"features": np.asarray(X, dtype=np.float64)})
        return np.asarray(p, dtype=np.float64)


def read_alerts(paths, night=None):
    """(candid, objectId, night, features by name) per alert of the files, the first copy of a repeated candid."""
    seen = set()
    for path in paths:
        wanted = ("candid", "objectId", "candidate", "prv_candidates", "sep_arcsec", "lc_features_g", "lc_features_r")
        present = [n for n in wanted if n in set(pq.read_schema(path).names)]
        # Only these columns: the cutouts are most of a file's bytes.
        table = pq.read_table(path, columns=present)
        cols = {n: table.column(n).to_pylist() for n in present}
        if "candidate" not in cols or "objectId" not in cols:
            raise SystemExit(f"{path}: column candidate/objectId is missing (not a ZTF alert file?)")
        for i, cand in enumerate(cols["candidate"]):
            candid = cols["candid"][i] if "candid" in cols else cand.get("candid")
            key = str(candid)
            if key in seen:
                continue
            seen.add(key)
            n = night_of(number(cand.get("jd")))
            if night and n != night:
                continue
            get = lambda c: cols[c][i] if c in cols else None  # noqa: E731
            feats = alert_features(cand, get("prv_candidates"), get("sep_arcsec"), get("lc_features_g"), get("lc_features_r"))
            yield key, cols["objectId"][i], n, feats


def score(model, paths, out, night=None):
    rows = list(read_alerts(paths, night))
    X = [[f[name] for name in model.feature_names] for _, _, _, f in rows]
    P = model.proba(X)
    with open(out, "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["candid", "objectId", "night"] + ["p_" + "_".join(c.split()) for c in model.class_names] + ["predicted"])
        for (candid, oid, n, _), p in zip(rows, P):
            w.writerow([candid, oid, n] + [repr(float(v)) for v in p] + [model.class_names[int(np.argmax(p))]])
    return len(rows)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--model", required=True, help="model.onnx from `finkvra train --onnx`")
    ap.add_argument("--out", default="scores.csv")
    ap.add_argument("--night", help="only alerts of this UTC night (YYYY-MM-DD)")
    ap.add_argument("files", nargs="+", help="Fink ZTF parquet files")
    a = ap.parse_args(argv)
    n = score(Model(a.model), a.files, a.out, a.night)
    print(f"scored {n} alerts -> {a.out}")


if __name__ == "__main__":
    sys.exit(main())
