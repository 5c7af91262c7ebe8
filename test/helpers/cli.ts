/** The CLI run in-process in tests: `finkvra --db <db> --home <home> <args>` with only the commands a test needs. */
import { Command } from 'commander';
import { vi } from 'vitest';

export type Register = (program: Command) => void;

/** A fresh program (exits throw instead of ending the process) with the given commands registered. */
export function cliProgram(...commands: Register[]): Command {
  const p = new Command('finkvra').exitOverride().option('--db <file>').option('--home <dir>');
  for (const register of commands) register(p);
  return p;
}

/**
 * A runner over one store and home: each call parses a fresh program and returns what it logged (lines joined);
 * console.error is silenced, and a failing command rejects.
 */
export function cliRunner(dbPath: string, home: string, ...commands: Register[]): (...args: string[]) => Promise<string> {
  return async (...args) => {
    const out: string[] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
    const err = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      await cliProgram(...commands).parseAsync(['--db', dbPath, '--home', home, ...args], { from: 'user' });
    } finally {
      log.mockRestore();
      err.mockRestore();
    }
    return out.join('\n');
  };
}
