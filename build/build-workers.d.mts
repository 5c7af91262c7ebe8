/** Types of build/build-workers.mjs (imported by the tests). */
export declare const WORKER_ENTRIES: readonly string[];
export declare function workerBundleName(entry: string): string;
export declare function buildWorkers(outDir?: string): string[];
