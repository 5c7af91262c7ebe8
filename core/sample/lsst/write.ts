/**
 * `generateLsstNight`: the seeded LSST night written as Fink's LSST 10.0 parquet, streamed like the ZTF night
 * (../write.ts): chunks of alerts → Arrow (apache-arrow) → IPC → parquet-wasm → file, row groups of `rowGroup`
 * alerts; memory holds one chunk plus the row group being encoded. The truth goes to `<file>.truth.json`.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Field, RecordBatch, Schema, Struct, Table, makeData } from 'apache-arrow';
import { Compression, EnabledStatistics, WriterPropertiesBuilder } from 'parquet-wasm';
import { arrowType, makeColumnBuilder, type ColumnBuilder } from '../columns.js';
import type { TruthLabel } from '../populations.js';
import { emptyCounts, lsstAlertRows, lsstDefaults, type LsstAlertRow, type LsstAlertTruth, type LsstNightOptions } from './generate.js';
import { LSST_COLUMNS } from './schema.js';
import { writeNightChunks } from '../stream-file.js';

const FIELDS = LSST_COLUMNS.map(([name, spec]) => new Field(name, arrowType(spec), true));
export const LSST_SAMPLE_SCHEMA = new Schema(FIELDS);
const CUTOUT_COLUMNS = ['cutoutDifference', 'cutoutScience', 'cutoutTemplate'];
/** Alerts handed to the parquet writer at a time (~100 kB of stamps each: 2,000 doubled the peak memory). */
const CHUNK_ROWS = 500;

export interface LsstWriteOptions extends LsstNightOptions {
  /** The parquet file to write. */
  out: string;
  /** Write `<out>.truth.json` (default true). */
  truthSidecar?: boolean;
  onProgress?: (alertsWritten: number) => void;
}

export interface WrittenLsstNight {
  file: string;
  truthFile: string | null;
  nAlerts: number;
  rowGroups: number;
  truth: LsstAlertTruth[];
  counts: Record<TruthLabel, number>;
}

export interface LsstTruthSidecar {
  generator: 'finkvra-sample-lsst';
  options: LsstNightOptions;
  counts: Record<TruthLabel, number>;
  alerts: LsstAlertTruth[];
}

/** Rows into Arrow column builders, one chunk at a time. */
class ChunkBuilder {
  private builders: ColumnBuilder[];
  length = 0;
  constructor(capacity: number) {
    this.builders = LSST_COLUMNS.map(([, spec]) => makeColumnBuilder(spec, capacity));
  }
  append(a: LsstAlertRow): void {
    LSST_COLUMNS.forEach(([name], k) => this.builders[k]!.append(a.row[name]));
    this.length++;
  }
  finish(): Table {
    const children = this.builders.map((b) => b.finish());
    const data = makeData({ type: new Struct(FIELDS), length: this.length, nullCount: 0, children });
    this.length = 0;
    return new Table([new RecordBatch(LSST_SAMPLE_SCHEMA, data)]);
  }
}

/** The night as Arrow tables of at most `chunkRows` alerts each, with their truth. */
export function* lsstNightChunks(opts: LsstNightOptions, chunkRows = CHUNK_ROWS): Generator<{ table: Table; truth: LsstAlertTruth[] }> {
  const builder = new ChunkBuilder(Math.min(chunkRows, opts.alerts));
  let truth: LsstAlertTruth[] = [];
  for (const a of lsstAlertRows(opts)) {
    builder.append(a);
    truth.push(a.truth);
    if (builder.length >= chunkRows) {
      yield { table: builder.finish(), truth };
      truth = [];
    }
  }
  if (builder.length > 0) yield { table: builder.finish(), truth };
}

function writerProperties(rowGroup: number): ReturnType<WriterPropertiesBuilder['build']> {
  let b = new WriterPropertiesBuilder().setCompression(Compression.SNAPPY).setMaxRowGroupSize(rowGroup).setCreatedBy('finkvra-sample-lsst (parquet-wasm)');
  // Stamps are unique noisy blobs: dictionary and min/max statistics only cost time there.
  for (const c of CUTOUT_COLUMNS) b = b.setColumnDictionaryEnabled(c, false).setColumnStatisticsEnabled(c, EnabledStatistics.None);
  return b.build();
}

/** Write the night to `out` (and its truth sidecar); the options are checked before anything is created. */
export async function generateLsstNight(options: LsstWriteOptions): Promise<WrittenLsstNight> {
  const { out, truthSidecar = true, onProgress, ...gen } = options;
  const { rowGroup } = lsstDefaults(gen);
  await mkdir(dirname(out), { recursive: true });
  const chunks = lsstNightChunks(gen, Math.min(rowGroup, CHUNK_ROWS));
  const truth = await writeNightChunks(chunks, writerProperties(rowGroup), out, onProgress);

  const counts = emptyCounts();
  for (const t of truth) counts[t.label]++;
  let truthFile: string | null = null;
  if (truthSidecar) {
    truthFile = `${out}.truth.json`;
    const side: LsstTruthSidecar = { generator: 'finkvra-sample-lsst', options: gen, counts, alerts: truth };
    await writeFile(truthFile, JSON.stringify(side));
  }
  return { file: out, truthFile, nAlerts: truth.length, rowGroups: Math.ceil(truth.length / rowGroup), truth, counts };
}
