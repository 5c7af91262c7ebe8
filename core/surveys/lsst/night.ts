/**
 * The night an LSST alert belongs to: Rubin's dayObs, the calendar date at UTC−12h. Why not the UT date (ZTF's
 * rule): a Cerro Pachón night runs from about 23:00 to 09:00 UT, so its UT dates split every night in two; at UTC−12h
 * the whole night falls on one date (the date the night began, local evening).
 */
const MJD_UNIX_EPOCH = 40587;
const DAY_MS = 86_400_000;

/** dayObs (YYYY-MM-DD) of an MJD (TAI and UTC differ by 37 s, far from the noon-UTC boundary). */
export function lsstNight(mjd: number): string {
  return new Date((mjd - MJD_UNIX_EPOCH) * DAY_MS - DAY_MS / 2).toISOString().slice(0, 10);
}

/** The Julian date of an MJD (what the store's jd column holds for every survey). */
export const mjdToJd = (mjd: number): number => mjd + 2_400_000.5;
