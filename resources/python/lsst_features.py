"""Fink VRA's `lsst` feature set (version ls1) of one Rubin/LSST alert, as `finkvra ingest` computes it
(core/surveys/lsst/features.ts, FEATURES.md beside it).

Per band b in u g r i z y: ndet_b, flux_median_b, flux_std_b (population), nforced_b, obj_flux_mean_b; then ndet,
nforced, reliability, extendedness, snr, gal_b, ebv. Detections are the triggering diaSource plus prvDiaSources (a
previous source with the alert's own diaSourceId counted once); fluxes are psfFlux in nJy, negative ones included.
Inputs are plain Python values (dicts, lists or numpy arrays of dicts, numpy scalars), so a Spark pandas UDF can hand
them over as they come.
"""
import math
import re

from fink_features import number
from sfd_healpix import icrs_to_galactic

BANDS = ["u", "g", "r", "i", "z", "y"]
PER_BAND = ["ndet", "flux_median", "flux_std", "nforced", "obj_flux_mean"]
PER_ALERT = ["ndet", "nforced", "reliability", "extendedness", "snr", "gal_b", "ebv"]
LSST_NAMES = [f"{f}_{b}" for f in PER_BAND for b in BANDS] + PER_ALERT
NAN = float("nan")
MAX_SAFE_INTEGER = 2**53 - 1
INTEGER_TEXT = re.compile(r"-?\d+")


class IdError(ValueError):
    """A 64-bit id that cannot be exact; the message is the reason only (the caller adds the file and field)."""


def exact_id(v):
    """A 64-bit id as an exact decimal string, or None (the app's toDecimalStrings): never through a float above 2^53."""
    if v is None:
        return None
    if isinstance(v, bool):
        raise IdError("a boolean is not an id")
    if isinstance(v, str):
        t = v.strip()
        if t == "":
            return None
        if not INTEGER_TEXT.fullmatch(t):
            raise IdError("text that is not an integer")
        return str(int(t))
    if isinstance(v, float):
        if not (v.is_integer() and abs(v) <= MAX_SAFE_INTEGER):
            raise IdError("stored as a floating-point number: ids above 2^53 are not exact")
        return str(int(v))
    try:
        return str(int(v.__index__()))  # int, numpy integers
    except (AttributeError, TypeError):
        pass
    if hasattr(v, "is_integer"):  # numpy floats
        return exact_id(float(v))
    raise IdError("not an integer")


def association_id(v):
    """diaObjectId / ssObjectId: Rubin writes 0, not null, where a source has no such association."""
    s = exact_id(v)
    return None if s == "0" else s


def _entries(values):
    """A list column's value for one alert (list, numpy array or None) as its entries; null entries are no source."""
    return [] if values is None else [p for p in values if isinstance(p, dict)]


def _sum(values):
    """Summed left to right, as the app's reduce (Python's sum() compensates from 3.12 on, numpy's is pairwise)."""
    s = 0.0
    for v in values:
        s += v
    return s


def population_std(values):
    mean = _sum(values) / len(values)
    return math.sqrt(_sum((v - mean) * (v - mean) for v in values) / len(values))


def median(values):
    s = sorted(values)
    n = len(s)
    return s[(n - 1) >> 1] if n % 2 == 1 else (s[n // 2 - 1] + s[n // 2]) / 2


def detection_fluxes(source, prv_sources):
    """psfFlux per band of the diaSource, then of the previous sources, in that order (the std sums in it)."""
    per_band = {b: [] for b in BANDS}

    def add(band, flux):
        if band in per_band and not math.isnan(flux):
            per_band[band].append(flux)

    own = exact_id(source.get("diaSourceId"))
    add(source.get("band"), number(source.get("psfFlux")))
    for p in _entries(prv_sources):
        # Fink's prvDiaSources may repeat the triggering source: counted once.
        if exact_id(p.get("diaSourceId")) != own:
            add(p.get("band"), number(p.get("psfFlux")))
    return per_band


def forced_counts(prv_forced):
    counts = {b: 0 for b in BANDS}
    for p in _entries(prv_forced):
        if p.get("band") in counts:
            counts[p.get("band")] += 1
    return counts


def lsst_alert_features(source, prv_sources, prv_forced, dia_object, *, dust):
    """
    The ls1 features of one alert, by name. `source`: the diaSource struct as a dict; `prv_sources`,
    `prv_forced`: prvDiaSources, prvDiaForcedSources (lists of dicts, or None); `dia_object`: the diaObject dict or
    None. `dust`: a sfd_healpix.HealpixMap, or None for ebv missing; required so that no caller forgets it.
    """
    fluxes = detection_fluxes(source, prv_sources)
    forced = forced_counts(prv_forced)
    obj = dia_object if isinstance(dia_object, dict) else {}
    out = {}
    for b in BANDS:
        f = fluxes[b]
        out[f"ndet_{b}"] = float(len(f))
        out[f"flux_median_{b}"] = median(f) if f else NAN
        out[f"flux_std_{b}"] = population_std(f) if f else NAN
        out[f"nforced_{b}"] = float(forced[b])
        out[f"obj_flux_mean_{b}"] = number(obj.get(f"{b}_psfFluxMean"))
    out["ndet"] = float(sum(len(f) for f in fluxes.values()))
    out["nforced"] = float(sum(forced.values()))
    for name in ("reliability", "extendedness", "snr"):
        out[name] = number(source.get(name))
    ra, dec = number(source.get("ra")), number(source.get("dec"))
    finite = math.isfinite(ra) and math.isfinite(dec)
    # An infinite coordinate gives NaN in the app's trigonometry; Python's math.cos would raise instead.
    out["gal_b"] = icrs_to_galactic(ra, dec)[1] if finite else NAN
    out["ebv"] = dust.ebv(ra, dec) if dust is not None and finite else NAN
    return {name: out[name] for name in LSST_NAMES}
