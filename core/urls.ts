export const lasairObjectUrl = (objectId: string): string =>
  `https://lasair-ztf.lsst.ac.uk/objects/${encodeURIComponent(objectId)}/`;
export const finkObjectUrl = (objectId: string): string => `https://fink-portal.org/${encodeURIComponent(objectId)}`;
export const LASAIR_API = 'https://lasair-ztf.lsst.ac.uk/api';
/** Hosts the Lasair side pane may navigate within. */
export const PANE_ALLOWED_HOSTS = ['lasair-ztf.lsst.ac.uk', 'fink-portal.org'];
