/**
 * The agreed formats of the artifacts that getRun() reads back into RunDetail:
 * - confusion.json: `{ "matrix": number[][], "labels"?: string[] }`, rows = true class, columns = predicted class
 *   (a bare number[][] is accepted too);
 * - importance.csv: header `feature,mean,std`, one row per feature (permutation importance over repeats);
 * - balance.json: `{ train, batch, poolPredicted: Record<string, number>, warnings: string[] }`.
 * Readers return null (or []) when the artifact is absent, and throw TrackError when it is malformed.
 */
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { z } from 'zod';
import type { RunDetail } from '../api/types.js';
import { TrackError } from './errors.js';
import { readArtifactFile } from './artifacts.js';
import { BALANCE_ARTIFACT, CONFUSION_ARTIFACT, IMPORTANCE_ARTIFACT } from './names.js';

export type ImportanceRow = RunDetail['importance'][number];
export type Balance = NonNullable<RunDetail['balance']>;

const Matrix = z.array(z.array(z.number()));
const ConfusionSchema = z.union([Matrix, z.object({ matrix: Matrix, labels: z.array(z.string()).optional() })]);
const Counts = z.record(z.string(), z.number());
const BalanceSchema = z.object({
  train: Counts,
  batch: Counts,
  poolPredicted: Counts,
  warnings: z.array(z.string()),
});

export function confusionJson(matrix: number[][], labels?: string[]): string {
  if (labels && labels.length !== matrix.length) {
    throw new TrackError(`confusion matrix has ${matrix.length} rows but ${labels.length} labels`);
  }
  return JSON.stringify(labels ? { matrix, labels } : { matrix }, null, 2) + '\n';
}

export function importanceCsv(rows: readonly ImportanceRow[]): string {
  return stringify(
    rows.map((r) => [r.feature, r.mean, r.std]),
    { header: true, columns: ['feature', 'mean', 'std'], cast: { number: (n) => String(n) } },
  );
}

export function balanceJson(b: Balance): string {
  return JSON.stringify(BalanceSchema.parse(b), null, 2) + '\n';
}

export function parseConfusion(text: string): number[][] {
  const v = ConfusionSchema.safeParse(JSON.parse(text));
  if (!v.success) throw new TrackError(`${CONFUSION_ARTIFACT}: not a matrix: ${v.error.message}`);
  return Array.isArray(v.data) ? v.data : v.data.matrix;
}

export function parseImportance(text: string): ImportanceRow[] {
  const rows = parse(text, { columns: true, skip_empty_lines: true }) as Record<string, string>[];
  return rows.map((r, i) => {
    if (r.feature === undefined || r.mean === undefined || r.std === undefined) {
      throw new TrackError(`${IMPORTANCE_ARTIFACT}: row ${i + 1} lacks feature, mean or std`);
    }
    return { feature: r.feature, mean: Number(r.mean), std: Number(r.std) };
  });
}

export function parseBalance(text: string): Balance {
  const v = BalanceSchema.safeParse(JSON.parse(text));
  if (!v.success) throw new TrackError(`${BALANCE_ARTIFACT}: ${v.error.message}`);
  return v.data;
}

export function readConfusion(artifactDir: string): number[][] | null {
  const buf = readArtifactFile(artifactDir, CONFUSION_ARTIFACT);
  return buf ? parseConfusion(buf.toString('utf8')) : null;
}

export function readImportance(artifactDir: string): ImportanceRow[] | null {
  const buf = readArtifactFile(artifactDir, IMPORTANCE_ARTIFACT);
  return buf ? parseImportance(buf.toString('utf8')) : null;
}

export function readBalance(artifactDir: string): Balance | null {
  const buf = readArtifactFile(artifactDir, BALANCE_ARTIFACT);
  return buf ? parseBalance(buf.toString('utf8')) : null;
}
