/**
 * The candidate fields that describe known sources near an alert: the nearest PS1 source (star–galaxy score,
 * distance in arcsec), the nearest reference-image source (distance in pixels, magnitude) and the nearest Gaia
 * source (distance in arcsec, G magnitude). One list, so the card, the extended features and the readers agree.
 */
export const NEARBY_SOURCE_FIELDS = ['sgscore1', 'distpsnr1', 'distnr', 'magnr', 'neargaia', 'maggaia'] as const;

export type NearbySourceField = (typeof NEARBY_SOURCE_FIELDS)[number];

/** One value per nearby-source field; null where the alert has none. */
export type NearbySources = Record<NearbySourceField, number | null>;

/** The nearby-source fields, each read by `value`. */
export function nearbySources(value: (field: NearbySourceField) => number | null): NearbySources {
  const out = {} as NearbySources;
  for (const field of NEARBY_SOURCE_FIELDS) out[field] = value(field);
  return out;
}
