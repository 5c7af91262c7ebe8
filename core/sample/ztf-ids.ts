/**
 * ZTF identifiers as the alert stream forms them (checked on real Fink files):
 * - nid: night index, days since 2017-01-01 UT.
 * - pid: nid · 10^9 + (fraction of the UT day · 10^7) · 100 + 15 (e.g. 3086208464615 for jd 2460840.70846).
 * - candid: pid · 10^6 + 15000 + tblid (e.g. 3086208464615015024): 19 digits, above 2^53.
 * - objectId: 'ZTF' + 2-digit year of first detection + 7 lowercase letters.
 */
import type { Rng } from './rng.js';

export const JD_UNIX_EPOCH = 2440587.5;
const JD_2017 = 2457754.5;

export function nightJd(night: string): number {
  const ms = Date.parse(`${night}T00:00:00Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(night) || Number.isNaN(ms)) throw new Error(`night must be YYYY-MM-DD, got '${night}'`);
  return JD_UNIX_EPOCH + ms / 86400000;
}

export function jdToDate(jd: number): Date {
  return new Date(Math.round((jd - JD_UNIX_EPOCH) * 86400000));
}

export function nid(jd: number): number {
  return Math.floor(jd - JD_2017);
}

export function pid(jd: number): bigint {
  const frac = jd - 0.5 - Math.floor(jd - 0.5);
  return BigInt(nid(jd)) * 1_000_000_000n + BigInt(Math.floor(frac * 1e7)) * 100n + 15n;
}

export function candid(pidValue: bigint, tblid: number): bigint {
  return pidValue * 1_000_000n + 15_000n + BigInt(tblid);
}

const LETTERS = 'abcdefghijklmnopqrstuvwxyz';

export function objectId(rng: Rng, firstJd: number): string {
  const yy = String(jdToDate(firstJd).getUTCFullYear() % 100).padStart(2, '0');
  let s = 'a' + LETTERS[rng.int(0, 3)]!;
  for (let i = 0; i < 5; i++) s += LETTERS[rng.int(0, 25)]!;
  return `ZTF${yy}${s}`;
}

function ymd(jd: number): string {
  return jdToDate(jd).toISOString().slice(0, 10).replace(/-/g, '');
}

/** Difference-image file name; history entries carry the archive path, the current candidate the bare name. */
export function diffImageName(jd: number, field: number, fid: number, rcid: number, archivePath: boolean): string {
  const frac = jd - 0.5 - Math.floor(jd - 0.5) - 0.0000116;
  const f6 = String(Math.max(0, Math.floor(frac * 1e6))).padStart(6, '0');
  const d = ymd(jd);
  const ccd = String(Math.floor(rcid / 4) + 1).padStart(2, '0');
  const q = (rcid % 4) + 1;
  const name = `ztf_${d}${f6}_${String(field).padStart(6, '0')}_z${fid === 1 ? 'g' : fid === 2 ? 'r' : 'i'}_c${ccd}_o_q${q}_scimrefdiffimg.fits`;
  return archivePath ? `/ztf/archive/sci/${d.slice(0, 4)}/${d.slice(4)}/${f6}/${name}.fz` : name;
}

/** "YYYY-MM-DD HH:MM:SS.ffffff" as in Fink's timestamp columns. */
export function timestampString(jd: number): string {
  return jdToDate(jd).toISOString().replace('T', ' ').replace('Z', '000');
}

/** PS1 objID layout: declination zone · 10^13 + RA · 10^10 ... + a running number. */
export function ps1ObjectId(ra: number, dec: number, k: number): bigint {
  return BigInt(Math.floor((dec + 90) * 120)) * 10_000_000_000_000n + BigInt(Math.round(ra * 1e6)) * 10_000n + BigInt(k % 10000);
}
