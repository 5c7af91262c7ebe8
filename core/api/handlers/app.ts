import type { Handlers } from '../contract.js';

/** The open store as chosen at start-up (core/api/store-choice.ts): the UI shows when it is the sample night. */
export function appHandlers(store: { path: string; isSample: boolean }): Pick<Handlers, 'app.store'> {
  return { 'app.store': () => ({ path: store.path, isSample: store.isSample }) };
}
