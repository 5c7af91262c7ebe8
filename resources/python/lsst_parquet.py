"""Fink LSST alert parquet (schema 7.x, 8.0/9.0, 10.0) -> one (candid, objectId, night, ls1 features) per alert, read
as the app reads it (core/surveys/lsst/read.ts, columns.ts, rows.ts, night.ts).

Fields are chosen by name from what the file has; a field a version lacks reads as null. Only the fields the features
need are turned into Python values (the cutouts and the ~100 other diaSource fields are never converted). 64-bit ids
are read as int64 and kept as exact decimal strings.
"""
import datetime as dt
import math

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from fink_features import number
from lsst_features import BANDS, IdError, association_id, exact_id, lsst_alert_features

# What the app requires of diaSource to read a file as LSST alerts (core/surveys/lsst/schema.ts).
REQUIRED_SOURCE_FIELDS = ["diaSourceId", "midpointMjdTai", "ra", "dec", "band", "psfFlux"]
SOURCE_FIELDS = REQUIRED_SOURCE_FIELDS + ["diaObjectId", "ssObjectId", "reliability", "extendedness", "snr"]
HISTORY_FIELDS = ["diaSourceId", "band", "psfFlux"]
FORCED_FIELDS = ["band"]
OBJECT_FIELDS = [f"{b}_psfFluxMean" for b in BANDS]
COLUMNS = ["diaSource", "prvDiaSources", "prvDiaForcedSources", "diaObject"]
MJD_UNIX_EPOCH = 40587
DAY_MS = 86_400_000


class LsstFileError(SystemExit):
    """A file that cannot be read as LSST alerts: the message names the file, the field and the reason."""

    def __init__(self, path, field, reason):
        super().__init__(f"{path}: field {field}: {reason}")


def lsst_night(mjd):
    """Rubin's dayObs (the date at UTC-12h) of an MJD, as the app's lsstNight (milliseconds truncated as Date does)."""
    ms = math.trunc((mjd - MJD_UNIX_EPOCH) * DAY_MS - DAY_MS / 2)
    return (dt.datetime(1970, 1, 1) + dt.timedelta(milliseconds=ms)).strftime("%Y-%m-%d")


def lsst_object_id(dia_object_id, ss_object_id, candid):
    """The store's object: the diaObject, else the solar-system object, else the source alone (rows.ts)."""
    if dia_object_id is not None:
        return dia_object_id
    return f"ss:{ss_object_id}" if ss_object_id is not None else f"src:{candid}"


def _struct_fields(t):
    return [t.field(k).name for k in range(t.num_fields)] if pa.types.is_struct(t) else []


def check_lsst_schema(path, schema):
    """Refuses a file that is not LSST alerts, naming the first missing field (and a ZTF file as such)."""
    ztf = " (a ZTF alert file: it has candidate); the model scores Rubin/LSST alerts" if "candidate" in schema.names else ""
    if "diaSource" not in schema.names:
        raise LsstFileError(path, "diaSource", f"missing: not a Fink LSST alert file{ztf}")
    have = _struct_fields(schema.field("diaSource").type)
    missing = [f for f in REQUIRED_SOURCE_FIELDS if f not in have]
    if missing:
        raise LsstFileError(path, f"diaSource.{missing[0]}", f"missing: not a Fink LSST alert file{ztf}")


def _project(arr, names):
    """A struct array's wanted fields (those present) as Python dicts; None where the struct is null."""
    present = [n for n in names if n in _struct_fields(arr.type)]
    if not present:
        return [None if null else {} for null in arr.is_null().to_pylist()]
    children = [pc.struct_field(arr, n) for n in present]
    return pa.StructArray.from_arrays(children, names=present, mask=arr.is_null()).to_pylist()


def _project_lists(arr, names, length):
    """A list<struct> column's entries per alert as lists of dicts; a null list, or one of no struct, is empty."""
    if arr is None or not (pa.types.is_list(arr.type) or pa.types.is_large_list(arr.type)) or not pa.types.is_struct(arr.type.value_type):
        return [[] for _ in range(length)]
    lengths = pc.fill_null(pc.list_value_length(arr), 0).to_numpy(zero_copy_only=False)
    offsets = np.concatenate([[0], np.cumsum(lengths)])
    entries = _project(arr.flatten(), names)  # flatten() leaves out null lists, as their length 0 does
    return [entries[offsets[i] : offsets[i + 1]] for i in range(length)]


def _column(batch, name):
    i = batch.schema.get_field_index(name)
    return None if i < 0 else batch.column(i)


def _id(path, field, row, v, rule=exact_id):
    try:
        return rule(v)
    except IdError as e:
        raise LsstFileError(path, field, f"row {row}: {e}") from None


def _alert_ids(path, row, source):
    """(candid, objectId) of one alert; a missing diaSourceId names its row."""
    candid = _id(path, "diaSource.diaSourceId", row, source.get("diaSourceId"))
    if candid is None:
        raise LsstFileError(path, "diaSource.diaSourceId", f"null at row {row}")
    dia = _id(path, "diaSource.diaObjectId", row, source.get("diaObjectId"), association_id)
    ss = _id(path, "diaSource.ssObjectId", row, source.get("ssObjectId"), association_id)
    return candid, lsst_object_id(dia, ss, candid)


def _history_ids_checked(path, row, prv):
    for p in prv:
        if isinstance(p, dict):
            _id(path, "prvDiaSources.diaSourceId", row, p.get("diaSourceId"))


def read_lsst_file(path, *, dust, seen, night=None, batch_size=10_000):
    """(candid, objectId, night, features) per alert of one file; `seen` holds the candids already read (kept first)."""
    try:
        pf = pq.ParquetFile(path)
    except (OSError, pa.ArrowInvalid):
        raise SystemExit(f"{path}: not a readable parquet file") from None
    schema = pf.schema_arrow
    check_lsst_schema(path, schema)
    columns = [c for c in COLUMNS if c in schema.names]
    row = 0
    for batch in pf.iter_batches(batch_size=batch_size, columns=columns):
        n = batch.num_rows
        sources = _project(_column(batch, "diaSource"), SOURCE_FIELDS)
        prv = _project_lists(_column(batch, "prvDiaSources"), HISTORY_FIELDS, n)
        forced = _project_lists(_column(batch, "prvDiaForcedSources"), FORCED_FIELDS, n)
        obj_col = _column(batch, "diaObject")
        objects = _project(obj_col, OBJECT_FIELDS) if obj_col is not None and pa.types.is_struct(obj_col.type) else [None] * n
        for i in range(n):
            source = sources[i] or {}
            candid, object_id = _alert_ids(path, row + i, source)
            _history_ids_checked(path, row + i, prv[i])
            if candid in seen:
                continue
            seen.add(candid)
            mjd = number(source.get("midpointMjdTai"))
            if not math.isfinite(mjd):
                raise LsstFileError(path, "diaSource.midpointMjdTai", f"not a number at row {row + i}")
            d = lsst_night(mjd)
            if night and d != night:
                continue
            yield candid, object_id, d, lsst_alert_features(source, prv[i], forced[i], objects[i], dust=dust)
        row += n


def read_lsst_alerts(paths, night=None, *, dust):
    """Every file's alerts in turn, the first copy of a repeated diaSourceId (as the ingest keeps the first)."""
    seen = set()
    for path in paths:
        yield from read_lsst_file(path, dust=dust, seen=seen, night=night)
