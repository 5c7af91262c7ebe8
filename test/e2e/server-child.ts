/** A web-mode server in a child process (serve-child.ts), so a test can kill it, and calls to its API. */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const REPO = fileURLToPath(new URL('../..', import.meta.url));

export interface Child {
  proc: ChildProcess;
  url: string;
  origin: string;
  token: string;
}

/** Starts a server on `db` and `home` serving the built renderer `ui`; resolves once it prints where it listens. */
export function startChild(db: string, home: string, ui: string): Promise<Child> {
  const proc = spawn(process.execPath, ['--import', 'tsx', join(REPO, 'test/e2e/serve-child.ts'), db, home, ui], {
    cwd: REPO,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    const rl = createInterface({ input: proc.stdout as NodeJS.ReadableStream });
    rl.once('line', (line) => resolve({ proc, ...(JSON.parse(line) as Omit<Child, 'proc'>) }));
    proc.once('exit', (code) => reject(new Error(`server child exited early (${code})`)));
  });
}

/** One API call with the server's token; an error answer rejects with its message. */
export async function api<T>(c: Child, method: string, input: unknown): Promise<T> {
  const res = await fetch(`${c.origin}/api/${method}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${c.token}`, 'content-type': 'application/json' },
    body: JSON.stringify(input),
  });
  const body = (await res.json()) as { result: T; error?: { message: string } };
  if (!res.ok) throw new Error(body.error?.message);
  return body.result;
}
