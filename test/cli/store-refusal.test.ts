/**
 * Every command but `ingest` refuses a path that is not a Fink VRA store — missing, an empty file, another
 * application's SQLite database — and a store of a newer schema, naming the path and leaving the file byte-for-byte
 * as it was, with no -wal/-shm beside it. The whole matrix runs in this process (the same command modules as
 * `finkvra`); a few cases also run as real `finkvra` processes, for the exit code a shell sees.
 */
import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { describe, expect, it, vi } from 'vitest';
import { registerFeatures } from '../../core/cli/commands/features.js';
import { registerInfo } from '../../core/cli/commands/info.js';
import { registerIngest } from '../../core/cli/commands/ingest.js';
import { registerLabels } from '../../core/cli/commands/labels.js';
import { registerRound } from '../../core/cli/commands/round.js';
import { registerRuns } from '../../core/cli/commands/runs.js';
import { registerScore } from '../../core/cli/commands/score.js';
import { registerTrain } from '../../core/cli/commands/train.js';
import { registerWeak } from '../../core/cli/commands/weak.js';
import { registerWeb } from '../../core/cli/commands/web.js';
import { openStore } from '../../core/store/database.js';
import { sha256File } from '../../core/util/sha256.js';

const bin = fileURLToPath(new URL('../../bin/finkvra.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'finkvra-refusal-'));
const home = join(dir, 'home');

interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

function finkvra(args: string[]): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, '--home', home, ...args], {
      env: { ...process.env, FINKVRA_DB: '', FINKVRA_HOME: home },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

/** The kinds of path that are not a store this version may open, each made fresh for one command. */
const KINDS: Record<string, (file: string) => void> = {
  missing: () => {},
  empty: (f) => writeFileSync(f, ''),
  foreign: (f) => {
    const db = new Database(f);
    db.exec("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT); INSERT INTO notes (body) VALUES ('keep me')");
    db.close();
  },
  newer: (f) => {
    const db = openStore(f);
    db.prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'future', 'x')").run();
    db.close();
  },
};

const labelsCsv = join(dir, 'labels.csv');
writeFileSync(labelsCsv, 'candid,objectId,label\n1234567890123456789,ZTF21aaaaaaa,gal\n');

/** Each command with the arguments it needs to get as far as opening the store. */
const COMMANDS: Record<string, string[]> = {
  info: ['info'],
  features: ['features', '--out', join(dir, 'X.csv')],
  'labels import': ['labels', 'import', labelsCsv],
  'labels export': ['labels', 'export', '--out', join(dir, 'L.csv')],
  'labels holdout': ['labels', 'holdout', '--show'],
  'labels weak': ['labels', 'weak', '--dry-run'],
  train: ['train'],
  round: ['round'],
  runs: ['runs', 'list'],
  score: ['score', '--model', join(dir, 'model.json'), '--out', join(dir, 'scores.csv')],
  web: ['web', '--no-open', '--port', '0'],
};

/** The commands under test, as main.ts registers them, with the root's global options. */
function program(): Command {
  const p = new Command('finkvra').exitOverride().option('--db <file>').option('--home <dir>');
  for (const register of [registerInfo, registerFeatures, registerLabels, registerWeak, registerTrain, registerRound, registerRuns, registerScore, registerWeb, registerIngest]) {
    register(p);
  }
  return p;
}

/** Run a command in this process; what it threw is what `finkvra` prints after "finkvra: " (main.ts). */
async function inProcess(args: string[]): Promise<string | null> {
  const log = vi.spyOn(console, 'log').mockImplementation(() => {});
  try {
    await program().parseAsync(['--home', home, ...args], { from: 'user' });
    return null;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  } finally {
    log.mockRestore();
  }
}

const digest = async (f: string): Promise<string | null> => (existsSync(f) ? sha256File(f) : null);

interface Case {
  name: string;
  args: string[];
  kind: string;
  make: (file: string) => void;
}

const CASES: Case[] = [
  ...Object.entries(COMMANDS).flatMap(([name, args]) => Object.entries(KINDS).map(([kind, make]) => ({ name, args, kind, make }))),
  // ingest creates a store only where there is none (missing, empty): another app's file or a newer store is refused.
  ...(['foreign', 'newer'] as const).map((kind) => ({ name: 'ingest', args: ['ingest', labelsCsv], kind, make: KINDS[kind] })),
];

let n = 0;
async function check(c: Case, run: (args: string[]) => Promise<string | null>): Promise<void> {
  const file = join(dir, `${n++}-${c.kind}.sqlite`);
  c.make(file);
  const before = await digest(file);
  const message = await run(['--db', file, ...c.args]);
  const what = `${c.name} on a ${c.kind} path`;
  expect(message, `${what}: refused`).not.toBeNull();
  expect(message, `${what}: the message names the path`).toContain(file);
  expect(message, what).toMatch(c.kind === 'newer' ? /newer/ : /store|SQLite/);
  expect(await digest(file), `${what}: the file is byte-for-byte unchanged`).toBe(before);
  expect([existsSync(`${file}-wal`), existsSync(`${file}-shm`)], `${what}: no -wal/-shm beside it`).toEqual([false, false]);
}

describe('commands on a path that is not a store', () => {
  it('refuse, naming the path, and leave the file as it was (each command × missing, empty, foreign, newer)', async () => {
    process.env.FINKVRA_DB = '';
    for (const c of CASES) await check(c, inProcess);
    // The other application's rows are still there (the digest says so too; this says it in its own terms).
    const foreign = join(dir, `${CASES.findIndex((c) => c.kind === 'foreign')}-foreign.sqlite`);
    const db = new Database(foreign, { readonly: true });
    expect(db.prepare('SELECT body FROM notes').pluck().all()).toEqual(['keep me']);
    db.close();
  });

  it('exit 1 from a real finkvra process, with the message on stderr', async () => {
    const picked = CASES.filter(
      (c) =>
        (c.name === 'info' && c.kind === 'missing') ||
        (c.name === 'web' && c.kind === 'foreign') ||
        (c.name === 'round' && c.kind === 'empty') ||
        (c.name === 'labels import' && c.kind === 'newer'),
    );
    expect(picked).toHaveLength(4);
    await Promise.all(
      picked.map((c) =>
        check(c, async (args) => {
          const r = await finkvra(args);
          expect(r.code, `${c.name} on a ${c.kind} path: exit code`).toBe(1);
          return r.code === 0 ? null : r.stderr;
        }),
      ),
    );
  });
});
