/**
 * Rubin avro alerts for tests: a subset of lsst/alert_packet's lsst.v10_0 schema (its field names, namespaces and
 * nullable unions; fields the app does not read left out), ids above 2^53, and a writer of object container files.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import avro from 'avsc';
import { avroTypeFromSchema } from '../../core/alerts/avro.js';

export const opt = (type: unknown) => ({ type: ['null', type], default: null });

export const diaSource = {
  type: 'record',
  namespace: 'lsst.v10_0',
  name: 'diaSource',
  fields: [
    { name: 'diaSourceId', type: 'long' },
    { name: 'visit', type: 'long' },
    { name: 'diaObjectId', ...opt('long') },
    { name: 'ssObjectId', ...opt('long') },
    { name: 'midpointMjdTai', type: 'double' },
    { name: 'ra', type: 'double' },
    { name: 'dec', type: 'double' },
    { name: 'psfFlux', ...opt('float') },
    { name: 'psfFluxErr', ...opt('float') },
    { name: 'snr', ...opt('float') },
    { name: 'scienceFlux', ...opt('float') },
    { name: 'extendedness', ...opt('float') },
    { name: 'reliability', ...opt('float') },
    { name: 'band', ...opt('string') },
    { name: 'isDipole', ...opt('boolean') },
    { name: 'trail_flag_edge', ...opt('boolean') },
  ],
};
export const diaForcedSource = {
  type: 'record',
  namespace: 'lsst.v10_0',
  name: 'diaForcedSource',
  fields: [
    { name: 'diaForcedSourceId', type: 'long' },
    { name: 'diaObjectId', type: 'long' },
    { name: 'midpointMjdTai', type: 'double' },
    { name: 'psfFlux', ...opt('float') },
    { name: 'psfFluxErr', ...opt('float') },
    { name: 'band', ...opt('string') },
  ],
};
export const diaObject = {
  type: 'record',
  namespace: 'lsst.v10_0',
  name: 'diaObject',
  fields: [
    { name: 'diaObjectId', type: 'long' },
    { name: 'g_psfFluxMean', ...opt('float') },
    { name: 'g_psfFluxNdata', ...opt('int') },
    { name: 'nDiaSources', type: 'int' },
  ],
};
export const ssSource = {
  type: 'record',
  namespace: 'lsst.v10_0',
  name: 'ssSource',
  fields: [
    { name: 'ssObjectId', type: 'long' },
    { name: 'designation', ...opt('string') },
  ],
};
export const mpcOrbits = {
  type: 'record',
  namespace: 'lsst.v10_0',
  name: 'mpc_orbits',
  fields: [{ name: 'designation', ...opt('string') }],
};
export const ALERT_V10 = {
  type: 'record',
  namespace: 'lsst.v10_0',
  name: 'alert',
  fields: [
    { name: 'diaSourceId', type: 'long' },
    { name: 'diaSource', type: diaSource },
    { name: 'prvDiaSources', ...opt({ type: 'array', items: 'lsst.v10_0.diaSource' }) },
    { name: 'prvDiaForcedSources', ...opt({ type: 'array', items: diaForcedSource }) },
    { name: 'diaObject', ...opt(diaObject) },
    { name: 'ssSource', ...opt(ssSource) },
    { name: 'mpc_orbits', ...opt(mpcOrbits) },
    { name: 'cutoutDifference', ...opt('bytes') },
    { name: 'cutoutScience', ...opt('bytes') },
    { name: 'cutoutTemplate', ...opt('bytes') },
  ],
};

// Ids above 2^53 (as real LSSTCam ids are): a double would round them.
export const SRC = 169813006680588318n;
export const OBJ = 169747015154532428n;

export function source(id: bigint, mjd: number, band: string, flux: number, extra: Record<string, unknown> = {}) {
  return {
    diaSourceId: id,
    visit: 2026010500123n,
    diaObjectId: OBJ,
    ssObjectId: 0n,
    midpointMjdTai: mjd,
    ra: 150.1,
    dec: 2.2,
    psfFlux: flux,
    psfFluxErr: 50,
    snr: 12.5,
    scienceFlux: 4000,
    extendedness: 0.25,
    reliability: 0.75,
    band,
    isDipole: false,
    trail_flag_edge: true,
    ...extra,
  };
}

/** Writes `rows` as an avro object container file with `schema` in its header (as Rubin's files carry it). */
export async function writeLsstAvro(file: string, schema: unknown, rows: unknown[]): Promise<string> {
  const encoder = new avro.streams.BlockEncoder(avroTypeFromSchema(schema));
  const out = createWriteStream(file);
  encoder.pipe(out);
  for (const r of rows) encoder.write(r);
  encoder.end();
  await once(out, 'finish');
  return file;
}
