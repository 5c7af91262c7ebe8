/** Worker-thread entry of a round's computation (started by computeRound with its marker). */
import { computeRoundInline, ROUND_WORKER_MARKER, type RoundComputeInput } from './compute.js';
import type { TransferListItem } from 'node:worker_threads';
import { serveWorkerTasks } from '../util/worker.js';

serveWorkerTasks<RoundComputeInput, unknown>(ROUND_WORKER_MARKER, (input) => {
  const result = computeRoundInline({ ...input, inline: true });
  return { result, transfer: [result.poolP1.buffer as TransferListItem] };
});
