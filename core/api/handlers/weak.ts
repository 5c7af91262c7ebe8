/** `labels.weak`: weak labels from Fink's catalogue columns (core/weak), as a plain result every transport can carry. */
import { LABELS } from '../../labels.js';
import { deriveWeakLabels, storeWeakLabels, type WeakDerivation } from '../../weak/derive.js';
import { lsstWeakNotes, weakRowsBySurvey } from '../../weak/lsst.js';
import { WEAK_COLUMNS } from '../../weak/mapping.js';
import type { Handlers } from '../contract.js';
import type { ServiceContext } from '../context.js';
import type { WeakLabelsResult } from '../types.js';

/** The derivation without its Maps (JSON for web mode and IPC). */
export function weakLabelsResult(d: WeakDerivation, stored: WeakLabelsResult['stored'], notes: string[] = []): WeakLabelsResult {
  const combinedPerLabel: Record<string, number> = Object.fromEntries(LABELS.map((l) => [l, 0]));
  const combinedFrom: Record<string, number> = Object.fromEntries(WEAK_COLUMNS.map((c) => [c, 0]));
  for (const { label, column } of d.combined.values()) {
    combinedPerLabel[label]++;
    combinedFrom[column]++;
  }
  return {
    alerts: d.alerts,
    excludedRoid: d.excludedRoid,
    verdictCounts: d.verdictCounts,
    combined: d.combined.size,
    combinedPerLabel,
    combinedFrom,
    conflicts: d.conflicts.map((c) => ({ ...c, labels: { ...c.labels } })),
    unseen: Object.fromEntries(WEAK_COLUMNS.map((c) => [c, [...d.unseen[c]]])),
    stored,
    notes,
  };
}

export function weakHandlers(ctx: ServiceContext): Pick<Handlers, 'labels.weak'> {
  return {
    'labels.weak': ({ dryRun }) => {
      // ZTF alerts carry the catalogue columns; the LSST files read here do not (the notes say what was found).
      const { ztf: rows, lsst } = weakRowsBySurvey(ctx.db);
      const d = deriveWeakLabels(rows);
      // Weak labels are kept apart from human ones: they never count for a round, so the loop is not advanced.
      return weakLabelsResult(d, dryRun ? null : storeWeakLabels(ctx.db, d, rows), lsstWeakNotes(lsst));
    },
  };
}
