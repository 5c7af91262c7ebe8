/** The Model screen's class balance and confusion matrix in words (pure: tested without a browser). */
import { TASK_CLASS_NAMES, TASKS, type Task } from '@core/labels.js';
import { isLabel } from '@core/labels.js';
import { LABEL_TEXT } from './keys.js';

const pct = (n: number, total: number) => `${Math.round((100 * n) / total)}%`;

/** The task's class names (class 0, class 1), from the run's `task` param; generic names when it is unknown. */
export function classNamesOf(task: string | undefined): [string, string] {
  return task && (TASKS as readonly string[]).includes(task) ? TASK_CLASS_NAMES[task as Task] : ['class 0', 'class 1'];
}

/**
 * The training labels of a run's balance (`class:<name>`, `label:<word>`, `n_train`) as a sentence:
 * "40 training labels: 24 galactic (60%), 16 not galactic (40%). By label: 20 galactic, 4 variable star, …;
 * 3 not counted by this task."
 */
export function trainingBalanceText(counts: Record<string, number>, classNames: [string, string]): string {
  const c0 = counts[`class:${classNames[0]}`] ?? 0;
  const c1 = counts[`class:${classNames[1]}`] ?? 0;
  const total = c0 + c1;
  if (total === 0) return 'No counted training labels.';
  const [big, small] = c1 >= c0 ? [[c1, classNames[1]], [c0, classNames[0]]] as const : [[c0, classNames[0]], [c1, classNames[1]]] as const;
  const head = `${total} training label${total === 1 ? '' : 's'}: ${big[0]} ${big[1]} (${pct(big[0], total)}), ${small[0]} ${small[1]} (${pct(small[0], total)}).`;
  const byLabel = Object.entries(counts)
    .filter(([k, v]) => k.startsWith('label:') && v > 0)
    .map(([k, v]) => [v, k.slice(6)] as const)
    .sort((a, b) => b[0] - a[0])
    .map(([v, l]) => `${v} ${isLabel(l) ? LABEL_TEXT[l] : l}`);
  const notCounted = counts['class:not counted'] ?? 0;
  const tail = notCounted > 0 ? `; ${notCounted} not counted by this task` : '';
  return byLabel.length ? `${head} By label: ${byLabel.join(', ')}${tail}.` : head;
}

/** A balance key made readable: "label:varstar" → "label: variable star", "labelled class:galactic" as is. */
export function balanceKeyText(key: string): string {
  const m = /^(label|labelled):(.*)$/.exec(key);
  if (m && isLabel(m[2])) return `${m[1]}: ${LABEL_TEXT[m[2]]}`;
  return key.replace(/^class:/, 'class: ').replace(/_/g, ' ');
}
