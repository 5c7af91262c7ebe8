// electron-builder configuration: `npm run dist` (= npm run build && electron-builder --config this file).
// Produces AppImage + deb (Linux), dmg (macOS), nsis (Windows) in out/.
//
// Native module: better-sqlite3 must be compiled for Electron's ABI, not Node's. npmRebuild makes electron-builder
// run @electron/rebuild before packaging, buildDependenciesFromSource compiles it against the Electron headers
// (needs a C/C++ toolchain; no dependency on prebuilt binaries being published for this Electron). Caveat measured
// on an offline machine: when @electron/rebuild cannot download Electron's headers it silently builds against the
// running Node and still reports success. build/after-pack.cjs therefore checks the packaged better_sqlite3.node
// really targets Electron's ABI and fails the build otherwise.
//
// `npm run dist` cannot run on the offline CI machines (it downloads the Electron zip): there, test/build/builder-config
// .test.ts checks this file's shape and `npm run pack:check` packs with it (--dir, a stand-in Electron, no rebuild).

const { join } = require('node:path');
const { excludePatterns } = require('./install-only-packages.cjs');

/** @type {import('electron-builder').Configuration} */
module.exports = {
  appId: 'org.finkvra.desktop',
  productName: 'Fink VRA',
  executableName: 'fink-vra',
  copyright: 'Copyright © Fink VRA contributors',
  // electron is an optionalDependency (an install that cannot download its binary still succeeds), so it may be
  // absent from node_modules: the version is pinned here, equal to package.json's (a test checks it).
  electronVersion: '41.7.1',
  artifactName: '${productName}-${version}-${os}-${arch}.${ext}',
  directories: {
    output: 'out',
    buildResources: 'build',
  },
  // The app: the compiled main/preload/core (dist/electron, dist/core) and the built renderer (dist/renderer).
  // Production dependencies are added by electron-builder itself (devDependencies never are); the patterns below
  // drop what the running app does not need from them.
  files: [
    'dist/**/*',
    '!dist/**/*.map',
    // The bundled SFD HEALPix dust map (core/ingest/dust-choice.ts finds it by walking up from dist/core).
    'resources/**/*',
    'package.json',
    '!node_modules/**/{test,tests,__tests__,docs,doc,example,examples,benchmark,benchmarks}/**',
    '!node_modules/**/*.{md,markdown,map}',
    '!node_modules/better-sqlite3/{deps,src}/**',
    '!node_modules/better-sqlite3/build/Release/{obj,obj.target,.deps}/**',
    '!node_modules/better-sqlite3/build/Release/test_extension.node',
    '!node_modules/better-sqlite3/build/{deps,Makefile,*.mk,config.gypi}',
    // electron and what only it needs (an optional dependency, see install-only-packages.cjs).
    ...excludePatterns(join(__dirname, '..')),
  ],
  // Native code and WebAssembly are loaded from real files, not from inside the asar archive.
  asarUnpack: ['**/node_modules/better-sqlite3/**/*.node', '**/node_modules/parquet-wasm/**/*.wasm'],
  asar: true,
  npmRebuild: true,
  buildDependenciesFromSource: true,
  nativeRebuilder: 'sequential',
  afterPack: 'build/after-pack.cjs',
  icon: 'build/icon.png',
  // Hardening of the shipped binary: it cannot be turned into a plain Node (ELECTRON_RUN_AS_NODE, NODE_OPTIONS,
  // --inspect) and only loads the app from its own, integrity-checked asar.
  electronFuses: {
    runAsNode: false,
    enableNodeOptionsEnvironmentVariable: false,
    enableNodeCliInspectArguments: false,
    enableCookieEncryption: true,
    enableEmbeddedAsarIntegrityValidation: true,
    onlyLoadAppFromAsar: true,
    // The renderer is loaded from file:// (dist/renderer/index.html); its module scripts need file:'s privileges.
    grantFileProtocolExtraPrivileges: true,
  },
  linux: {
    target: ['AppImage', 'deb'],
    category: 'Science',
    icon: 'build/icon.png',
    synopsis: 'Label Fink ZTF alerts with active learning',
    description:
      'Desktop app for astronomers: ingest Fink ZTF alerts, label them one key at a time while a classifier learns.',
    maintainer: 'Fink VRA maintainers <finkvra@users.noreply.github.com>',
  },
  deb: {
    packageCategory: 'science',
    priority: 'optional',
  },
  mac: {
    target: ['dmg'],
    category: 'public.app-category.education',
    hardenedRuntime: true,
  },
  dmg: {
    title: '${productName} ${version}',
  },
  win: {
    target: ['nsis'],
  },
  nsis: {
    oneClick: false,
    perMachine: false,
    allowToChangeInstallationDirectory: true,
    createDesktopShortcut: true,
  },
};
