/** Writers for the artifacts getRun() reads back (formats in artifact-formats.ts). */
import type { Db } from '../store/database.js';
import type { Balance, ImportanceRow } from './artifact-formats.js';
import { balanceJson, confusionJson, importanceCsv } from './artifact-formats.js';
import { BALANCE_ARTIFACT, CONFUSION_ARTIFACT, IMPORTANCE_ARTIFACT } from './names.js';
import { logArtifact } from './tracker.js';

/** confusion.json: rows = true class, columns = predicted class; labels name the classes in that order. */
export function logConfusion(db: Db, runId: string, matrix: number[][], labels?: string[]): string {
  return logArtifact(db, runId, CONFUSION_ARTIFACT, confusionJson(matrix, labels));
}

/** importance.csv with header feature,mean,std. */
export function logImportance(db: Db, runId: string, rows: readonly ImportanceRow[]): string {
  return logArtifact(db, runId, IMPORTANCE_ARTIFACT, importanceCsv(rows));
}

export function logBalance(db: Db, runId: string, balance: Balance): string {
  return logArtifact(db, runId, BALANCE_ARTIFACT, balanceJson(balance));
}
