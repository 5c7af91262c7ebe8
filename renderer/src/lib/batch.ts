import type { LoopState } from '@core/api/types.js';

/** Next unlabelled, unskipped item after `from` (wrapping round), or -1 when the batch is done. */
export function nextOpen(batch: LoopState['batch'], from: number): number {
  for (let k = 1; k <= batch.length; k++) {
    const i = (from + k) % batch.length;
    if (batch[i].label === null && !batch[i].skipped) return i;
  }
  return -1;
}
