// Packages the packed app must not contain although electron-builder would add them: electron is an
// optionalDependency (so an install that cannot download its binary still succeeds), and electron-builder packs
// optional dependencies like runtime ones, with the whole tree they pull in (and, where the binary was downloaded,
// the ~250 MB Electron itself). package-lock.json marks what no required runtime dependency needs: `optional`
// (reached only through optional dependencies), `devOptional` (through dev or optional ones), `dev`.
const { readFileSync } = require('node:fs');
const { join } = require('node:path');

/**
 * Top-level package names (node_modules/<name>) that only optional or dev dependencies need. A name that some
 * required runtime package needs at any depth is kept: electron-builder hoists nested copies to the top level, where
 * a pattern on the name would drop them too.
 */
function installOnlyPackages(lock) {
  const nameOf = (key) => /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)$/.exec(key)?.[1];
  const entries = Object.entries(lock.packages ?? {});
  const needed = new Set();
  for (const [key, entry] of entries) {
    if (!entry.dev && !entry.optional && !entry.devOptional && nameOf(key)) needed.add(nameOf(key));
  }
  const names = [];
  for (const [key, entry] of entries) {
    const m = /^node_modules\/((?:@[^/]+\/)?[^/]+)$/.exec(key);
    if (!m || needed.has(m[1]) || !((entry.optional && !entry.dev) || entry.devOptional)) continue;
    names.push(m[1]);
  }
  return names.sort();
}

/** electron-builder `files` patterns leaving those packages out. */
function excludePatterns(root) {
  const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8'));
  return installOnlyPackages(lock).map((name) => `!node_modules/${name}{,/**/*}`);
}

module.exports = { installOnlyPackages, excludePatterns };
