/** Round bookkeeping lives in the store (core/store/rounds.ts); the loop's modules import it from here. */
export * from '../store/rounds.js';
