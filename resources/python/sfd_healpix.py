"""E(B-V) from a HEALPix SFD dust map, computed as Fink VRA's ingest does (core/features/dust.ts, healpix.ts, coords.ts).

- The map: a FITS BINTABLE (column I, else the first), RING ordering, Galactic frame unless COORDSYS says celestial.
- The position: ICRS (ra, dec) rotated to Galactic with the app's matrix (astropy's definition).
- The value: bilinear interpolation over 4 pixels, as healpy's get_interp_val (Healpix_cxx get_interpol).

The arithmetic follows the app's step by step (same operations in the same order), so the values agree with the
store's to the last bit or within an ulp (the libraries' sin/cos/atan2 may round differently). Needs numpy only.
"""
import gzip
import math
import os
import zlib

import numpy as np

BLOCK = 2880
CARD = 80
TWO_PI = 2 * math.pi
HALF_PI = math.pi / 2
DEG = math.pi / 180
MAS = DEG / 3_600_000


class DustMapError(Exception):
    """A map that cannot be used: the message names the file and the reason."""

    def __init__(self, path, reason):
        super().__init__(f"dust map {path}: {reason}")


# --- ICRS -> Galactic (core/features/coords.ts) ---------------------------------------------------------------------


def _mul(a, b):
    return [[a[i][0] * b[0][j] + a[i][1] * b[1][j] + a[i][2] * b[2][j] for j in range(3)] for i in range(3)]


def _rx(a):
    s, c = math.sin(a), math.cos(a)
    return [[1, 0, 0], [0, c, s], [0, -s, c]]


def _ry(a):
    s, c = math.sin(a), math.cos(a)
    return [[c, 0, -s], [0, 1, 0], [s, 0, c]]


def _rz(a):
    s, c = math.sin(a), math.cos(a)
    return [[c, s, 0], [-s, c, 0], [0, 0, 1]]


# ICRS -> FK5 J2000 frame bias, then the IAU 1958 Galactic system in FK5 J2000 (the constants of coords.ts).
ICRS_TO_GALACTIC = _mul(
    _mul(_mul(_rz(math.pi - 122.9319185680026 * DEG), _ry(math.pi / 2 - 27.12825118085622 * DEG)), _rz(192.8594812065348 * DEG)),
    _mul(_mul(_rx(19.9 * MAS), _ry(9.1 * MAS)), _rz(-22.9 * MAS)),
)


def _hypot(x, y):
    """Math.hypot as V8 computes it (scaled, Kahan-summed squares), so latitudes round as the app's do."""
    m = max(abs(x), abs(y))
    if m == 0:
        return 0.0
    total = comp = 0.0
    for v in (x, y):
        n = abs(v) / m
        summand = n * n - comp
        prelim = total + summand
        comp = (prelim - total) - summand
        total = prelim
    return math.sqrt(total) * m


def icrs_to_galactic(ra_deg, dec_deg):
    """Galactic (l, b) in degrees, l in [0, 360)."""
    ra, dec = ra_deg * DEG, dec_deg * DEG
    cd = math.cos(dec)
    x, y, z = cd * math.cos(ra), cd * math.sin(ra), math.sin(dec)
    M = ICRS_TO_GALACTIC
    gx = M[0][0] * x + M[0][1] * y + M[0][2] * z
    gy = M[1][0] * x + M[1][1] * y + M[1][2] * z
    gz = M[2][0] * x + M[2][1] * y + M[2][2] * z
    lon = math.atan2(gy, gx) / DEG
    lon = lon + 360 if lon < 0 else lon - 360 if lon >= 360 else lon
    return lon, math.atan2(gz, _hypot(gx, gy)) / DEG


# --- HEALPix RING bilinear interpolation (core/features/healpix.ts) -------------------------------------------------


def _wrap_phi(phi):
    p = math.fmod(phi, TWO_PI)
    return p + TWO_PI if p < 0 else p


def _ring_above(nside, z):
    """Index (1..4nside-1) of the ring just north of (or on) z; 0 above the first ring."""
    az = abs(z)
    if az <= 2 / 3:
        return math.floor(nside * (2 - 1.5 * z))
    iring = math.floor(nside * math.sqrt(3 * (1 - az)))
    return iring if z > 0 else 4 * nside - iring - 1


def _ring_info(nside, ring):
    """(first pixel, pixels, theta, shifted) of a ring."""
    npix = 12 * nside * nside
    ncap = 2 * nside * (nside - 1)
    northring = 4 * nside - ring if ring > 2 * nside else ring
    if northring < nside:
        tmp = (northring * northring * 4) / npix
        theta = math.atan2(math.sqrt(tmp * (2 - tmp)), 1 - tmp)
        ringpix, shifted, startpix = 4 * northring, True, 2 * northring * (northring - 1)
    else:
        theta = math.acos(((2 * nside - northring) * 8 * nside) / npix)
        ringpix, shifted = 4 * nside, ((northring - nside) & 1) == 0
        startpix = ncap + (northring - nside) * ringpix
    if northring != ring:
        theta = math.pi - theta
        startpix = npix - startpix - ringpix
    return startpix, ringpix, theta, shifted


def _ring_pair(nside, ring, phi):
    """The two pixels of a ring bracketing phi, their weights, and the ring's theta."""
    startpix, nr, theta, shifted = _ring_info(nside, ring)
    dphi = TWO_PI / nr
    shift = 0.5 if shifted else 0
    tmp = phi / dphi - shift
    i1 = math.trunc(tmp) - 1 if tmp < 0 else math.trunc(tmp)
    w1 = (phi - (i1 + shift) * dphi) / dphi
    i2 = i1 + 1
    if i1 < 0:
        i1 += nr
    if i2 >= nr:
        i2 -= nr
    return [startpix + i1, startpix + i2], [1 - w1, w1], theta


def interp_weights(nside, theta, phi_in):
    """The 4 pixels and weights of healpy's get_interp_weights (RING) at (theta, phi), radians."""
    phi = _wrap_phi(phi_in)
    npix = 12 * nside * nside
    ir1 = _ring_above(nside, math.cos(theta))
    ir2 = ir1 + 1
    pix, wgt = [0, 0, 0, 0], [0.0, 0.0, 0.0, 0.0]
    theta1 = theta2 = 0.0
    if ir1 > 0:
        pix[0:2], wgt[0:2], theta1 = _ring_pair(nside, ir1, phi)
    if ir2 < 4 * nside:
        pix[2:4], wgt[2:4], theta2 = _ring_pair(nside, ir2, phi)
    if ir1 == 0:
        # Above the first ring: the missing ring is the 4 polar pixels, a quarter of the weight each.
        wtheta = theta / theta2
        wgt[2] *= wtheta
        wgt[3] *= wtheta
        fac = (1 - wtheta) * 0.25
        wgt[0] = wgt[1] = fac
        wgt[2] += fac
        wgt[3] += fac
        pix[0], pix[1] = (pix[2] + 2) & 3, (pix[3] + 2) & 3
    elif ir2 == 4 * nside:
        wtheta = (theta - theta1) / (math.pi - theta1)
        wgt[0] *= 1 - wtheta
        wgt[1] *= 1 - wtheta
        fac = wtheta * 0.25
        wgt[0] += fac
        wgt[1] += fac
        wgt[2] = wgt[3] = fac
        pix[2], pix[3] = ((pix[0] + 2) & 3) + npix - 4, ((pix[1] + 2) & 3) + npix - 4
    else:
        wtheta = (theta - theta1) / (theta2 - theta1)
        wgt[0] *= 1 - wtheta
        wgt[1] *= 1 - wtheta
        wgt[2] *= wtheta
        wgt[3] *= wtheta
    return pix, wgt


# --- The FITS file ----------------------------------------------------------------------------------------------------


def _header(data, at, path):
    """Keyword -> value of the header starting at byte `at`, and the offset of its data unit."""
    cards = {}
    while True:
        if at + BLOCK > len(data):
            raise DustMapError(path, "truncated FITS header (no END card)")
        block = data[at : at + BLOCK].decode("latin1")
        at += BLOCK
        for k in range(0, BLOCK, CARD):
            card = block[k : k + CARD]
            key = card[:8].strip()
            if key == "END":
                return cards, at
            if card[8:10] != "= " or key in cards:
                continue
            raw = card[10:].strip()
            if raw.startswith("'"):
                cards[key] = raw[1:].split("'", 1)[0].rstrip()
            else:
                raw = raw.split("/", 1)[0].strip()
                try:
                    cards[key] = int(raw)
                except ValueError:
                    try:
                        cards[key] = float(raw)
                    except ValueError:
                        cards[key] = raw
    return cards, at


def _data_bytes(h):
    n = abs(int(h.get("BITPIX", 8))) // 8
    axes = int(h.get("NAXIS", 0))
    if axes == 0:
        return 0
    for i in range(1, axes + 1):
        n *= int(h[f"NAXIS{i}"])
    return (n + int(h.get("PCOUNT", 0))) * int(h.get("GCOUNT", 1))


_TFORM = {"E": ">f4", "D": ">f8", "J": ">i4", "I": ">i2", "K": ">i8", "B": "u1"}


class HealpixMap:
    """A HEALPix SFD map read from FITS (gzipped or not)."""

    def __init__(self, path):
        self.path = str(path)
        if os.path.isdir(path):
            raise DustMapError(path, "a folder: this script reads a HEALPix map file (not the SFD Lambert pair)")
        try:
            with open(path, "rb") as fh:
                data = fh.read()
        except OSError as e:
            raise DustMapError(path, f"cannot be read ({e.strerror})") from None
        if data[:2] == b"\x1f\x8b":
            try:
                data = gzip.decompress(data)
            except (OSError, EOFError, zlib.error):
                raise DustMapError(path, "not a readable gzip file") from None
        if not data.startswith(b"SIMPLE  ="):
            raise DustMapError(path, "not a FITS file")
        h, at = _header(data, 0, path)
        while h.get("XTENSION") != "BINTABLE":
            at += -(-_data_bytes(h) // BLOCK) * BLOCK
            if at >= len(data):
                raise DustMapError(path, "no BINTABLE extension (not a HEALPix map)")
            h, at = _header(data, at, path)
        self.values, self.nside, self.galactic = _read_map(data, h, at, path)

    def ebv(self, ra_deg, dec_deg):
        """Raw SFD E(B-V) at an ICRS position in degrees; NaN for a non-finite position."""
        if not (math.isfinite(ra_deg) and math.isfinite(dec_deg)):
            return math.nan
        lon, lat = icrs_to_galactic(ra_deg, dec_deg) if self.galactic else (ra_deg, dec_deg)
        pix, wgt = interp_weights(self.nside, (90 - lat) * DEG, lon * DEG)
        v = self.values
        return v[pix[0]] * wgt[0] + v[pix[1]] * wgt[1] + v[pix[2]] * wgt[2] + v[pix[3]] * wgt[3]


def _read_map(data, h, at, path):
    nside = h.get("NSIDE")
    if not isinstance(nside, int) or nside < 1:
        raise DustMapError(path, "no valid NSIDE keyword (not a HEALPix map)")
    if str(h.get("ORDERING", "RING")).upper() != "RING":
        raise DustMapError(path, f"ORDERING {h.get('ORDERING')} is not supported (expected RING)")
    if str(h.get("INDXSCHM", "IMPLICIT")).upper() != "IMPLICIT":
        raise DustMapError(path, "partial (EXPLICIT) HEALPix maps are not supported")
    fields = []
    for i in range(1, int(h.get("TFIELDS", 0)) + 1):
        form = str(h.get(f"TFORM{i}", "")).strip()
        repeat, code = (int(form[:-1]) if form[:-1] else 1), form[-1:]
        if code not in _TFORM:
            raise DustMapError(path, f"column {i} has TFORM {form}, not a numeric column")
        fields.append((str(h.get(f"TTYPE{i}", f"col{i}")).strip(), _TFORM[code], repeat))
    if not fields:
        raise DustMapError(path, "the BINTABLE has no columns")
    rows = int(h["NAXIS2"])
    dtype = np.dtype([(name, t, (r,)) for name, t, r in fields])
    if dtype.itemsize != int(h["NAXIS1"]) or at + rows * dtype.itemsize > len(data):
        raise DustMapError(path, "the BINTABLE's row size or length does not match its header")
    table = np.frombuffer(data, dtype=dtype, count=rows, offset=at)
    name = next((f[0] for f in fields if f[0].upper() == "I"), fields[0][0])
    # The app widens the float32 column to doubles once; these are the same doubles.
    values = [float(v) for v in table[name].reshape(-1)]
    if len(values) != 12 * nside * nside:
        raise DustMapError(path, f"{len(values)} values for NSIDE {nside} (expected {12 * nside * nside})")
    return values, nside, not str(h.get("COORDSYS", "G")).upper().startswith("C")
