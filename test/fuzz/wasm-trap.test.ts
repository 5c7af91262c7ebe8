/**
 * core/util/wasm-trap.ts in a child process each: a WebAssembly trap raised outside any promise while a guarded read
 * waits rejects that read and the process goes on; any other uncaught error still ends the process as Node would.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const TRAP = fileURLToPath(new URL('../../core/util/wasm-trap.ts', import.meta.url));

function run(body: string): { status: number | null; stdout: string; stderr: string } {
  const code = `import { untilTrap, WasmTrap } from ${JSON.stringify(TRAP)};\n${body}`;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A real trap: a wasm module whose only function executes `unreachable`, called from a microtask. */
const TRAP_SOON = `
const bytes = new Uint8Array([0,97,115,109,1,0,0,0,1,4,1,96,0,0,3,2,1,0,7,5,1,1,102,0,0,10,5,1,3,0,0,11]);
const { f } = new WebAssembly.Instance(new WebAssembly.Module(bytes)).exports;
queueMicrotask(() => f());
`;

describe('untilTrap', () => {
  it('turns a trap during a guarded wait into a rejection of that wait; the process goes on', () => {
    const r = run(`
      const waiting = untilTrap(new Promise(() => {}));
      ${TRAP_SOON}
      try { await waiting; } catch (e) { console.log(e instanceof WasmTrap, e.message); }
      console.log('still here');
    `);
    expect(r.stdout).toContain('true the decoder stopped on invalid data (WebAssembly RuntimeError: unreachable)');
    expect(r.stdout).toContain('still here');
    expect(r.status).toBe(0);
  });

  it('lets any other uncaught error end the process (exit code 1, the error printed)', () => {
    const r = run(`
      void untilTrap(new Promise(() => {}));
      setTimeout(() => { throw new Error('not a trap'); }, 10);
      setTimeout(() => console.log('should not get here'), 500);
    `);
    expect(r.stderr).toContain('not a trap');
    expect(r.stdout).not.toContain('should not get here');
    expect(r.status).toBe(1);
  });

  it('without a guarded wait, a trap ends the process as before', () => {
    const r = run(`${TRAP_SOON} setTimeout(() => console.log('should not get here'), 500);`);
    expect(r.stderr).toContain('RuntimeError: unreachable');
    expect(r.status).not.toBe(0);
  });
});
