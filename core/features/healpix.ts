/**
 * HEALPix RING-scheme geometry needed to read a dust map: ang2pix, pixel centres and the 4-pixel bilinear
 * interpolation weights of healpy's get_interp_weights / get_interp_val (Healpix_cxx T_Healpix_Base::get_interpol).
 * Pure; angles in radians (theta = colatitude in [0, π], phi = longitude).
 */

const TWO_PI = 2 * Math.PI;
const HALF_PI = Math.PI / 2;

export function nside2npix(nside: number): number {
  return 12 * nside * nside;
}

function wrapPhi(phi: number): number {
  const p = phi % TWO_PI;
  return p < 0 ? p + TWO_PI : p;
}

/** Pixel index (RING) containing the direction (theta, phi). */
export function ang2pixRing(nside: number, theta: number, phi: number): number {
  const z = Math.cos(theta);
  const za = Math.abs(z);
  const tt = wrapPhi(phi) / HALF_PI; // in [0, 4)
  const ncap = 2 * nside * (nside - 1);
  const npix = nside2npix(nside);
  if (za <= 2 / 3) {
    // Equatorial belt: index of the ascending/descending edge lines through the point.
    const nl4 = 4 * nside;
    const t1 = nside * (0.5 + tt);
    const t2 = nside * z * 0.75;
    const jp = Math.floor(t1 - t2);
    const jm = Math.floor(t1 + t2);
    const ir = nside + 1 + jp - jm; // ring number counted from z = 2/3, in 1..2nside+1
    const kshift = 1 - (ir & 1);
    const ip = ((jp + jm - nside + kshift + 1 + 2 * nl4) >> 1) % nl4;
    return ncap + (ir - 1) * nl4 + ip;
  }
  // Polar caps; near the poles use sin(theta) to keep precision.
  const tp = tt - Math.floor(tt);
  const tmp = za < 0.99 ? nside * Math.sqrt(3 * (1 - za)) : (nside * Math.sin(theta)) / Math.sqrt((1 + za) / 3);
  const jp = Math.floor(tp * tmp);
  const jm = Math.floor((1 - tp) * tmp);
  const ir = jp + jm + 1; // ring counted from the nearest pole
  let ip = Math.floor(tt * ir);
  if (ip >= 4 * ir) ip = 4 * ir - 1;
  return z > 0 ? 2 * ir * (ir - 1) + ip : npix - 2 * ir * (ir + 1) + ip;
}

/** Centre (theta, phi) of a RING pixel. */
export function pix2angRing(nside: number, pix: number): { theta: number; phi: number } {
  const ncap = 2 * nside * (nside - 1);
  const npix = nside2npix(nside);
  const fact2 = 4 / npix;
  const fact1 = 2 * nside * fact2;
  if (pix < ncap) {
    const iring = (1 + Math.floor(Math.sqrt(1 + 2 * pix))) >> 1;
    const iphi = pix + 1 - 2 * iring * (iring - 1);
    const tmp = iring * iring * fact2;
    return { theta: Math.atan2(Math.sqrt(tmp * (2 - tmp)), 1 - tmp), phi: ((iphi - 0.5) * HALF_PI) / iring };
  }
  if (pix < npix - ncap) {
    const nl4 = 4 * nside;
    const ip = pix - ncap;
    const tmp = Math.floor(ip / nl4);
    const iring = tmp + nside;
    const iphi = ip - nl4 * tmp + 1;
    const fodd = (iring + nside) & 1 ? 1 : 0.5;
    return { theta: Math.acos((2 * nside - iring) * fact1), phi: (iphi - fodd) * Math.PI * 0.75 * fact1 };
  }
  const ip = npix - pix;
  const iring = (1 + Math.floor(Math.sqrt(2 * ip - 1))) >> 1;
  const iphi = 4 * iring + 1 - (ip - 2 * iring * (iring - 1));
  const tmp = iring * iring * fact2;
  return { theta: Math.PI - Math.atan2(Math.sqrt(tmp * (2 - tmp)), 1 - tmp), phi: ((iphi - 0.5) * HALF_PI) / iring };
}

/** Index (1..4nside-1) of the ring just north of (or on) z = cos(theta); 0 above the first ring. */
function ringAbove(nside: number, z: number): number {
  const az = Math.abs(z);
  if (az <= 2 / 3) return Math.floor(nside * (2 - 1.5 * z));
  const iring = Math.floor(nside * Math.sqrt(3 * (1 - az)));
  return z > 0 ? iring : 4 * nside - iring - 1;
}

interface RingInfo {
  startpix: number;
  ringpix: number;
  theta: number;
  shifted: boolean;
}

function ringInfo(nside: number, ring: number, out: RingInfo): void {
  const npix = nside2npix(nside);
  const ncap = 2 * nside * (nside - 1);
  const northring = ring > 2 * nside ? 4 * nside - ring : ring;
  if (northring < nside) {
    const tmp = (northring * northring * 4) / npix;
    out.theta = Math.atan2(Math.sqrt(tmp * (2 - tmp)), 1 - tmp);
    out.ringpix = 4 * northring;
    out.shifted = true;
    out.startpix = 2 * northring * (northring - 1);
  } else {
    out.theta = Math.acos(((2 * nside - northring) * 8 * nside) / npix);
    out.ringpix = 4 * nside;
    out.shifted = ((northring - nside) & 1) === 0;
    out.startpix = ncap + (northring - nside) * out.ringpix;
  }
  if (northring !== ring) {
    out.theta = Math.PI - out.theta;
    out.startpix = npix - out.startpix - out.ringpix;
  }
}

const scratchRing: RingInfo = { startpix: 0, ringpix: 0, theta: 0, shifted: false };

/** Fill pix[k] (k = 2*slot, 2*slot+1) and their phi weights for one ring. */
function ringPair(nside: number, ring: number, phi: number, slot: number, pix: Int32Array, wgt: Float64Array): number {
  ringInfo(nside, ring, scratchRing);
  const nr = scratchRing.ringpix;
  const dphi = TWO_PI / nr;
  const shift = scratchRing.shifted ? 0.5 : 0;
  const tmp = phi / dphi - shift;
  let i1 = tmp < 0 ? Math.trunc(tmp) - 1 : Math.trunc(tmp);
  const w1 = (phi - (i1 + shift) * dphi) / dphi;
  let i2 = i1 + 1;
  if (i1 < 0) i1 += nr;
  if (i2 >= nr) i2 -= nr;
  pix[2 * slot] = scratchRing.startpix + i1;
  pix[2 * slot + 1] = scratchRing.startpix + i2;
  wgt[2 * slot] = 1 - w1;
  wgt[2 * slot + 1] = w1;
  return scratchRing.theta;
}

/**
 * The 4 pixels and weights of healpy's bilinear interpolation at (theta, phi): the two rings bracketing theta, in
 * each the two pixels bracketing phi, weights linear in phi within a ring and in theta between rings; near a pole
 * the missing ring is replaced by the 4 polar pixels sharing a quarter of the weight each. Writes into pix/wgt
 * (length 4) so the hot path allocates nothing.
 */
export function getInterpWeightsRing(
  nside: number,
  theta: number,
  phiIn: number,
  pix: Int32Array,
  wgt: Float64Array,
): void {
  const phi = wrapPhi(phiIn);
  const npix = nside2npix(nside);
  const z = Math.cos(theta);
  const ir1 = ringAbove(nside, z);
  const ir2 = ir1 + 1;
  let theta1 = 0;
  let theta2 = 0;
  if (ir1 > 0) theta1 = ringPair(nside, ir1, phi, 0, pix, wgt);
  if (ir2 < 4 * nside) theta2 = ringPair(nside, ir2, phi, 1, pix, wgt);
  if (ir1 === 0) {
    const wtheta = theta / theta2;
    wgt[2] *= wtheta;
    wgt[3] *= wtheta;
    const fac = (1 - wtheta) * 0.25;
    wgt[0] = fac;
    wgt[1] = fac;
    wgt[2] += fac;
    wgt[3] += fac;
    pix[0] = (pix[2] + 2) & 3;
    pix[1] = (pix[3] + 2) & 3;
  } else if (ir2 === 4 * nside) {
    const wtheta = (theta - theta1) / (Math.PI - theta1);
    wgt[0] *= 1 - wtheta;
    wgt[1] *= 1 - wtheta;
    const fac = wtheta * 0.25;
    wgt[0] += fac;
    wgt[1] += fac;
    wgt[2] = fac;
    wgt[3] = fac;
    pix[2] = ((pix[0] + 2) & 3) + npix - 4;
    pix[3] = ((pix[1] + 2) & 3) + npix - 4;
  } else {
    const wtheta = (theta - theta1) / (theta2 - theta1);
    wgt[0] *= 1 - wtheta;
    wgt[1] *= 1 - wtheta;
    wgt[2] *= wtheta;
    wgt[3] *= wtheta;
  }
}

const interpPix = new Int32Array(4);
const interpWgt = new Float64Array(4);

/** healpy.get_interp_val for a RING map. */
export function interpValRing(map: ArrayLike<number>, nside: number, theta: number, phi: number): number {
  getInterpWeightsRing(nside, theta, phi, interpPix, interpWgt);
  return (
    map[interpPix[0]] * interpWgt[0] +
    map[interpPix[1]] * interpWgt[1] +
    map[interpPix[2]] * interpWgt[2] +
    map[interpPix[3]] * interpWgt[3]
  );
}
