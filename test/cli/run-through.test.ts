/**
 * The CLI end to end on the real Fink files in ../shared/data: ingest, import labels, round 0, label in the terminal
 * (keys piped), round 1, export. The labels are made up for the test from each alert's SIMBAD cross-match (a weak
 * galactic / extragalactic mapping) and written to a temp dir only.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerIngest } from '../../core/cli/commands/ingest.js';
import { labelSession } from '../../core/cli/commands/label.js';
import { withServiceAt } from '../../core/cli/service.js';
import { registerLabels } from '../../core/cli/commands/labels.js';
import { registerRound } from '../../core/cli/commands/round.js';
import { registerTrain } from '../../core/cli/commands/train.js';
import { loopState } from '../../core/loop/state.js';
import { openStore, type Db } from '../../core/store/database.js';
import { currentLabel } from '../../core/store/labels.js';
import { listRuns } from '../../core/track/tracker.js';
import { tempDir } from '../loop/fixture.js';
import { cliRunner } from '../helpers/cli.js';

const dataDir = fileURLToPath(new URL('../../../shared/data/fink-ztf', import.meta.url));
const exists = existsSync(dataDir);
const loopCli = fileURLToPath(new URL('./finkvra-loop.ts', import.meta.url));
const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
if (!exists) console.warn(`skipping the CLI run-through: ${dataDir} is absent`);

const EXTRAGAL = /galaxy|qso|agn|seyfert|liner|bllac|blazar|supernova|\bsn\b|sn candidate|slsn|tde/i;
const GAL = /\*|yso|cv|nova|mira|rrlyr|cepheid|eclbin|whitedwarf|planetaryneb|^pn$/i;
function weakLabel(cds: string | null): 'gal' | 'extragal' | null {
  if (!cds || /unknown|fail|inexistent|other/i.test(cds)) return null;
  if (EXTRAGAL.test(cds)) return 'extragal';
  if (GAL.test(cds)) return 'gal';
  return null;
}

describe.skipIf(!exists)('finkvra CLI run-through on the real files', () => {
  const dir = tempDir('finkvra-cli-');
  const dbPath = join(dir, 'store.sqlite');
  const home = join(dir, 'home');
  const run = cliRunner(dbPath, home, registerIngest, registerLabels, registerRound, registerTrain);
  let db: Db;
  let importText = '';
  let ingestText = '';
  let labelText = '';
  beforeAll(async () => {
    ingestText = await run('ingest', '--no-cutouts', dataDir);
    db = openStore(dbPath);
  });
  afterAll(() => db?.close());

  it('ingested the files', () => {
    const n = (db.prepare('SELECT COUNT(*) AS n FROM alerts').get() as { n: number }).n;
    expect(n).toBeGreaterThan(300);
  });

  it('imports a labeled.csv, reporting duplicates and unknown candids', async () => {
    // Labels for alerts off the busiest night (2021-11-22), so round 0 still has its pool.
    const rows = db
      .prepare(`SELECT candid, object_id, cdsxmatch FROM alerts WHERE night != '2021-11-22' ORDER BY candid`)
      .all() as { candid: string; object_id: string; cdsxmatch: string | null }[];
    // Fewer than n0 (30) of them, so round 0 is still the cold start's random pick (with 30 it would train).
    const all = rows.map((r) => ({ ...r, label: weakLabel(r.cdsxmatch) })).filter((r) => r.label !== null);
    expect(all.length).toBeGreaterThan(20);
    const labelled = all.slice(0, 20);
    const csvRows = labelled.map((r) => [r.candid, r.object_id, r.label, '2025-06-01T12:00:00Z']);
    csvRows.push(csvRows[0]); // a duplicate
    csvRows.push(['1234567890123456789', 'ZTF99aaaaaaa', 'agn', '2025-06-01T12:00:00Z']); // not ingested
    const file = join(dir, 'labeled.csv');
    writeFileSync(file, stringify([['candid', 'objectId', 'label', 'timestamp'], ...csvRows]));
    const text = await run('labels', 'import', file);
    importText = text;
    expect(text).toContain(`${csvRows.length} row(s): ${labelled.length + 1} imported`);
    expect(text).toMatch(/duplicates in the file[^\n]*\(1\)/);
    expect(text).toContain('1234567890123456789');
    expect(currentLabel(db, labelled[0].candid)?.label).toBe(labelled[0].label);
  });

  it('the ingest starts round 0 through the service (as in the app): 30 alerts of the busiest night with Lasair links', async () => {
    const text = ingestText.slice(ingestText.indexOf('the store has a pool now'));
    expect(text).toMatch(/^the store has a pool now: round 0 \(as in the app\):\nround 0 \(random\)/);
    // 20 counted labels (under n0) leave that random round 0 in place: the import starts none.
    expect(importText).not.toContain('start a round');
    const links = text.match(/https:\/\/lasair-ztf\.lsst\.ac\.uk\/objects\/ZTF\w+\//g) ?? [];
    expect(links).toHaveLength(30);
    const st = loopState(db, 'gal', 'least_confidence', null);
    expect(st.batch).toHaveLength(30);
    const nights = db
      .prepare(`SELECT DISTINCT night FROM alerts WHERE candid IN (${st.batch.map(() => '?').join(',')})`)
      .all(...st.batch.map((b) => b.candid)) as { night: string }[];
    expect(nights).toEqual([{ night: '2021-11-22' }]);
    // A second round over an unlabelled batch is refused.
    await expect(run('round')).rejects.toThrow(/neither labelled nor skipped/);
  });

  it('labels the batch with piped keys, including skip and undo', async () => {
    const st = loopState(db, 'gal', 'least_confidence', null);
    const cds = db.prepare('SELECT cdsxmatch FROM alerts WHERE candid = ?');
    const keyOf = (candid: string) => {
      const l = weakLabel((cds.get(candid) as { cdsxmatch: string | null }).cdsxmatch);
      return l === 'gal' ? 'g' : l === 'extragal' ? 'x' : 's';
    };
    // First alert: label it 'b', undo, then its real key; the rest in order.
    const keys = ['b', 'z', ...st.batch.map((b) => keyOf(b.candid))].join('');
    const lines: string[] = [];
    const res = await withServiceAt({ dbPath, homeDir: home }, (api) => labelSession(api, Readable.from([keys]), (l) => lines.push(l)));
    labelText = lines.join('\n');
    expect(res.done).toBe(true);
    expect(res.undone).toBe(1);
    expect(res.labelled + res.skipped).toBe(31);
    expect(lines.join('\n')).toContain('undo:');
    const after = loopState(db, 'gal', 'least_confidence', null);
    // The label that completed the batch started round 1, as in the app.
    expect(after.round).toBe(1);
    // Every alert of round 0 got its key's label (skipped ones none).
    const want = (c: string) => ({ g: 'gal', x: 'extragal', s: null })[keyOf(c)] ?? null;
    expect(st.batch.map((b) => currentLabel(db, b.candid)?.label ?? null)).toEqual(st.batch.map((b) => want(b.candid)));
    const first = st.batch[0].candid;
    expect(currentLabel(db, first)?.label ?? null).toBe(keyOf(first) === 's' ? null : keyOf(first) === 'g' ? 'gal' : 'extragal');
  });

  it('the completed batch started round 1: it trains on the labels, logs round_1 and proposes 10 unlabelled alerts', async () => {
    const text = labelText.slice(labelText.indexOf('round 0 done: '));
    expect(text).toMatch(/^round 0 done: \d+ labelled; the next round starts \(as in the app\)\nround 1 \(least_confidence\) run [0-9a-f]{32}/);
    expect(text).toMatch(/cross-validated by object \(\d-fold; optimistic: same nights\): accuracy \d\.\d{3}/);
    expect(text).toContain('training-set accuracy (optimistic');
    const st = loopState(db, 'gal', 'least_confidence', null);
    expect(st.round).toBe(1);
    expect(st.batch).toHaveLength(10);
    expect(st.batch.every((b) => b.label === null && !b.skipped)).toBe(true);
    const runs = listRuns(db);
    expect(runs.map((r) => r.name)).toContain('round_1_least_confidence');
  });

  it('`finkvra label` in a real process reads piped keys: skip one, label one, quit', () => {
    const before = loopState(db, 'gal', 'least_confidence', null);
    const r = spawnSync(process.execPath, ['--import', 'tsx', loopCli, '--db', dbPath, '--home', home, 'label'], {
      input: 's\ngq',
      encoding: 'utf8',
      cwd: repoRoot,
    });
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('-> skipped');
    expect(r.stdout).toContain('-> gal');
    expect(r.stdout).toContain('1 labelled, 1 skipped, 0 undone');
    const after = loopState(db, 'gal', 'least_confidence', null);
    expect(after.batch[0].skipped).toBe(true);
    expect(after.batch[1].label).toBe('gal');
    expect(after.cursor).toBe(2);
    expect(before.cursor).toBe(0);
  });

  it('train prints honest metrics and importance', async () => {
    const text = await run('train', '--folds', '3', '--repeats', '1');
    expect(text).toMatch(/counted labels/);
    expect(text).toMatch(/permutation importance/);
  });

  it('exports the labelled set (full with a column choice, and the seed format)', async () => {
    const nLabels = (
      db
        .prepare(
          `SELECT COUNT(*) AS n FROM (SELECT e.label FROM label_events e JOIN (SELECT candid, MAX(id) AS id FROM label_events
           WHERE source IN ('human','import') AND action != 'skip' GROUP BY candid) m ON m.id = e.id WHERE e.label IS NOT NULL)`,
        )
        .get() as { n: number }
    ).n;
    const full = join(dir, 'full.csv');
    expect(await run('labels', 'export', '--out', full)).toContain(`${nLabels} labelled alert(s)`);
    const rows = parse(readFileSync(full, 'utf8'), { columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(nLabels);
    expect(Object.keys(rows[0])).toEqual(expect.arrayContaining(['candid', 'objectId', 'label', 'dets_median', 'amplitude_r']));
    const some = join(dir, 'some.csv');
    await run('labels', 'export', '--out', some, '--columns', 'candid,label,ndets');
    expect(readFileSync(some, 'utf8').split('\n')[0]).toBe('candid,label,ndets');
    const seed = join(dir, 'labeled_out.csv');
    await run('labels', 'export', '--out', seed, '--format', 'seed');
    const seedRows = parse(readFileSync(seed, 'utf8'), { columns: true }) as Record<string, string>[];
    expect(Object.keys(seedRows[0])).toEqual(['candid', 'objectId', 'label', 'timestamp']);
    expect(seedRows).toHaveLength(nLabels);
    await expect(run('labels', 'export', '--out', some, '--columns', 'nope')).rejects.toThrow(/unknown column/);
  });
});
