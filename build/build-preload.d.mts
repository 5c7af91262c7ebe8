/** Types of build/build-preload.mjs (imported by the tests and bin scripts). */
export declare const SANDBOX_REQUIRABLE: readonly string[];
export declare function transpilePreload(source: string, fileName?: string): string;
export declare function buildPreload(src?: string, dest?: string): string;
