/** Sky coordinate conversions (pure). Degrees in, degrees out. */

const DEG = Math.PI / 180;
const MAS = DEG / 3_600_000;

type Mat3 = [[number, number, number], [number, number, number], [number, number, number]];

function mul(a: Mat3, b: Mat3): Mat3 {
  const r: Mat3 = [
    [0, 0, 0],
    [0, 0, 0],
    [0, 0, 0],
  ];
  for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) r[i][j] = a[i][0] * b[0][j] + a[i][1] * b[1][j] + a[i][2] * b[2][j];
  return r;
}

// Passive rotations about the x, y, z axes.
function rx(a: number): Mat3 {
  const s = Math.sin(a), c = Math.cos(a);
  return [[1, 0, 0], [0, c, s], [0, -s, c]];
}
function ry(a: number): Mat3 {
  const s = Math.sin(a), c = Math.cos(a);
  return [[c, 0, -s], [0, 1, 0], [s, 0, c]];
}
function rz(a: number): Mat3 {
  const s = Math.sin(a), c = Math.cos(a);
  return [[c, s, 0], [-s, c, 0], [0, 0, 1]];
}

/**
 * ICRS → Galactic rotation, built as astropy (and hence dustmaps, which the seed used) defines it: the ICRS → FK5
 * J2000 frame bias (USNO Circular 179 §3.5: η0 = −19.9 mas, ξ0 = 9.1 mas, dα0 = −22.9 mas), then the IAU 1958
 * Galactic system in FK5 J2000 (north Galactic pole RA 192.8594812065348°, Dec 27.12825118085622°, longitude of the
 * ascending node l0 = 122.9319185680026°). Matches astropy's ICRS→Galactic to well under a microarcsecond, and the
 * Hipparcos-catalogue matrix (ESA 1997 §1.5.3) to ~20 mas.
 */
export const ICRS_TO_GALACTIC: Mat3 = mul(
  mul(mul(rz(Math.PI - 122.9319185680026 * DEG), ry(Math.PI / 2 - 27.12825118085622 * DEG)), rz(192.8594812065348 * DEG)),
  mul(mul(rx(19.9 * MAS), ry(9.1 * MAS)), rz(-22.9 * MAS)),
);
const M = ICRS_TO_GALACTIC;

/** Galactic (l, b) in degrees, l in [0, 360). Writes into `out` when given, to keep hot loops allocation-free. */
export function icrsToGalactic(raDeg: number, decDeg: number, out: { l: number; b: number } = { l: 0, b: 0 }): {
  l: number;
  b: number;
} {
  const ra = raDeg * DEG;
  const dec = decDeg * DEG;
  const cd = Math.cos(dec);
  const x = cd * Math.cos(ra);
  const y = cd * Math.sin(ra);
  const z = Math.sin(dec);
  const gx = M[0][0] * x + M[0][1] * y + M[0][2] * z;
  const gy = M[1][0] * x + M[1][1] * y + M[1][2] * z;
  const gz = M[2][0] * x + M[2][1] * y + M[2][2] * z;
  out.l = longitude(gx, gy);
  out.b = latitude(gx, gy, gz);
  return out;
}

/** Longitude in [0, 360) and latitude, in degrees, of a unit vector. */
function longitude(x: number, y: number): number {
  const lon = Math.atan2(y, x) / DEG;
  return lon < 0 ? lon + 360 : lon >= 360 ? lon - 360 : lon;
}
const latitude = (x: number, y: number, z: number): number => Math.atan2(z, Math.hypot(x, y)) / DEG;

/** The inverse: ICRS (ra, dec) in degrees of a Galactic (l, b); the rotation's transpose. */
export function galacticToIcrs(lDeg: number, bDeg: number): { ra: number; dec: number } {
  const l = lDeg * DEG;
  const b = bDeg * DEG;
  const cb = Math.cos(b);
  const gx = cb * Math.cos(l);
  const gy = cb * Math.sin(l);
  const gz = Math.sin(b);
  const x = M[0][0] * gx + M[1][0] * gy + M[2][0] * gz;
  const y = M[0][1] * gx + M[1][1] * gy + M[2][1] * gz;
  const z = M[0][2] * gx + M[1][2] * gy + M[2][2] * gz;
  return { ra: longitude(x, y), dec: latitude(x, y, z) };
}
