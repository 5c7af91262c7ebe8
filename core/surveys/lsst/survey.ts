/** Rubin/LSST behind the Survey interface: recognition, ids, bands, features, card fields, weak labels, links. */
import type { Survey } from '../survey.js';
import { featureSetColumnsOf } from '../../features/names.js';
import { LSST_PANE_HOSTS, finkLsstObjectUrl, finkLsstSolarSystemUrl, lasairLsstObjectUrl } from './links.js';
import { LSST_BANDS, isLsstSchema } from './schema.js';

export const LSST_SURVEY: Survey = {
  id: 'lsst',
  label: 'Rubin/LSST',
  recognise: isLsstSchema,
  ids: { object: 'diaSource.diaObjectId', alert: 'diaSource.diaSourceId' },
  bands: LSST_BANDS,
  photometry: 'flux-nJy',
  featureSets: featureSetColumnsOf('lsst'),
  cardFields: [
    'diaSource.diaSourceId',
    'diaSource.diaObjectId',
    'diaSource.midpointMjdTai',
    'diaSource.ra',
    'diaSource.dec',
    'diaSource.band',
    'diaSource.psfFlux',
    'diaSource.psfFluxErr',
    'diaSource.snr',
    'diaSource.reliability',
    'diaSource.extendedness',
    'diaSource.isDipole',
    'diaSource.trail_flag_edge',
    'diaObject.nDiaSources',
    'ssSource.designation',
  ],
  // The files carry no Fink classification column (Fink LSST tags alerts per filter); the one label-like fact in
  // the alert itself is Rubin's association with a known solar-system object.
  weakLabelColumns: ['diaSource.ssObjectId', 'ssSource.designation'],
  links: {
    lasair: (s) => lasairLsstObjectUrl(s.objectId),
    fink: (s) => finkLsstObjectUrl(s.objectId) ?? finkLsstSolarSystemUrl(s.solarSystemDesignation),
    paneHosts: LSST_PANE_HOSTS,
  },
};
