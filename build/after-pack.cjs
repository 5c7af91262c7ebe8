// electron-builder afterPack hook: refuse a package whose better-sqlite3 was built for Node instead of Electron.
// @electron/rebuild falls back to Node's headers without saying so when it cannot download Electron's; the app
// would then crash at start with "was compiled against a different Node.js version".
// A non-N-API addon exports `node_register_module_v<ABI>`; the ABI of the Electron used is in electron/abi_version.
const { readFileSync, readdirSync, statSync } = require('node:fs');
const { join } = require('node:path');

/** ABI (NODE_MODULE_VERSION) a native addon was built for, read from its exported registration symbol. */
function addonAbi(file) {
  const m = /node_register_module_v(\d+)/.exec(readFileSync(file).toString('latin1'));
  return m ? Number(m[1]) : null;
}

function electronAbi() {
  let file;
  try {
    file = require.resolve('electron/abi_version');
  } catch {
    // electron is an optionalDependency: an install that could not download it has no package at all.
    throw new Error('afterPack: the electron package is not installed (its download failed?): run `npm install` with network access');
  }
  return Number(readFileSync(file, 'utf8').trim());
}

function findFiles(dir, name, out = []) {
  for (const entry of readdirSync(dir)) {
    const p = join(dir, entry);
    const st = statSync(p);
    if (st.isDirectory()) findFiles(p, name, out);
    else if (entry === name) out.push(p);
  }
  return out;
}

/** Throws when a packaged better_sqlite3.node is missing or targets another ABI than Electron's. */
function checkNativeAbi(appOutDir, expected = electronAbi()) {
  const addons = findFiles(appOutDir, 'better_sqlite3.node');
  if (addons.length === 0) throw new Error(`afterPack: better_sqlite3.node not found under ${appOutDir}`);
  for (const file of addons) {
    const abi = addonAbi(file);
    if (abi !== expected) {
      throw new Error(
        `afterPack: ${file} targets ABI ${abi} but Electron needs ${expected} ` +
          '(built against Node: Electron headers could not be fetched?). Rebuild with network access: ' +
          'npx @electron/rebuild -f -w better-sqlite3',
      );
    }
  }
  return addons;
}

module.exports = async function afterPack(context) {
  const addons = checkNativeAbi(context.appOutDir);
  console.log(`  • better-sqlite3 built for Electron ABI ${electronAbi()} (${addons.length} file(s))`);
};
module.exports.checkNativeAbi = checkNativeAbi;
module.exports.addonAbi = addonAbi;
module.exports.electronAbi = electronAbi;
