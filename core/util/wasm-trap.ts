/**
 * WebAssembly traps raised outside any promise chain. wasm-bindgen runs the async parts of a wasm library (parquet-
 * wasm's streams) in queueMicrotask callbacks, so a trap there (`RuntimeError: unreachable`) is an uncaught
 * exception that would end the process, while the awaited promise never settles. `untilTrap` races a promise with
 * such a trap: while any guarded promise is pending, an uncaught WebAssembly.RuntimeError rejects every pending one
 * (they share the instance the trap may have left broken) instead of taking the process down.
 *
 * Once a trap was seen, the listener stays: objects of the broken instance are freed later by finalisers, which may
 * trap again; those traps are dropped (one line on stderr). Any other uncaught error is re-thrown as Node would.
 */
export class WasmTrap extends Error {
  constructor(readonly trap: Error) {
    super(`the decoder stopped on invalid data (WebAssembly ${trap.name}: ${trap.message})`);
    this.name = 'WasmTrap';
  }
}

/** This realm's WebAssembly.RuntimeError (the project's TypeScript lib has no WebAssembly globals). */
const RuntimeError = (globalThis as unknown as { WebAssembly: { RuntimeError: ErrorConstructor } }).WebAssembly.RuntimeError;

const pending = new Set<(e: WasmTrap) => void>();
let installed = false;
let trapsSeen = 0;

export function isWasmTrap(e: unknown): e is Error {
  return e instanceof RuntimeError;
}

function onUncaught(err: unknown): void {
  if (isWasmTrap(err)) {
    trapsSeen++;
    if (pending.size > 0) {
      const trap = new WasmTrap(err);
      for (const reject of [...pending]) reject(trap);
      pending.clear();
    } else if (trapsSeen <= 1 || trapsSeen % 100 === 0) {
      process.stderr.write(`finkvra: ignored a WebAssembly trap outside any read (${err.message})\n`);
    }
    return;
  }
  if (process.listenerCount('uncaughtException') > 1) return; // someone else decides
  // As if this listener did not exist: the error ends the process the default way.
  uninstall();
  process.nextTick(() => {
    throw err;
  });
}

function install(): void {
  if (installed) return;
  installed = true;
  process.on('uncaughtException', onUncaught);
}

function uninstall(): void {
  if (!installed) return;
  installed = false;
  process.removeListener('uncaughtException', onUncaught);
}

/** `p`, or a WasmTrap rejection if a wasm trap surfaces uncaught before `p` settles. */
export function untilTrap<T>(p: Promise<T>): Promise<T> {
  install();
  return new Promise<T>((resolve, reject) => {
    const done = (): void => {
      pending.delete(reject);
      if (pending.size === 0 && trapsSeen === 0) uninstall();
    };
    pending.add(reject);
    p.then(
      (v) => {
        done();
        resolve(v);
      },
      (e: unknown) => {
        done();
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}
