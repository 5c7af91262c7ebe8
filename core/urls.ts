/** Lasair's site and API (the Sherlock lookup appends /api/...). */
export const LASAIR_BASE_URL = 'https://lasair-ztf.lsst.ac.uk';
export const lasairObjectUrl = (objectId: string): string =>
  `${LASAIR_BASE_URL}/objects/${encodeURIComponent(objectId)}/`;
export const finkObjectUrl = (objectId: string): string => `https://fink-portal.org/${encodeURIComponent(objectId)}`;
/** Hosts the Lasair side pane may navigate within. */
export const PANE_ALLOWED_HOSTS = ['lasair-ztf.lsst.ac.uk', 'fink-portal.org'];
