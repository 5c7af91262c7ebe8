/**
 * Rubin-like identifiers for generated LSST alerts.
 * - diaSourceId / diaForcedSourceId: seconds since MJD 60000 in the high bits, a random 31-bit tail. Real ids
 *   (~1.7e17) grow with time the same way; what matters here is that they exceed 2^53, so a reader that goes through
 *   float64 anywhere loses them.
 * - diaObjectId: the diaSourceId of the object's first detection (Rubin names a new diaObject after the source that
 *   made it, as in the real Fink file).
 * - visit: dayObs as YYYYMMDD · 10^5 + a sequence number within the night (e.g. 2025123100247).
 * - ssObjectId: a random id in [2^54, 2^55); the designation is a provisional one, packed ('K01S97B') and unpacked
 *   ('2001 SB97') as in mpc_orbits.
 */
import type { Rng } from '../rng.js';

const ID_EPOCH_MJD = 60000;
/** Below this MJD, seconds · 2^31 would not exceed 2^53 (2^22 s ≈ 48.5 days after the epoch). */
export const MIN_ID_MJD = ID_EPOCH_MJD + 49;
const MJD_UNIX_EPOCH = 40587;

export function sourceId(mjd: number, rng: Rng): bigint {
  const secs = BigInt(Math.floor((mjd - ID_EPOCH_MJD) * 86400));
  return (secs << 31n) | BigInt(rng.int(0, 2 ** 31 - 1));
}

/** MJD at 00:00 UT of a 'YYYY-MM-DD' date; throws naming the option when it is not a date. */
export function dateMjd(date: string): number {
  const ms = Date.parse(`${date}T00:00:00Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || Number.isNaN(ms)) throw new Error(`night must be YYYY-MM-DD, got '${date}'`);
  return MJD_UNIX_EPOCH + ms / 86_400_000;
}

/** Visit id of an exposure at `mjd`, taken on the night that began on dayObs `dayObsMjd` (00:00 UT of that date). */
export function visitId(mjd: number, dayObsMjd: number): bigint {
  const ymd = new Date((dayObsMjd - MJD_UNIX_EPOCH) * 86_400_000).toISOString().slice(0, 10).replace(/-/g, '');
  // One exposure every ~40 s from noon UT of dayObs.
  const seq = Math.floor(((mjd - dayObsMjd - 0.5) * 86400) / 40);
  return BigInt(ymd) * 100_000n + BigInt(seq);
}

export function ssObjectId(rng: Rng): bigint {
  return (1n << 54n) | (BigInt(rng.int(0, 2 ** 22 - 1)) << 32n) | BigInt(rng.int(0, 2 ** 32 - 1));
}

const HALF_MONTHS = 'ABCDEFGHJKLMNOPQRSTUVWXY';
const ORDER = 'ABCDEFGHJKLMNOPQRSTUVWXYZ';

/** A provisional designation, packed and unpacked (MPC rules for cycles 0–99). */
export function designation(rng: Rng): { packed: string; unpacked: string } {
  const year = rng.int(1995, 2024);
  const half = rng.pick([...HALF_MONTHS]);
  const order = rng.pick([...ORDER]);
  const cycle = rng.int(0, 99);
  const century = year >= 2000 ? 'K' : 'J';
  const yy = String(year % 100).padStart(2, '0');
  return {
    packed: `${century}${yy}${half}${String(cycle).padStart(2, '0')}${order}`,
    unpacked: `${year} ${half}${order}${cycle > 0 ? cycle : ''}`,
  };
}
