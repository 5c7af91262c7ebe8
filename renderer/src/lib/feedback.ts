/**
 * What the label screen tells the person after each key press, and which label keys count for the task: a label
 * lands on the card the person saw, and nothing changes without a line saying so.
 */
import type { LoopState } from '@core/api/types.js';
import { DEFAULT_CLASS_MAPS, LABELS, TASK_CLASS_NAMES, type Label, type Task } from '@core/labels.js';
import { LABEL_TEXT } from './keys.js';

/** A held key's auto-repeats are not presses; a key pressed before a card was painted was meant for the card before. */
export type KeyVerdict = 'apply' | 'repeat' | 'unseen';

/**
 * Whether a card action (label, skip) applies: `seen` is the candid painted when the key went down, `target` the
 * card the action would change now (after the actions queued before it ran).
 */
export function cardKeyVerdict(repeat: boolean, seen: string | null, target: string | null): KeyVerdict {
  if (repeat) return 'repeat';
  return seen !== null && seen === target ? 'apply' : 'unseen';
}

export interface TaskKey {
  label: Label;
  key: string;
  /** The task's class name, or null when the task does not count this label. */
  className: string | null;
}

/** Label keys split into those the task counts (with their class) and those it stores without counting. */
export function taskKeys(task: Task, labelKeys: Record<Label, string>): { counted: TaskKey[]; notCounted: TaskKey[] } {
  const map = DEFAULT_CLASS_MAPS[task];
  const names = TASK_CLASS_NAMES[task];
  const all = LABELS.map((label) => {
    const c = map[label];
    return { label, key: labelKeys[label], className: c === null ? null : names[c] };
  });
  return { counted: all.filter((k) => k.className !== null), notCounted: all.filter((k) => k.className === null) };
}

export const countsForTask = (task: Task, label: Label): boolean => DEFAULT_CLASS_MAPS[task][label] !== null;

export interface BatchCounts {
  /** Items labelled or skipped. */
  handled: number;
  total: number;
  counted: number;
  /** Labelled with a label the task does not count: each brought one more alert into the batch. */
  notCounted: number;
  skipped: number;
}

export function batchCounts(batch: LoopState['batch'], task: Task): BatchCounts {
  let counted = 0;
  let notCounted = 0;
  let skipped = 0;
  for (const b of batch) {
    if (b.label !== null) {
      if (countsForTask(task, b.label)) counted++;
      else notCounted++;
    } else if (b.skipped) skipped++;
  }
  return { handled: counted + notCounted + skipped, total: batch.length, counted, notCounted, skipped };
}

/** The line shown after a label was stored. */
export function labelFeedback(o: { label: Label; objectId: string; task: Task; previous: Label | null; offBatch?: boolean }): string {
  const was = o.previous && o.previous !== o.label ? ` (was ${LABEL_TEXT[o.previous]})` : '';
  const where = o.offBatch ? ' (previous batch)' : '';
  const head = `${LABEL_TEXT[o.label]} ✓ ${o.objectId}${was}${where}`;
  if (countsForTask(o.task, o.label)) return head;
  return `${head}: stored, but task ${o.task} does not count ${LABEL_TEXT[o.label]}; one more alert joins the batch`;
}

export function undoFeedback(objectId: string, restored: Label | null): string {
  return `undone: ${objectId} is ${restored ? `${LABEL_TEXT[restored]} again` : 'unlabelled again'}`;
}

export const VERDICT_TEXT: Record<Exclude<KeyVerdict, 'apply'>, string> = {
  repeat: 'key held down: one press, one label (release and press again)',
  unseen: 'ignored: the key was pressed before this card was shown',
};
