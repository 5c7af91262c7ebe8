/**
 * Light-curve statistics of one alert (current candidate + prv_candidates), as ARCHITECTURE.md defines them:
 * - ndets: epochs with isdiffpos == 't' (current + history);
 * - nnondets: history entries whose magpsf is null (upper limits); negative detections ('f') count in neither;
 * - dets_median / dets_std: median and population std (ddof 0) of magpsf over the positive detections, g and r
 *   pooled; NaN when there is none (std 0 for one).
 */
import type { Alert } from '../alerts/alert.js';
import { LC_DIFFPOS, LC_MAG, LC_STRIDE, packAlert } from './packed-lc.js';

export interface LightCurveStats {
  ndets: number;
  nnondets: number;
  median: number;
  std: number;
}

// Reused across calls: the feature builder runs over 100k alerts and must not allocate per alert.
let scratch = new Float64Array(256);

/** Median of scratch[0..n) (n >= 1); sorts that prefix in place. */
function medianOfScratch(n: number): number {
  if (n <= 64) {
    // Insertion sort: light curves are short, and this avoids the subarray view a typed sort needs.
    for (let i = 1; i < n; i++) {
      const v = scratch[i];
      let j = i - 1;
      while (j >= 0 && scratch[j] > v) {
        scratch[j + 1] = scratch[j];
        j--;
      }
      scratch[j + 1] = v;
    }
  } else {
    scratch.subarray(0, n).sort();
  }
  const mid = n >> 1;
  return n % 2 ? scratch[mid] : 0.5 * (scratch[mid - 1] + scratch[mid]);
}

function push(n: number, v: number): number {
  if (n === scratch.length) {
    const bigger = new Float64Array(scratch.length * 2);
    bigger.set(scratch);
    scratch = bigger;
  }
  scratch[n] = v;
  return n + 1;
}

/** Writes the stats of an Alert into `out` (reused by the batch builder) and returns it. */
export function lightCurveStats(alert: Alert, out?: LightCurveStats): LightCurveStats {
  return packedLightCurveStats(packAlert(alert), out);
}

/**
 * The stats of a packed light curve (history, then the current epoch last; see packed-lc.ts). nnondets counts the
 * history only: the current candidate is a detection by construction.
 */
export function packedLightCurveStats(
  lc: Float64Array,
  out: LightCurveStats = { ndets: 0, nnondets: 0, median: NaN, std: NaN },
): LightCurveStats {
  let ndets = 0;
  let nnondets = 0;
  let n = 0; // positive detections with a magnitude
  const last = lc.length - LC_STRIDE;
  for (let at = 0; at <= last; at += LC_STRIDE) {
    // The two definitions are applied literally and independently (real upper limits have isdiffpos null).
    const missing = Number.isNaN(lc[at + LC_MAG]);
    if (missing && at < last) nnondets++;
    if (lc[at + LC_DIFFPOS] === 1) {
      ndets++;
      if (!missing) n = push(n, lc[at + LC_MAG]);
    }
  }
  out.ndets = ndets;
  out.nnondets = nnondets;
  if (n === 0) {
    out.median = NaN;
    out.std = NaN;
    return out;
  }
  // Two-pass population std (numerically stable), before the median sorts the buffer.
  let sum = 0;
  for (let i = 0; i < n; i++) sum += scratch[i];
  const mean = sum / n;
  let ss = 0;
  for (let i = 0; i < n; i++) {
    const d = scratch[i] - mean;
    ss += d * d;
  }
  out.std = Math.sqrt(ss / n);
  out.median = medianOfScratch(n);
  return out;
}
