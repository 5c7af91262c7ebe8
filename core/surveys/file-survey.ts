/**
 * Which survey a file's alerts come from, from its schema alone: the parquet footer or the avro header, never the
 * rows. Kept apart from registry.ts, which the renderer may import, because it loads the parquet and avro readers.
 */
import avro from 'avsc';
import { AlertFileError } from '../alerts/errors.js';
import { avroTypeFromSchema } from '../alerts/avro.js';
import { detectAlertFileKind } from '../alerts/file-kind.js';
import { shapeOfAvro } from './lsst/avro.js';
import { missingLsstFields } from './lsst/schema.js';
import { parquetSchemaShape } from './lsst/read.js';
import { SURVEYS } from './registry.js';
import type { SchemaShape, SurveyId } from './survey.js';
import { missingZtfFields } from './ztf/survey.js';

/** The schema in an avro file's header; the decoder stops there, before the first block. */
async function avroSchemaShape(file: string): Promise<SchemaShape> {
  const decoder = avro.createFileDecoder(file, { parseHook: avroTypeFromSchema as (s: avro.Schema) => avro.Type });
  try {
    return await new Promise<SchemaShape>((resolve, reject) => {
      decoder.once('metadata', (type: avro.Type) => resolve(shapeOfAvro(type)));
      decoder.once('error', (e: unknown) =>
        reject(new AlertFileError(file, null, `not a readable avro file: ${e instanceof Error ? e.message : String(e)}`)),
      );
      decoder.once('end', () => reject(new AlertFileError(file, null, 'truncated avro file: incomplete header')));
      decoder.resume();
    });
  } finally {
    decoder.destroy();
  }
}

/** The top-level fields and struct children of a parquet or avro alert file (told apart by magic bytes). */
export async function fileSchemaShape(file: string): Promise<SchemaShape> {
  const { kind } = await detectAlertFileKind(file);
  return kind === 'avro' ? avroSchemaShape(file) : parquetSchemaShape(file);
}

/** The survey whose `recognise` accepts the shape, or null. */
export function surveyOfShape(shape: SchemaShape): SurveyId | null {
  for (const s of Object.values(SURVEYS)) if (s.recognise(shape)) return s.id;
  return null;
}

/**
 * The survey of a file's alerts. An unreadable file, or one no survey recognises, is an AlertFileError naming the
 * file and what each survey missed.
 */
export async function surveyOfFile(file: string): Promise<SurveyId> {
  const shape = await fileSchemaShape(file);
  const id = surveyOfShape(shape);
  if (id) return id;
  const ztf = missingZtfFields(shape);
  const lsst = missingLsstFields(shape);
  throw new AlertFileError(
    file,
    ztf[0],
    `not an alert file of any survey: not ZTF (no ${ztf.join(', ')}), not LSST (no ${lsst.join(', ')})`,
  );
}

/**
 * The survey ingest reads a file as: LSST when LSST recognises its schema, else ZTF — also when the schema cannot
 * be read or no survey recognises it, so that the ZTF reader reports such a file in the words it always has.
 */
export async function ingestSurveyOf(file: string): Promise<SurveyId> {
  try {
    return surveyOfShape(await fileSchemaShape(file)) === 'lsst' ? 'lsst' : 'ztf';
  } catch {
    return 'ztf';
  }
}
