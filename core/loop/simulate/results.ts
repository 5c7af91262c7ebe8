/**
 * The results file of a simulation: one JSON line per finished cell, appended as soon as the cell ends, so a killed
 * run loses at most the cells in flight and a rerun skips every key already there. A torn last line (killed while
 * writing) is ignored.
 */
import { appendFileSync, closeSync, existsSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import type { CellResult } from './cell.js';
import type { CellConfig } from './grid.js';

export interface ResultLine {
  key: string;
  config: CellConfig;
  result: CellResult;
  /** ISO time the cell finished. */
  at: string;
  /** Tracker run id of the cell (when tracked). */
  runId?: string;
}

export function readResults(file: string): Map<string, ResultLine> {
  const out = new Map<string, ResultLine>();
  if (!existsSync(file)) return out;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    try {
      const r = JSON.parse(line) as ResultLine;
      if (typeof r.key === 'string' && r.result && Array.isArray(r.result.seeds)) out.set(r.key, r);
    } catch {
      // a torn line from a killed run: that cell runs again
    }
  }
  return out;
}

/** Does the file end in the middle of a line (a torn write)? */
function endsTorn(file: string): boolean {
  if (!existsSync(file)) return false;
  const size = statSync(file).size;
  if (size === 0) return false;
  const fd = openSync(file, 'r');
  try {
    const b = Buffer.alloc(1);
    readSync(fd, b, 0, 1, size - 1);
    return b[0] !== 0x0a;
  } finally {
    closeSync(fd);
  }
}

export function appendResult(file: string, r: ResultLine): void {
  // After a torn write, start a new line so this result does not merge with the fragment.
  appendFileSync(file, `${endsTorn(file) ? '\n' : ''}${JSON.stringify(r)}\n`);
}
