"""Fink VRA's feature sets of one ZTF alert, computed from the parquet row's values as `finkvra ingest` does.

- fs1 (`seed`, core/features/build.ts, lightcurve.ts): position, drb, light-curve counts and stats, sep_arcsec, the
  Fink light-curve features of both bands, ebv (from a HEALPix SFD map, sfd_healpix.py).
- fx1 (`extended`, core/features/extended.ts): fs1 plus gal_b, the candidate's neighbour fields, g-r colour and the
  rise and fade rates per band.
Inputs are plain Python values (dicts, lists, numpy scalars), so a Spark pandas UDF can hand them over as they come.
"""
import math
import numbers

from sfd_healpix import icrs_to_galactic

LC_FEATURES = [
    "amplitude",
    "linear_fit_reduced_chi2",
    "linear_fit_slope",
    "linear_fit_slope_sigma",
    "median",
    "median_absolute_deviation",
]
SEED_NAMES = (
    ["ra", "dec", "drb", "ndets", "nnondets", "dets_median", "dets_std", "sep_arcsec"]
    + [f"{f}_g" for f in LC_FEATURES]
    + [f"{f}_r" for f in LC_FEATURES]
    + ["ebv"]
)
CONTEXT_FIELDS = ["sgscore1", "distpsnr1", "distnr", "magnr", "neargaia", "maggaia"]
EXTENDED_NAMES = SEED_NAMES + ["gal_b"] + CONTEXT_FIELDS + ["g_minus_r", "rise_rate_g", "fade_rate_g", "rise_rate_r", "fade_rate_r"]
# Feature-set version (the models' finkvra.feature_set) -> the features it may use.
FEATURE_SETS = {"fs1": SEED_NAMES, "fx1": EXTENDED_NAMES}

COLOUR_MAX_GAP_DAYS = 1
RATE_MIN_BASELINE_DAYS = 0.5
NAN = float("nan")


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


def ztf_value(v):
    """ZTF writes -999 (sometimes -99) where a field has no value: missing, as the app's ztfValue."""
    x = number(v)
    return x if math.isfinite(x) and x > -99 else NAN


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


def light_curve(candidate, prv):
    """(jd, fid, mag, isdiffpos, current) per epoch: the history, then the alert itself (core/features/packed-lc.ts)."""
    points = []
    # `prv` may be a list, a numpy array (pandas UDF) or None.
    for p in prv if prv is not None else []:
        # A null element, or one without an epoch or band, is no light-curve point.
        if p is None or p.get("jd") is None or p.get("fid") is None:
            continue
        points.append((number(p["jd"]), number(p["fid"]), number(p.get("magpsf")), diffpos(p.get("isdiffpos")), False))
    c = candidate
    points.append((number(c.get("jd")), number(c.get("fid")), number(c.get("magpsf")), diffpos(c.get("isdiffpos")), True))
    return points


def light_curve_stats(points):
    """ndets, nnondets, dets_median, dets_std over the epochs (core/features/lightcurve.ts)."""
    ndets = nnondets = 0
    mags = []
    for _, _, mag, dp, current in points:
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


def detections(points, fid):
    """Positive detections of one band with a magnitude, as (jd, mag) sorted by jd (a stable sort, as the app's)."""
    return sorted(((jd, mag) for jd, f, mag, dp, _ in points if f == fid and dp == 1 and not math.isnan(mag)), key=lambda d: d[0])


def rise_fade(dets):
    """(rise, fade) in mag/day around the brightest detection; NaN when that baseline is under half a day."""
    if len(dets) < 2:
        return NAN, NAN
    peak = 0
    for i in range(1, len(dets)):
        if dets[i][1] < dets[peak][1]:
            peak = i
    (jd_peak, mag_peak), (jd_first, mag_first), (jd_last, mag_last) = dets[peak], dets[0], dets[-1]
    rise = (mag_first - mag_peak) / (jd_peak - jd_first) if jd_peak - jd_first >= RATE_MIN_BASELINE_DAYS else NAN
    fade = (mag_last - mag_peak) / (jd_last - jd_peak) if jd_last - jd_peak >= RATE_MIN_BASELINE_DAYS else NAN
    return rise, fade


def colour_g_r(g, r):
    """magpsf of the latest g detection minus the latest r one, when at most a day apart."""
    if not g or not r:
        return NAN
    (jd_g, mag_g), (jd_r, mag_r) = g[-1], r[-1]
    return mag_g - mag_r if abs(jd_g - jd_r) <= COLOUR_MAX_GAP_DAYS else NAN


def lc_values(struct, band):
    if struct is None:
        return {f"{f}_{band}": NAN for f in LC_FEATURES}
    return {f"{f}_{band}": number(struct.get(f)) for f in LC_FEATURES}


def alert_features(candidate, prv, sep_arcsec=None, lc_g=None, lc_r=None, *, dust):
    """
    Every feature of both sets for one alert, by name. `dust`: a sfd_healpix.HealpixMap, or None for ebv missing;
    required, so that no caller leaves ebv missing by forgetting it (the app computes it by default).
    """
    points = light_curve(candidate, prv)
    ndets, nnondets, median, std = light_curve_stats(points)
    ra, dec = number(candidate.get("ra")), number(candidate.get("dec"))
    out = {
        "ra": ra,
        "dec": dec,
        "drb": number(candidate.get("drb")),
        "ndets": float(ndets),
        "nnondets": float(nnondets),
        "dets_median": median,
        "dets_std": std,
        "sep_arcsec": number(sep_arcsec),
    }
    out.update(lc_values(lc_g, "g"))
    out.update(lc_values(lc_r, "r"))
    out["ebv"] = dust.ebv(ra, dec) if dust is not None else NAN
    out["gal_b"] = icrs_to_galactic(ra, dec)[1]
    out.update({f: ztf_value(candidate.get(f)) for f in CONTEXT_FIELDS})
    g, r = detections(points, 1), detections(points, 2)
    out["g_minus_r"] = colour_g_r(g, r)
    out["rise_rate_g"], out["fade_rate_g"] = rise_fade(g)
    out["rise_rate_r"], out["fade_rate_r"] = rise_fade(r)
    return out
