/** Galactic ↔ equatorial (J2000/ICRS) conversion, enough to place sources relative to the Galactic plane. */

// Rotation from ICRS unit vectors to Galactic ones (Hipparcos/ICRS definition, as in astropy).
const R = [
  [-0.0548755604162154, -0.873437090234885, -0.4838350155487132],
  [0.4941094278755837, -0.4448296299600112, 0.746982244497219],
  [-0.8676661490190047, -0.1980763734312015, 0.4559837761750669],
] as const;

const DEG = Math.PI / 180;

function toVec(lonDeg: number, latDeg: number): [number, number, number] {
  const lon = lonDeg * DEG;
  const lat = latDeg * DEG;
  return [Math.cos(lat) * Math.cos(lon), Math.cos(lat) * Math.sin(lon), Math.sin(lat)];
}

function fromVec(v: readonly number[]): [number, number] {
  const [x, y, z] = v as [number, number, number];
  let lon = Math.atan2(y, x) / DEG;
  if (lon < 0) lon += 360;
  return [lon, Math.asin(Math.max(-1, Math.min(1, z))) / DEG];
}

export function galacticToEquatorial(l: number, b: number): { ra: number; dec: number } {
  const g = toVec(l, b);
  // Inverse rotation = transpose.
  const e = [0, 1, 2].map((j) => R[0][j]! * g[0] + R[1][j]! * g[1] + R[2][j]! * g[2]);
  const [ra, dec] = fromVec(e);
  return { ra, dec };
}

export function equatorialToGalactic(ra: number, dec: number): { l: number; b: number } {
  const e = toVec(ra, dec);
  const g = R.map((row) => row[0] * e[0] + row[1] * e[1] + row[2] * e[2]);
  const [l, b] = fromVec(g);
  return { l, b };
}
