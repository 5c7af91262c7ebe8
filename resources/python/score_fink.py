#!/usr/bin/env python3
"""Score Fink alert parquet files (ZTF, or Rubin/LSST) with a model exported by `finkvra train --onnx`.

It computes the model's feature set (fs1 `seed` or fx1 `extended` for ZTF, ls1 `lsst` for Rubin/LSST, read from the
ONNX metadata) from the parquet columns the way `finkvra ingest` does, runs the model with onnxruntime and writes the
same CSV as `finkvra score`: candid, objectId, night, p_<class>..., predicted. For LSST, candid is the diaSourceId
and night is Rubin's dayObs; a file of the other survey than the model's is refused.

ebv comes from a HEALPix SFD map: by default the one the app bundles and uses by default (resources/dust), or the
map given with --dust (`--dust none`: ebv missing). A model whose metadata records its dust map (finkvra.dust_map)
is refused with another map; when the metadata does not say, the script prints which map it used.
sep_arcsec is taken from the file's `sep_arcsec` column when there is one; Lasair's Sherlock service is not queried.

Usage: score_fink.py --model model.onnx [--out scores.csv] [--night YYYY-MM-DD] [--dust MAP|none] file.parquet ...
Requires: onnxruntime, pyarrow, numpy. The modules fink_features.py, lsst_features.py, lsst_parquet.py and
sfd_healpix.py sit beside this script.
"""
import argparse
import csv
import datetime as dt
import hashlib
import json
import math
import os
import re
import sys

import numpy as np
import onnxruntime as ort
import pyarrow.parquet as pq

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fink_features import FEATURE_SETS as ZTF_FEATURE_SETS, alert_features, number  # noqa: E402
from lsst_features import LSST_NAMES  # noqa: E402
from lsst_parquet import read_lsst_alerts  # noqa: E402
from sfd_healpix import DustMapError, HealpixMap  # noqa: E402

# Feature-set version (the models' finkvra.feature_set) -> the features it may use, and the survey it is of.
FEATURE_SETS = {**ZTF_FEATURE_SETS, "ls1": LSST_NAMES}
SET_SURVEY = {"fs1": "ztf", "fx1": "ztf", "ls1": "lsst"}
JD_UNIX_EPOCH = 2440587.5
BUNDLED_DUST = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "dust", "dust_ebv_SFD_healpix_lowres.fits")


def night_of(jd):
    """The UTC date of the epoch (the app's jdToNight; milliseconds truncated as JavaScript's Date does)."""
    ms = math.trunc((jd - JD_UNIX_EPOCH) * 86_400_000)
    return (dt.datetime(1970, 1, 1) + dt.timedelta(milliseconds=ms)).strftime("%Y-%m-%d")


def shown(v, longest=32):
    """A value read from a model file, shown only when it is a plain short identifier (errors never quote content)."""
    return v if isinstance(v, str) and re.fullmatch(r"[\w.:-]{1,%d}" % longest, v) else "an unreadable value"


def json_list(meta, key, path):
    try:
        v = json.loads(meta[key])
    except ValueError:
        v = None
    if not isinstance(v, list) or not all(isinstance(x, str) for x in v):
        raise SystemExit(f"{path}: field {key} is not a JSON list of names")
    return v


class Model:
    """An exported finkvra model: its session and metadata, checked against what this script can compute."""

    def __init__(self, path):
        self.session = ort.InferenceSession(path, providers=["CPUExecutionProvider"])
        meta = self.session.get_modelmeta().custom_metadata_map
        missing = [k for k in ("finkvra.feature_set", "finkvra.feature_names", "finkvra.class_names", "finkvra.survey") if k not in meta]
        if missing:
            raise SystemExit(f"{path}: metadata field {missing[0]} is missing (not a finkvra export?)")
        self.feature_set = meta["finkvra.feature_set"]
        if self.feature_set not in FEATURE_SETS:
            raise SystemExit(f"{path}: field finkvra.feature_set: this script computes feature sets {', '.join(FEATURE_SETS)} only")
        self.survey = SET_SURVEY[self.feature_set]
        if meta["finkvra.survey"] != self.survey:
            raise SystemExit(
                f"{path}: field finkvra.survey: feature set {self.feature_set} is of {self.survey} alerts, the metadata names {shown(meta['finkvra.survey'])}"
            )
        self.feature_names = json_list(meta, "finkvra.feature_names", path)
        known = set(FEATURE_SETS[self.feature_set])
        unknown = [k for k, n in enumerate(self.feature_names) if n not in known]
        if unknown:
            k = unknown[0]
            raise SystemExit(
                f"{path}: field finkvra.feature_names: feature {k + 1} ({shown(self.feature_names[k])}) is not one of feature set {self.feature_set}'s"
            )
        self.class_names = json_list(meta, "finkvra.class_names", path)
        # Which map the model's ebv came from, when its metadata says: 'none' or 'sha256:<hex>' of a HEALPix map file.
        self.dust_map = meta.get("finkvra.dust_map")

    def proba(self, X):
        if len(X) == 0:
            return np.zeros((0, len(self.class_names)))
        _, p = self.session.run(["label", "probabilities"], {"features": np.asarray(X, dtype=np.float64)})
        return np.asarray(p, dtype=np.float64)


def sha256_of(path):
    with open(path, "rb") as fh:
        return hashlib.sha256(fh.read()).hexdigest()


def dust_for(model, model_path, option):
    """The map to compute ebv with (None: ebv missing) and a line saying which, checked against the model's record."""
    path = None if option == "none" else (option or os.path.normpath(BUNDLED_DUST))
    try:
        dust = HealpixMap(path) if path else None
    except DustMapError as e:
        raise SystemExit(str(e)) from None
    recorded = model.dust_map
    if recorded is not None:
        used = "none" if path is None else f"sha256:{sha256_of(path)}"
        if used != recorded:
            raise SystemExit(f"{model_path}: field finkvra.dust_map: the model was trained with dust map {shown(recorded, 80)}, not {used} ({path or '--dust none'})")
    what = "ebv missing (--dust none)" if dust is None else f"ebv from {path} (HEALPix NSIDE {dust.nside})"
    said = "as the model's metadata records" if recorded is not None else "the model's metadata does not record its dust map"
    return dust, f"{what}: {said}"


def read_alerts(paths, night=None, *, dust):
    """
    (candid, objectId, night, features by name) per alert of the files, the first copy of a repeated candid.
    `dust`: the HealpixMap for ebv (HealpixMap(BUNDLED_DUST) as the app by default), or None for ebv missing.
    """
    seen = set()
    for path in paths:
        wanted = ("candid", "objectId", "candidate", "prv_candidates", "sep_arcsec", "lc_features_g", "lc_features_r")
        present = [n for n in wanted if n in set(pq.read_schema(path).names)]
        # Only these columns: the cutouts are most of a file's bytes.
        table = pq.read_table(path, columns=present)
        cols = {n: table.column(n).to_pylist() for n in present}
        if "candidate" not in cols or "objectId" not in cols:
            lsst = "diaSource" in pq.read_schema(path).names
            why = " (a Rubin/LSST alert file: it has diaSource); the model scores ZTF alerts" if lsst else " (not a ZTF alert file?)"
            raise SystemExit(f"{path}: column candidate/objectId is missing{why}")
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
            feats = alert_features(cand, get("prv_candidates"), get("sep_arcsec"), get("lc_features_g"), get("lc_features_r"), dust=dust)
            yield key, cols["objectId"][i], n, feats


def alerts_for(model, paths, night=None, *, dust):
    """The alerts of the files as the model's survey reads them."""
    read = read_lsst_alerts if model.survey == "lsst" else read_alerts
    return read(paths, night, dust=dust)


def score(model, paths, out, night=None, *, dust):
    rows = list(alerts_for(model, paths, night, dust=dust))
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
    ap.add_argument("--night", help="only alerts of this night (YYYY-MM-DD: the UTC date for ZTF, Rubin's dayObs for LSST)")
    ap.add_argument("--dust", help="HEALPix SFD map for ebv (default: the app's bundled map), or 'none'")
    ap.add_argument("files", nargs="+", help="Fink parquet files of the model's survey (ZTF or Rubin/LSST)")
    a = ap.parse_args(argv)
    model = Model(a.model)
    dust, said = dust_for(model, a.model, a.dust)
    print(said)
    n = score(model, a.files, a.out, a.night, dust=dust)
    print(f"scored {n} alerts ({model.feature_set}) -> {a.out}")


if __name__ == "__main__":
    sys.exit(main())
