/**
 * Parsing and validating the seed's labeled.csv (candid, objectId, label, timestamp) before anything is stored.
 * File-level problems (binary data, a missing column) are one error for the whole file; row problems are reported per
 * row. Messages name the file, the row and the field, never the file's content (it may not be what the user meant).
 */
import { parse } from 'csv-parse/sync';
import { isLabel, type Label } from './labels.js';
import { SURVEY_IDS } from './surveys/registry.js';
import type { SurveyId } from './surveys/survey.js';

/** The seed's columns; a file may also have `survey` (ztf, lsst), checked against the stored alert's survey. */
export const LABELS_CSV_COLUMNS = ['candid', 'objectId', 'label', 'timestamp'] as const;

/** ZTF candids and LSST diaSourceIds are positive signed 64-bit integers (kept as exact decimal strings). */
const MAX_CANDID = 2n ** 63n - 1n;
const ISO_TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

export class LabelsCsvError extends Error {
  constructor(file: string, reason: string) {
    super(`${file}: ${reason}`);
    this.name = 'LabelsCsvError';
  }
}

export interface LabelRow {
  row: number;
  candid: string;
  objectId: string;
  label: Label;
  /** ISO time of the label; null when the cell is empty (the import time is used). */
  at: string | null;
  /** The survey the file says the alert is of (optional `survey` column); null when it says nothing. */
  survey: SurveyId | null;
}

export interface ParsedLabelsCsv {
  rows: number;
  valid: LabelRow[];
  invalid: { row: number; reason: string }[];
}

/** Text of the file, or a LabelsCsvError when it is not UTF-8 text (a parquet, an image, a key…). */
function asText(input: string | Uint8Array, file: string): string {
  if (typeof input === 'string') {
    if (input.includes('\0')) throw new LabelsCsvError(file, 'not a CSV text file (binary data)');
    return input;
  }
  if (input.includes(0)) throw new LabelsCsvError(file, 'not a CSV text file (binary data)');
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(input);
  } catch {
    throw new LabelsCsvError(file, 'not a CSV text file (not UTF-8 text)');
  }
}

/** objectId and timestamp may be absent: the store knows an ingested candid's object, and no time means now. */
const REQUIRED_COLUMNS = ['candid', 'label'] as const;

function checkHeader(header: string[], file: string): void {
  const missing = REQUIRED_COLUMNS.find((c) => !header.includes(c));
  if (missing === undefined) return;
  // The file's own first line is not shown (it may be anything, e.g. a password file): only a hint about case.
  const caseOnly = header.some((h) => h.toLowerCase() === missing.toLowerCase());
  const hint = caseOnly ? '; column names are case-sensitive' : '';
  throw new LabelsCsvError(file, `no '${missing}' column (the seed's labeled.csv has the header ${LABELS_CSV_COLUMNS.join(',')}${hint})`);
}

export function candidProblem(candid: string): string | null {
  if (candid === '') return 'field candid: empty';
  // A float form (1.23e18, 1234.0) means a writer went through double and lost digits of the 19-digit candid.
  if (/^[\d.eE+-]+$/.test(candid) && !/^\d+$/.test(candid)) return 'field candid: a float (digits were lost)';
  if (!/^\d+$/.test(candid)) return 'field candid: not a decimal integer';
  const v = BigInt(candid);
  if (v < 1n || v > MAX_CANDID) return 'field candid: candid out of range 1…2^63−1';
  return null;
}

/** ISO 8601 time, or null when it is not one (including impossible dates that Date would roll over). */
export function parseTimestamp(text: string): string | null {
  const m = ISO_TIMESTAMP.exec(text);
  if (!m) return null;
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map((x) => Number(x ?? 0));
  const t = new Date(text);
  if (Number.isNaN(t.getTime()) || mo < 1 || mo > 12 || h > 23 || mi > 59 || s > 60) return null;
  // Date rolls 2025-02-30 over to March: check the day against the month's length.
  if (d < 1 || d > new Date(Date.UTC(y, mo, 0)).getUTCDate()) return null;
  return t.toISOString();
}

/** The `survey` cell: a survey id (any case), or null when empty; undefined when it names no survey. */
function surveyCell(text: string | undefined): SurveyId | null | undefined {
  const v = (text ?? '').toLowerCase();
  if (v === '') return null;
  return (SURVEY_IDS as readonly string[]).includes(v) ? (v as SurveyId) : undefined;
}

function checkRow(rec: Record<string, string>, row: number): LabelRow | { row: number; reason: string } {
  const candid = rec.candid ?? '';
  const bad = candidProblem(candid);
  if (bad) return { row, reason: bad };
  const label = (rec.label ?? '').toLowerCase();
  if (!isLabel(label)) return { row, reason: 'field label: not one of the labels (real, extragal, gal, agn, bogus, varstar)' };
  const ts = rec.timestamp ?? '';
  const at = ts === '' ? null : parseTimestamp(ts);
  if (ts !== '' && at === null) return { row, reason: 'field timestamp: not an ISO 8601 time (e.g. 2025-06-01T10:00:00Z)' };
  const survey = surveyCell(rec.survey);
  if (survey === undefined) return { row, reason: `field survey: not one of ${SURVEY_IDS.join(', ')}` };
  return { row, candid, objectId: rec.objectId ?? '', label, at, survey };
}

/** Rows are numbered from 2 (line 1 is the header). */
export function parseLabelsCsv(input: string | Uint8Array, file: string): ParsedLabelsCsv {
  const text = asText(input, file);
  let records: Record<string, string>[];
  try {
    records = parse(text, {
      columns: (header: string[]) => {
        checkHeader(header.map((h) => h.trim()), file);
        return header.map((h) => h.trim());
      },
      skip_empty_lines: true,
      trim: true,
      bom: true,
      relax_column_count: true,
    }) as Record<string, string>[];
  } catch (e) {
    if (e instanceof LabelsCsvError) throw e;
    // csv-parse's messages quote the offending text: give the line only.
    const line = (e as { lines?: number }).lines;
    throw new LabelsCsvError(file, `not valid CSV${line ? ` (near line ${line})` : ''}`);
  }
  if (records.length === 0 && text.trim() === '') throw new LabelsCsvError(file, 'empty file (expected a header line)');
  const out: ParsedLabelsCsv = { rows: records.length, valid: [], invalid: [] };
  records.forEach((rec, i) => {
    const r = checkRow(rec, i + 2);
    if ('reason' in r) out.invalid.push(r);
    else out.valid.push(r);
  });
  return out;
}
