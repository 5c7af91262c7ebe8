/**
 * Object pages of an LSST alert at the brokers, as plain URL strings.
 *
 * Where the patterns come from (read 2026-12-06):
 * - Lasair-LSST: the site is lasair.lsst.ac.uk (the `lasair` client's default API endpoint is api.lasair.lsst.ac.uk);
 *   its web server routes object pages as `objects/<objectId>/` (lsst-uk/lasair4,
 *   webserver/lasair/apps/object/urls.py), the object being the diaObjectId (lasair-lsst.readthedocs.io, Quick Start:
 *   "diaObjectId: the identifier for an object that is used to link to the full object page"). Lasair does not serve
 *   solar-system objects (lasair-lsst.readthedocs.io, Concepts: they are handed to Adler), so it has no page for them.
 * - Fink LSST portal: `https://lsst.fink-portal.org/<diaObjectId>` for a static object, and
 *   `https://lsst.fink-portal.org/<packed provisional designation>` for a solar-system object (doc.lsst.fink-broker.org,
 *   services/api/diaobjectid.md and solar_system.md, "Query URL").
 */
export const LASAIR_LSST_BASE_URL = 'https://lasair.lsst.ac.uk';
export const FINK_LSST_BASE_URL = 'https://lsst.fink-portal.org';
/** Hosts an LSST object pane may navigate within. */
export const LSST_PANE_HOSTS = ['lasair.lsst.ac.uk', 'lsst.fink-portal.org'];

const DECIMAL_ID = /^[1-9]\d*$/;
/** MPC packed designations are letters and digits (with '~' for high-numbered objects). */
const PACKED_DESIGNATION = /^[A-Za-z0-9~]+$/;

/** The id as given when it is a positive decimal id (0 means "not associated" in Rubin's ids). */
function decimalId(id: string | null | undefined): string | null {
  return id != null && DECIMAL_ID.test(id) ? id : null;
}

export function lasairLsstObjectUrl(diaObjectId: string | null | undefined): string | null {
  const id = decimalId(diaObjectId);
  return id === null ? null : `${LASAIR_LSST_BASE_URL}/objects/${id}/`;
}

export function finkLsstObjectUrl(diaObjectId: string | null | undefined): string | null {
  const id = decimalId(diaObjectId);
  return id === null ? null : `${FINK_LSST_BASE_URL}/${id}`;
}

export function finkLsstSolarSystemUrl(packedDesignation: string | null | undefined): string | null {
  const d = packedDesignation?.trim();
  return d && PACKED_DESIGNATION.test(d) ? `${FINK_LSST_BASE_URL}/${d}` : null;
}

export interface LsstLinks {
  lasair: string | null;
  fink: string | null;
}

/** The pages for one alert: its diaObject's, or (a solar-system source) Fink's page of the matched object. */
export function lsstLinks(alert: { diaObjectId: string | null; ssDesignation: string | null }): LsstLinks {
  const lasair = lasairLsstObjectUrl(alert.diaObjectId);
  const fink = finkLsstObjectUrl(alert.diaObjectId) ?? finkLsstSolarSystemUrl(alert.ssDesignation);
  return { lasair, fink };
}
