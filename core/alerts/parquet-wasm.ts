/**
 * The parquet-wasm instance the reader uses, renewable. Why: a WebAssembly trap (a Rust panic: `RuntimeError:
 * unreachable`) can leave the instance's state half-updated (borrow flags held, allocator mid-operation), so after one
 * the next file is read with a fresh instance. The package's Node build is CommonJS and instantiates its wasm when
 * loaded, so dropping it from the require cache and loading it again gives a new instance.
 */
import { createRequire } from 'node:module';
import type * as ParquetWasm from 'parquet-wasm';

export type ParquetWasmModule = typeof ParquetWasm;

const require = createRequire(import.meta.url);
let current: ParquetWasmModule | null = null;
const poisoned = new WeakSet<ParquetWasmModule>();

/** The instance to use now. */
export function parquetWasm(): ParquetWasmModule {
  current ??= require('parquet-wasm') as ParquetWasmModule;
  return current;
}

/** After a trap: never call into `instance` again (not even to free), and load a fresh one for what comes next. */
export function retireParquetWasm(instance: ParquetWasmModule): void {
  poisoned.add(instance);
  if (current !== instance) return;
  delete require.cache[require.resolve('parquet-wasm')];
  current = null;
}

/** True once `instance` has trapped: its objects must be dropped without calling into it. */
export function isRetired(instance: ParquetWasmModule): boolean {
  return poisoned.has(instance);
}
