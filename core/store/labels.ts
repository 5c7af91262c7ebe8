/**
 * Label events: an append-only history per alert. A label change, a skip, an undo and an import are each a new row,
 * so nothing is ever overwritten. Every write is one synchronous transaction: committed before the call returns.
 *
 * The current label of a candid is the `label` of its newest event of a labelling source ('human' or 'import') whose
 * action changes the label ('set', 'clear', 'undo'). An undo event carries the label it restores, so "newest event"
 * stays the whole rule. Weak labels ('weak:<column>') are stored apart and never count as labels.
 */
import { isLabel, type Label } from '../labels.js';
import { parseLabelsCsv } from '../labels-csv.js';
export { LabelsCsvError } from '../labels-csv.js';
import type { ImportReport } from '../api/types.js';
import { writeInPieces, type Db } from './database.js';

export type LabelSource = 'human' | 'import' | `weak:${string}`;
export type LabelAction = 'set' | 'undo' | 'clear' | 'skip';

export interface LabelEvent {
  id: number;
  candid: string;
  objectId: string;
  label: Label | null;
  source: LabelSource;
  action: LabelAction;
  undoes: number | null;
  createdAt: string;
}

export interface CurrentLabel {
  candid: string;
  objectId: string;
  label: Label;
  source: 'human' | 'import';
  eventId: number;
  /** UTC time of the event that set the label. */
  at: string;
}

interface EventRow {
  id: number;
  candid: string;
  object_id: string;
  label: string | null;
  source: string;
  action: string;
  undoes: number | null;
  created_at: string;
}

/** Events that decide an alert's current human label (the newest one wins). */
export const LABELLING = `source IN ('human', 'import') AND action IN ('set', 'clear', 'undo')`;

/** Event `e` has not been undone (no undo event names it). */
const NOT_UNDONE = `NOT EXISTS (SELECT 1 FROM label_events u WHERE u.action = 'undo' AND u.undoes = e.id)`;

/** Event `e` is a skip that was not undone. */
const OPEN_SKIP = `e.action = 'skip' AND ${NOT_UNDONE}`;

/**
 * The label of the newest labelling event of one candid (NULL when cleared; no row when never labelled). `candid` is
 * an SQL expression: '?' or an outer query's column. The index on (candid, id) finds it without reading other candids.
 */
export const latestLabelOf = (candid: string): string =>
  `SELECT label FROM label_events WHERE candid = ${candid} AND ${LABELLING} ORDER BY id DESC LIMIT 1`;

/** A row when the candid (an SQL expression, as in latestLabelOf) has a skip that was not undone. */
export const openSkipOf = (candid: string): string =>
  `SELECT 1 FROM label_events e WHERE e.candid = ${candid} AND ${OPEN_SKIP} LIMIT 1`;

/** The newest labelling event of each candid (label NULL when cleared), as `e`: the current human labels. */
export const LATEST_LABELLING_EVENTS = `SELECT e.* FROM label_events e
  JOIN (SELECT candid, MAX(id) AS id FROM label_events WHERE ${LABELLING} GROUP BY candid) m ON m.id = e.id`;

function toEvent(r: EventRow): LabelEvent {
  return {
    id: r.id,
    candid: r.candid,
    objectId: r.object_id,
    label: r.label !== null && isLabel(r.label) ? r.label : null,
    source: r.source as LabelSource,
    action: r.action as LabelAction,
    undoes: r.undoes,
    createdAt: r.created_at,
  };
}

function objectIdOf(db: Db, candid: string): string | undefined {
  const row = db.prepare('SELECT object_id FROM alerts WHERE candid = ?').get(candid) as
    | { object_id: string }
    | undefined;
  return row?.object_id;
}

export class UnknownAlertError extends Error {
  constructor(candid: string) {
    super(`no alert with candid ${candid} in the store`);
    this.name = 'UnknownAlertError';
  }
}

interface AppendArgs {
  candid: string;
  objectId: string;
  label: Label | null;
  source: LabelSource;
  action: LabelAction;
  undoes?: number | null;
  at?: string;
}

function insertEvent(db: Db, a: AppendArgs): number {
  const info = db
    .prepare(
      `INSERT INTO label_events (candid, object_id, label, source, action, undoes, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(a.candid, a.objectId, a.label, a.source, a.action, a.undoes ?? null, a.at ?? new Date().toISOString());
  return Number(info.lastInsertRowid);
}

/** Record a human label (or clear it with null) for an ingested alert. Returns the new event. */
export function setLabel(db: Db, candid: string, label: Label | null, source: 'human' | 'import' = 'human'): LabelEvent {
  if (label !== null && !isLabel(label)) throw new RangeError(`unknown label '${String(label)}'`);
  return db.transaction(() => {
    const objectId = objectIdOf(db, candid);
    if (objectId === undefined) throw new UnknownAlertError(candid);
    const id = insertEvent(db, { candid, objectId, label, source, action: label === null ? 'clear' : 'set' });
    return getEvent(db, id)!;
  })();
}

/** Record a weak label (e.g. from cdsxmatch); kept apart: never a current label. */
export function addWeakLabel(db: Db, candid: string, objectId: string, label: Label, column: string): number {
  return db.transaction(() => insertEvent(db, { candid, objectId, label, source: `weak:${column}`, action: 'set' }))();
}

/** Mark an alert of the batch as skipped (a human event; undo-able). */
export function skipAlert(db: Db, candid: string): LabelEvent {
  return db.transaction(() => {
    const objectId = objectIdOf(db, candid);
    if (objectId === undefined) throw new UnknownAlertError(candid);
    const id = insertEvent(db, { candid, objectId, label: currentLabel(db, candid)?.label ?? null, source: 'human', action: 'skip' });
    return getEvent(db, id)!;
  })();
}

export function getEvent(db: Db, id: number): LabelEvent | undefined {
  const r = db.prepare('SELECT * FROM label_events WHERE id = ?').get(id) as EventRow | undefined;
  return r ? toEvent(r) : undefined;
}

/** The label state of a candid just before event `beforeId` (null = unlabelled). */
function labelBefore(db: Db, candid: string, beforeId: number): Label | null {
  const r = db
    .prepare(`SELECT label FROM label_events WHERE candid = ? AND id < ? AND ${LABELLING} ORDER BY id DESC LIMIT 1`)
    .get(candid, beforeId) as { label: string | null } | undefined;
  return r?.label != null && isLabel(r.label) ? r.label : null;
}

export interface UndoResult {
  /** The new 'undo' event. */
  event: LabelEvent;
  /** The event that was undone. */
  undone: LabelEvent;
  /** The label the candid has again (null = unlabelled). */
  restored: Label | null;
}

/**
 * Undo the newest human event (set, clear or skip) not undone yet: a cursor walking back through the history, so
 * repeated undos go further back. Returns null when there is nothing left to undo.
 */
export function undoLast(db: Db): UndoResult | null {
  return db.transaction(() => {
    const target = db
      .prepare(
        `SELECT * FROM label_events e WHERE e.source = 'human' AND e.action IN ('set', 'clear', 'skip')
         AND ${NOT_UNDONE} ORDER BY e.id DESC LIMIT 1`,
      )
      .get() as EventRow | undefined;
    if (!target) return null;
    const undone = toEvent(target);
    // Undoing a skip leaves the label as it is now; so does undoing a label an import has since replaced. Otherwise
    // the label goes back to its state before the undone event.
    const importedSince = db
      .prepare(`SELECT 1 FROM label_events WHERE candid = ? AND id > ? AND source = 'import' LIMIT 1`)
      .get(undone.candid, undone.id);
    const restored =
      undone.action === 'skip' || importedSince
        ? (currentLabel(db, undone.candid)?.label ?? null)
        : labelBefore(db, undone.candid, undone.id);
    const id = insertEvent(db, {
      candid: undone.candid,
      objectId: undone.objectId,
      label: restored,
      source: 'human',
      action: 'undo',
      undoes: undone.id,
    });
    return { event: getEvent(db, id)!, undone, restored };
  })();
}

export function currentLabel(db: Db, candid: string): CurrentLabel | null {
  const r = db
    .prepare(`SELECT * FROM label_events WHERE candid = ? AND ${LABELLING} ORDER BY id DESC LIMIT 1`)
    .get(candid) as EventRow | undefined;
  if (!r || r.label === null || !isLabel(r.label)) return null;
  return labelFromRow(db, r);
}

function labelFromRow(db: Db, r: EventRow): CurrentLabel {
  // An undo event restores an earlier label: report the source of the event that originally set it.
  let source = r.source as 'human' | 'import';
  let at = r.created_at;
  if (r.action === 'undo') {
    const origin = db
      .prepare(
        `SELECT source, created_at FROM label_events WHERE candid = ? AND id < ? AND source IN ('human', 'import')
         AND action = 'set' AND label = ? ORDER BY id DESC LIMIT 1`,
      )
      .get(r.candid, r.id, r.label) as { source: string; created_at: string } | undefined;
    if (origin) {
      source = origin.source as 'human' | 'import';
      at = origin.created_at;
    }
  }
  return { candid: r.candid, objectId: r.object_id, label: r.label as Label, source, eventId: r.id, at };
}

/** Current labels of every labelled candid, oldest label event first. */
export function currentLabels(db: Db): CurrentLabel[] {
  const rows = db
    .prepare(
      `${LATEST_LABELLING_EVENTS}
       WHERE e.label IS NOT NULL ORDER BY e.id`,
    )
    .all() as EventRow[];
  return rows.filter((r) => isLabel(r.label)).map((r) => labelFromRow(db, r));
}

/** candid → current label. */
export function labelMap(db: Db): Map<string, Label> {
  return new Map(currentLabels(db).map((l) => [l.candid, l.label]));
}

/** Candids with a skip that was not undone (and no label since). */
export function skippedCandids(db: Db): Set<string> {
  const rows = db.prepare(`SELECT DISTINCT e.candid FROM label_events e WHERE ${OPEN_SKIP}`).all() as { candid: string }[];
  return new Set(rows.map((r) => r.candid));
}

/** candid → current label, for these candids only (labelMap restricted to them): a batch's cost, not the store's. */
export function labelsOf(db: Db, candids: Iterable<string>): Map<string, Label> {
  const q = db.prepare(latestLabelOf('?'));
  const out = new Map<string, Label>();
  for (const c of candids) {
    const r = q.get(c) as { label: string | null } | undefined;
    if (r?.label != null && isLabel(r.label)) out.set(c, r.label);
  }
  return out;
}

/** The candids among these with a skip that was not undone (skippedCandids restricted to them). */
export function skippedAmong(db: Db, candids: Iterable<string>): Set<string> {
  const q = db.prepare(openSkipOf('?'));
  const out = new Set<string>();
  for (const c of candids) if (q.get(c) !== undefined) out.add(c);
  return out;
}

/** How many candids have a current label among `labels` (one aggregate query, no label map built). */
export function countLabelledAs(db: Db, labels: readonly Label[]): number {
  if (labels.length === 0) return 0;
  const r = db
    .prepare(`SELECT COUNT(*) AS n FROM (${LATEST_LABELLING_EVENTS}) WHERE label IN (${labels.map(() => '?').join(', ')})`)
    .get(...labels) as { n: number };
  return r.n;
}

/** Whether any of these candids has a human event (label, skip, undo): someone worked on them by hand. */
export function anyHumanEvent(db: Db, candids: readonly string[]): boolean {
  const q = db.prepare(`SELECT 1 FROM label_events WHERE source = 'human' AND candid = ? LIMIT 1`);
  return candids.some((c) => q.get(c) !== undefined);
}

/** Every event of a candid, oldest first (weak labels included). */
export function labelHistory(db: Db, candid: string): LabelEvent[] {
  return (db.prepare('SELECT * FROM label_events WHERE candid = ? ORDER BY id').all(candid) as EventRow[]).map(toEvent);
}

/** Weak labels per candid for one column (newest wins). */
export function weakLabels(db: Db, column: string): Map<string, Label> {
  const rows = db
    .prepare(`SELECT candid, label FROM label_events WHERE source = ? AND label IS NOT NULL ORDER BY id`)
    .all(`weak:${column}`) as { candid: string; label: string }[];
  const out = new Map<string, Label>();
  for (const r of rows) if (isLabel(r.label)) out.set(r.candid, r.label);
  return out;
}

export type { ImportReport } from '../api/types.js';

/**
 * Import the seed's labeled.csv (candid, objectId, label, timestamp). A file that is not such a CSV (binary, a
 * missing column) throws LabelsCsvError; row problems are reported, never fatal. It is written in pieces (see below).
 */
export function importLabelsCsv(db: Db, input: string | Uint8Array, file = 'labels CSV'): ImportReport {
  const parsed = parseLabelsCsv(input, file);
  const report: ImportReport = {
    rows: parsed.rows,
    imported: 0,
    duplicatesInFile: [],
    unchanged: 0,
    changed: [],
    unknownCandids: [],
    invalid: parsed.invalid,
  };
  const latest = new Map<string, { row: number; objectId: string; label: Label; at: string; survey: string | null }>();
  const seenRows = new Map<string, number[]>();
  const now = new Date().toISOString();
  for (const r of parsed.valid) {
    seenRows.set(r.candid, [...(seenRows.get(r.candid) ?? []), r.row]);
    latest.set(r.candid, { row: r.row, objectId: r.objectId, label: r.label, at: r.at ?? now, survey: r.survey });
  }
  for (const [candid, rows] of seenRows) if (rows.length > 1) report.duplicatesInFile.push({ candid, rows });

  // In pieces, so a label written meanwhile (the app) waits for one piece, not for the file. An interrupted import
  // keeps the pieces before; running it again completes it (the labels already there count as unchanged).
  const surveyOf = db.prepare('SELECT survey FROM alerts WHERE candid = ?').pluck();
  writeInPieces(db, [...latest], ([candid, r]) => {
    // A row that names another survey than the stored alert's is about another alert: refused, not relabelled.
    const stored = r.survey === null ? undefined : (surveyOf.get(candid) as string | undefined);
    if (stored !== undefined && stored !== r.survey) {
      report.invalid.push({ row: r.row, reason: `field survey: the file says ${r.survey}; the stored alert ${candid} is ${stored}` });
      return;
    }
    const known = objectIdOf(db, candid);
    if (known === undefined) {
      if (!r.objectId) {
        report.invalid.push({ row: r.row, reason: 'objectId: empty, and the candid is not ingested' });
        return;
      }
      report.unknownCandids.push(candid);
    }
    const cur = currentLabel(db, candid);
    if (cur?.label === r.label) {
      report.unchanged++;
      return;
    }
    if (cur) report.changed.push({ candid, from: cur.label, to: r.label });
    insertEvent(db, { candid, objectId: known ?? r.objectId, label: r.label, source: 'import', action: 'set', at: r.at });
    report.imported++;
  });
  return report;
}

/** The seed's labeled.csv rows (candid, objectId, label, timestamp) of the current labels. */
export function seedLabelRows(db: Db): { candid: string; objectId: string; label: Label; timestamp: string }[] {
  return currentLabels(db).map((l) => ({ candid: l.candid, objectId: l.objectId, label: l.label, timestamp: l.at }));
}
