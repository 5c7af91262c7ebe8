/**
 * The brokers' object pages of a ZTF alert, and the hosts a side pane may show (both surveys).
 *
 * Where the patterns come from (read 2026-12-06): Lasair-ZTF serves `objects/<objectId>/` at lasair-ztf.lsst.ac.uk
 * (lsst-uk/lasair4 webserver routes; its API, which the Sherlock lookup uses, is under /api). Fink split its ZTF and
 * LSST services onto separate hosts when LSST began (fink-broker.org news, "From ZTF to LSST", 2025-11): the ZTF
 * Science Portal is ztf.fink-portal.org, whose object page is `/<objectId>` (Fink's own code links it so, e.g. its
 * Slack bots and data-transfer manual). The LSST pages are in core/surveys/lsst/links.ts.
 */
import { LSST_PANE_HOSTS, finkLsstObjectUrl, lasairLsstObjectUrl } from './surveys/lsst/links.js';

/** Lasair's site and API (the Sherlock lookup appends /api/...). */
export const LASAIR_BASE_URL = 'https://lasair-ztf.lsst.ac.uk';
export const FINK_ZTF_BASE_URL = 'https://ztf.fink-portal.org';
export const lasairObjectUrl = (objectId: string): string =>
  `${LASAIR_BASE_URL}/objects/${encodeURIComponent(objectId)}/`;
export const finkObjectUrl = (objectId: string): string => `${FINK_ZTF_BASE_URL}/${encodeURIComponent(objectId)}`;
/** Hosts the side pane may navigate within (and their subdomains): ZTF's and LSST's brokers. */
export const PANE_ALLOWED_HOSTS = ['lasair-ztf.lsst.ac.uk', 'fink-portal.org', ...LSST_PANE_HOSTS];

/**
 * Lasair's page of an object id as the store keeps it, either survey: a decimal id is an LSST diaObjectId
 * (Lasair-LSST), `ss:` / `src:` ids are LSST sources without a diaObject (Lasair has no page: null), anything else a
 * ZTF objectId (Lasair-ZTF).
 */
export function lasairPageOf(objectId: string): string | null {
  if (/^\d+$/.test(objectId)) return lasairLsstObjectUrl(objectId);
  if (/^(ss|src):/.test(objectId)) return null;
  return lasairObjectUrl(objectId);
}

/**
 * Fink's page of a store object id, either survey, for callers that have only the id (a card has its own links):
 * a diaObjectId opens the Fink LSST portal; `ss:` / `src:` ids have none from the id alone (a solar-system page needs
 * the designation, which the card's links carry).
 */
export function finkPageOf(objectId: string): string | null {
  if (/^\d+$/.test(objectId)) return finkLsstObjectUrl(objectId);
  if (/^(ss|src):/.test(objectId)) return null;
  return finkObjectUrl(objectId);
}
