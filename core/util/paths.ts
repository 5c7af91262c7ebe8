import { homedir } from 'node:os';
import { join } from 'node:path';

/** Where the app keeps its data unless told otherwise. */
export function finkvraHome(): string {
  return process.env.FINKVRA_HOME ?? join(homedir(), '.finkvra');
}

export function defaultDbPath(): string {
  return join(finkvraHome(), 'finkvra.sqlite');
}
