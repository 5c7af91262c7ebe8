/** `finkvra dust fetch` (download the full-resolution SFD pair) and `finkvra dust ebv <ra> <dec>`. */
import { join } from 'node:path';
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { DUST_MISSING_WARNING, defaultDustDir } from '../../features/dust.js';
import { fetchDustMaps, SFD_BASE_URL } from '../../features/dust-fetch.js';
import { resolveDustMap } from '../../ingest/dust-choice.js';
import { cliContext } from '../context.js';

export { defaultDustDir };

export interface DustCommandDeps {
  /** Injected in tests (a local server); default the global fetch. */
  fetchImpl?: typeof fetch;
  /** Default source of the maps when --base-url is not given. */
  baseUrl?: string;
  /** Image side the downloaded maps must have (4096; tests serve small ones). */
  expectAxis?: number;
  log?: (line: string) => void;
  err?: (line: string) => void;
}

export function registerDust(program: Command, deps: DustCommandDeps = {}): void {
  const log = deps.log ?? ((s: string) => console.log(s));
  const err = deps.err ?? ((s: string) => console.error(s));
  const dust = program.command('dust').description('SFD (1998) dust maps for the ebv feature');

  dust
    .command('fetch')
    .description('download SFD_dust_4096_ngp.fits and SFD_dust_4096_sgp.fits (about 64 MB each)')
    .option('--dir <dir>', 'where to put them (default: <home>/dust, i.e. $FINKVRA_HOME/dust or ~/.finkvra/dust)')
    .option('--base-url <url>', `where to download from (default: ${deps.baseUrl ?? SFD_BASE_URL})`)
    .option('--force', 'download again even when valid files are there')
    .action(async (opts: { dir?: string; baseUrl?: string; force?: boolean }, cmd: Command) => {
      const dir = opts.dir ?? join(cliContext(cmd).homeDir, 'dust');
      const tty = process.stderr.isTTY === true;
      const bar = new cliProgress.SingleBar(
        { format: '{file} [{bar}] {percentage}% | {mb} MB', hideCursor: true },
        cliProgress.Presets.shades_classic,
      );
      let current = '';
      const results = await fetchDustMaps({
        dir,
        baseUrl: opts.baseUrl ?? deps.baseUrl,
        fetchImpl: deps.fetchImpl,
        force: opts.force,
        expectAxis: deps.expectAxis,
        onProgress: (file, received, total) => {
          if (!tty) return;
          if (file !== current) {
            if (current) bar.stop();
            current = file;
            bar.start(total ?? 0, 0, { file, mb: '0.0' });
          }
          bar.update(received, { file, mb: (received / 1e6).toFixed(1) });
        },
      }).finally(() => {
        if (current) bar.stop();
      });
      for (const r of results) {
        log(`${r.status === 'present' ? 'present   ' : 'downloaded'} ${r.path} (${r.bytes} bytes, sha256 ${r.sha256})`);
      }
      log(`dust maps ready in ${dir}`);
    });

  dust
    .command('ebv')
    .description('E(B-V) (raw SFD, not × 0.86) at an ICRS position in degrees')
    .argument('<ra>', 'right ascension, degrees')
    .argument('<dec>', 'declination, degrees')
    .option('--dust <path>', 'dust map file or folder (default: $FINKVRA_DUST, else <home>/dust, else the bundled SFD map)')
    .action((raArg: string, decArg: string, opts: { dust?: string }, cmd: Command) => {
      const ra = Number(raArg);
      const dec = Number(decArg);
      if (!Number.isFinite(ra) || !Number.isFinite(dec) || dec < -90 || dec > 90) {
        throw new Error(`invalid position '${raArg} ${decArg}': give RA and Dec in degrees, Dec within [-90, 90]`);
      }
      const choice = resolveDustMap(opts.dust, cliContext(cmd).homeDir);
      if (!choice.map) {
        err(DUST_MISSING_WARNING);
        process.exitCode = 1;
        return;
      }
      log(`${choice.map.ebv(ra, dec).toFixed(5)}\t(${choice.map.kind}: ${choice.map.source})`);
    });
}
