/** Julian date of the Unix epoch. */
export const JD_UNIX_EPOCH = 2440587.5;

export function jdToDate(jd: number): Date {
  return new Date((jd - JD_UNIX_EPOCH) * 86_400_000);
}

/**
 * The observing night of an epoch, as the UTC date. ZTF observes from Palomar, whose nights run from about 03:00 to
 * 13:00 UTC, so one night never straddles a UTC date change.
 */
export function jdToNight(jd: number): string {
  return jdToDate(jd).toISOString().slice(0, 10);
}
