/**
 * Write a generated night to parquet with parquet-wasm, streaming: each chunk of at most WRITE_CHUNK_ROWS alerts goes
 * arrow JS → IPC → parquet-wasm RecordBatch → `transformParquetStream` → file, and the writer cuts row groups of
 * `rowGroupSize` rows; memory holds one chunk plus the row group being encoded.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Compression, EnabledStatistics, WriterPropertiesBuilder } from 'parquet-wasm';
import { generateNightChunks, withDefaults, type AlertTruth, type GenerateOptions } from './generate.js';
import { TRUTH_LABELS, type TruthLabel } from './populations.js';
import { writeNightChunks } from './stream-file.js';

/** Alerts handed to the parquet writer at a time. */
const WRITE_CHUNK_ROWS = 2000;

export interface WrittenNight {
  file: string;
  /** Sidecar with the truth labels (`<file>.truth.json`), null when not written. */
  truthFile: string | null;
  nAlerts: number;
  rowGroups: number;
  truth: AlertTruth[];
  counts: Record<TruthLabel, number>;
}

export interface WriteOptions extends GenerateOptions {
  /** Write `<file>.truth.json` next to the parquet (default true). */
  truthSidecar?: boolean;
  onProgress?: (alertsWritten: number) => void;
  /** Alerts handed to the writer at a time (default WRITE_CHUNK_ROWS; tests use small ones). */
  chunkRows?: number;
}

/** The truth sidecar's content. */
export interface TruthSidecar {
  generator: 'finkvra-sample';
  options: GenerateOptions;
  counts: Record<TruthLabel, number>;
  alerts: AlertTruth[];
}

export function truthFileFor(file: string): string {
  return `${file}.truth.json`;
}

export async function writeSampleNight(file: string, options: WriteOptions): Promise<WrittenNight> {
  const { truthSidecar = true, onProgress, chunkRows = WRITE_CHUNK_ROWS, ...gen } = options;
  // Validate before anything is created: an error inside the stream would surface as an opaque wasm error.
  const rowGroupSize = withDefaults(gen).rowGroupSize;
  await mkdir(dirname(file), { recursive: true });
  let builder = new WriterPropertiesBuilder()
    .setCompression(Compression.SNAPPY)
    .setMaxRowGroupSize(rowGroupSize)
    .setCreatedBy('finkvra-sample (parquet-wasm)');
  for (const c of ['cutoutScience', 'cutoutTemplate', 'cutoutDifference']) {
    // Stamps are unique, already gzipped blobs: dictionary, snappy and min/max statistics only cost time there.
    builder = builder
      .setColumnDictionaryEnabled(`${c}.stampData`, false)
      .setColumnCompression(`${c}.stampData`, Compression.UNCOMPRESSED)
      .setColumnStatisticsEnabled(`${c}.stampData`, EnabledStatistics.None);
  }
  const props = builder.build();

  // Chunks smaller than a row group (the writer cuts row groups itself): a 20k-alert chunk with realistic cutouts
  // (~900 MB) handed to wasm at once made parquet-wasm trap. Chunk boundaries do not change the rows generated.
  const chunks = generateNightChunks({ ...gen, rowGroupSize: Math.min(rowGroupSize, chunkRows) });
  const truth = await writeNightChunks(chunks, props, file, onProgress);

  const counts = Object.fromEntries(TRUTH_LABELS.map((l) => [l, 0])) as Record<TruthLabel, number>;
  for (const t of truth) counts[t.label]++;
  let truthFile: string | null = null;
  if (truthSidecar) {
    truthFile = truthFileFor(file);
    const side: TruthSidecar = { generator: 'finkvra-sample', options: gen, counts, alerts: truth };
    await writeFile(truthFile, JSON.stringify(side));
  }
  // The writer cuts row groups at exactly rowGroupSize rows (a chunk may overrun by an object's extra alerts).
  const rowGroups = Math.ceil(truth.length / rowGroupSize);
  return { file, truthFile, nAlerts: truth.length, rowGroups, truth, counts };
}
