/**
 * ZTF behind the Survey interface, filled from what core/alerts, core/features, core/weak and core/urls.ts already
 * do: nothing here changes how ZTF alerts are read, featurised, labelled or linked.
 */
import { REQUIRED_CANDIDATE_FIELDS } from '../../alerts/fink-columns.js';
import { featureSetColumnsOf } from '../../features/names.js';
import { WEAK_COLUMNS } from '../../weak/mapping.js';
import { PANE_ALLOWED_HOSTS, finkObjectUrl, lasairObjectUrl } from '../../urls.js';
import type { SchemaShape, Survey } from '../survey.js';

export const ZTF_BANDS = ['g', 'r', 'i'] as const;

/** The fields the ZTF reader checks (core/alerts/parquet.ts, avro.ts), as dotted paths; empty when it would read. */
export function missingZtfFields(shape: SchemaShape): string[] {
  const candidate = shape.children.candidate;
  if (candidate === undefined) return ['candidate'];
  const missing = REQUIRED_CANDIDATE_FIELDS.filter((f) => !candidate.includes(f)).map((f) => `candidate.${f}`);
  if (!shape.fields.includes('objectId')) missing.push('objectId');
  // Fink writes candid at the top; raw alerts keep it only inside candidate.
  if (!shape.fields.includes('candid') && !candidate.includes('candid')) missing.push('candid');
  return missing;
}

export const isZtfSchema = (shape: SchemaShape): boolean => missingZtfFields(shape).length === 0;

export const ZTF_SURVEY: Survey = {
  id: 'ztf',
  label: 'ZTF',
  recognise: isZtfSchema,
  ids: { object: 'objectId', alert: 'candid' },
  bands: ZTF_BANDS,
  photometry: 'magnitude',
  featureSets: featureSetColumnsOf('ztf'),
  cardFields: [
    'candid',
    'objectId',
    'candidate.jd',
    'candidate.ra',
    'candidate.dec',
    'candidate.fid',
    'candidate.magpsf',
    'candidate.sigmapsf',
    'candidate.drb',
    'candidate.rb',
    'cdsxmatch',
    'finkclass',
    'tnsclass',
    'roid',
  ],
  // roid too: the weak-label step leaves out known asteroids (roid = 3).
  weakLabelColumns: [...WEAK_COLUMNS, 'roid'],
  links: {
    lasair: (s) => (s.objectId ? lasairObjectUrl(s.objectId) : null),
    fink: (s) => (s.objectId ? finkObjectUrl(s.objectId) : null),
    paneHosts: PANE_ALLOWED_HOSTS,
  },
};
