/** Types of build/pack-contents.mjs (imported by the tests). */
export interface ExpectedContents {
  asar: string[];
  unpacked: string[];
  imports: string[];
  problems: string[];
}
export declare const FORBIDDEN_PACKAGES: readonly string[];
export declare const NAMED_UNPACKED: readonly string[];
export declare function namedRuntimeFiles(pkg: { main: string }): string[];
export declare function resolvePackage(files: Set<string>, fromDir: string, name: string): string | null;
export declare function packageName(specifier: string): string;
export declare function runtimeImports(root: string, pkg: { main: string }): string[];
export declare function missingPackages(files: Set<string>, names: string[], readJson: (path: string) => { name?: string; dependencies?: Record<string, string>; optionalDependencies?: Record<string, string> }): string[];
export declare function expectedContents(root: string, config: { asarUnpack?: string[]; files?: string[] }): ExpectedContents;
export declare function checkPacked(resourcesDir: string, expected: ExpectedContents): string[];
