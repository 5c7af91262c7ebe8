/** Types of build/electron-package.mjs (imported by the tests). */
export declare function restoreElectronPackage(dir?: string, pack?: (version: string, dest: string) => string): string;
