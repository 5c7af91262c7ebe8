/** Labels, keys and task class maps (the seed's; see ARCHITECTURE.md). */

export const LABELS = ['real', 'extragal', 'gal', 'agn', 'bogus', 'varstar'] as const;
export type Label = (typeof LABELS)[number];

export function isLabel(v: unknown): v is Label {
  return typeof v === 'string' && (LABELS as readonly string[]).includes(v);
}

/** The seed's default keys. Remappable in settings. */
export const DEFAULT_LABEL_KEYS: Record<Label, string> = {
  real: 'r',
  extragal: 'x',
  gal: 'g',
  agn: 'a',
  bogus: 'b',
  varstar: 'v',
};

export const TASKS = ['gal', 'real', 'trans'] as const;
export type Task = (typeof TASKS)[number];

/** Class of each label per task; null = not used by that task (stored but not counted). */
export type ClassMap = Record<Label, 0 | 1 | null>;

export const DEFAULT_CLASS_MAPS: Record<Task, ClassMap> = {
  gal: { real: null, extragal: 0, gal: 1, agn: 0, bogus: null, varstar: 1 },
  real: { real: 1, extragal: 1, gal: 1, agn: 1, bogus: 0, varstar: 1 },
  trans: { real: null, extragal: 1, gal: 1, agn: 0, bogus: null, varstar: 0 },
};

/** Human-readable class names per task (class 0, class 1). */
export const TASK_CLASS_NAMES: Record<Task, [string, string]> = {
  gal: ['not galactic', 'galactic'],
  real: ['bogus', 'real'],
  trans: ['not transient', 'transient'],
};
