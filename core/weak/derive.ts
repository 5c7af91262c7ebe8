/**
 * Derive weak labels for the ingested alerts from the mapping table, store them per column (source 'weak:<column>',
 * kept apart from human labels), and combine the columns by precedence when a labelled set is needed.
 */
import { LABELS, type Label } from '../labels.js';
import { writeInPieces, type Db } from '../store/database.js';
import { addWeakLabel, weakLabels } from '../store/labels.js';
import type { WeakAlertRow } from '../store/weak-alerts.js';
export { readWeakAlertRows, type WeakAlertRow } from '../store/weak-alerts.js';
import { EXCLUDED_ROID, lookupWeak, WEAK_COLUMNS, type WeakColumn, type WeakVerdict } from './mapping.js';

export interface WeakConflict {
  candid: string;
  objectId: string;
  /** Label per column that gave one. */
  labels: Partial<Record<WeakColumn, Label>>;
  /** The label kept (precedence). */
  kept: Label;
}

export interface WeakDerivation {
  alerts: number;
  /** Alerts left out because roid = 3 (known asteroid). */
  excludedRoid: number;
  /** Per column: candid -> label (only values that give a label). */
  perColumn: Record<WeakColumn, Map<string, Label>>;
  /** Per column: verdict -> number of alerts (label words, 'none', 'ambiguous', 'unseen'). */
  verdictCounts: Record<WeakColumn, Record<string, number>>;
  /** Values absent from the table, per column, with their alert counts. */
  unseen: Record<WeakColumn, Map<string, number>>;
  /** Combined label per candid (first column of WEAK_COLUMNS that gives one) and the column it came from. */
  combined: Map<string, { label: Label; column: WeakColumn; objectId: string }>;
  /** Alerts whose columns give labels of different gal-task classes (gal/varstar vs extragal/agn). */
  conflicts: WeakConflict[];
}

const galSide = (l: Label): string => (l === 'gal' || l === 'varstar' ? 'galactic' : l === 'extragal' || l === 'agn' ? 'extragalactic' : l);

export function deriveWeakLabels(rows: readonly WeakAlertRow[]): WeakDerivation {
  const emptyCounts = (): Record<string, number> =>
    Object.fromEntries([...LABELS, 'none', 'ambiguous', 'unseen'].map((k) => [k, 0]));
  const out: WeakDerivation = {
    alerts: rows.length,
    excludedRoid: 0,
    perColumn: { tnsclass: new Map(), cdsxmatch: new Map(), finkclass: new Map() },
    verdictCounts: { tnsclass: emptyCounts(), cdsxmatch: emptyCounts(), finkclass: emptyCounts() },
    unseen: { tnsclass: new Map(), cdsxmatch: new Map(), finkclass: new Map() },
    combined: new Map(),
    conflicts: [],
  };
  for (const r of rows) {
    if (r.roid === EXCLUDED_ROID) {
      out.excludedRoid++;
      continue;
    }
    const labels: Partial<Record<WeakColumn, Label>> = {};
    for (const col of WEAK_COLUMNS) {
      const { verdict } = lookupWeak(col, r[col]);
      out.verdictCounts[col][verdict]++;
      if (verdict === 'unseen') {
        const v = r[col] ?? '';
        out.unseen[col].set(v, (out.unseen[col].get(v) ?? 0) + 1);
        continue;
      }
      if (isLabelVerdict(verdict)) {
        labels[col] = verdict;
        out.perColumn[col].set(r.candid, verdict);
      }
    }
    const first = WEAK_COLUMNS.find((c) => labels[c] !== undefined);
    if (!first) continue;
    const kept = labels[first]!;
    out.combined.set(r.candid, { label: kept, column: first, objectId: r.objectId });
    const sides = new Set(Object.values(labels).map(galSide));
    if (sides.size > 1) out.conflicts.push({ candid: r.candid, objectId: r.objectId, labels, kept });
  }
  return out;
}

function isLabelVerdict(v: WeakVerdict | 'unseen'): v is Label {
  return (LABELS as readonly string[]).includes(v);
}

export interface StoreWeakResult {
  /** New weak label events per column. */
  written: Record<WeakColumn, number>;
  /** Already stored with the same label (nothing written). */
  unchanged: Record<WeakColumn, number>;
}

/**
 * Store the per-column labels as 'weak:<column>' events. Idempotent: a label already current for that source is not
 * written again; a changed mapping adds a new event (the newest wins). A value that no longer gives a label leaves
 * the old weak event in place (the store has no weak 'clear'): re-derive into a fresh store after such a change.
 */
export function storeWeakLabels(db: Db, d: WeakDerivation, rows: readonly WeakAlertRow[]): StoreWeakResult {
  const objectOf = new Map(rows.map((r) => [r.candid, r.objectId]));
  const res: StoreWeakResult = {
    written: { tnsclass: 0, cdsxmatch: 0, finkclass: 0 },
    unchanged: { tnsclass: 0, cdsxmatch: 0, finkclass: 0 },
  };
  const todo: [WeakColumn, string, Label][] = [];
  for (const col of WEAK_COLUMNS) {
    const existing = weakLabels(db, col);
    for (const [candid, label] of d.perColumn[col]) {
      if (existing.get(candid) === label) res.unchanged[col]++;
      else todo.push([col, candid, label]);
    }
  }
  // In pieces, so a label written meanwhile (the app) waits for one piece, not for the whole set; an interrupted
  // run is completed by running it again (what was written counts as unchanged).
  writeInPieces(db, todo, ([col, candid, label]) => {
    addWeakLabel(db, candid, objectOf.get(candid) ?? '', label, col);
    res.written[col]++;
  });
  return res;
}

/** Stored weak labels combined over the columns by precedence (WEAK_COLUMNS order): candid -> label and column. */
export function combinedWeakLabels(db: Db): Map<string, { label: Label; column: WeakColumn }> {
  const out = new Map<string, { label: Label; column: WeakColumn }>();
  for (const col of WEAK_COLUMNS) {
    for (const [candid, label] of weakLabels(db, col)) if (!out.has(candid)) out.set(candid, { label, column: col });
  }
  return out;
}
