/**
 * The CLI end to end on a generated Rubin/LSST night: generate, ingest, import labels (the generator's truth, with a
 * survey column), a round on the lsst feature set, export. Every proposal, every trained-on label and every exported
 * row must be an LSST alert of that night; the exported features must equal the store's.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerGenerate } from '../../core/cli/commands/generate.js';
import { registerIngest } from '../../core/cli/commands/ingest.js';
import { registerLabels } from '../../core/cli/commands/labels.js';
import { registerRound } from '../../core/cli/commands/round.js';
import { registerRuns } from '../../core/cli/commands/runs.js';
import { registerSimulate } from '../../core/cli/commands/simulate.js';
import { openStore, type Db } from '../../core/store/database.js';
import { loadFeatureMatrix } from '../../core/store/features.js';
import { tempDir } from '../loop/fixture.js';
import { cliRunner } from '../helpers/cli.js';

interface Truth {
  alerts: { candid: string; objectId: string; label: string }[];
}

describe('finkvra CLI on a generated Rubin/LSST night', () => {
  const dir = tempDir('finkvra-cli-lsst-');
  const dbPath = join(dir, 'store.sqlite');
  const night = join(dir, 'lsst.parquet');
  const run = cliRunner(dbPath, join(dir, 'home'), registerGenerate, registerIngest, registerLabels, registerRound, (p) => registerRuns(p), registerSimulate);
  let db: Db;
  let truth: Truth;
  let lsst: Set<string>;
  let ingested = '';

  beforeAll(async () => {
    await run('generate', '--survey', 'lsst', '--out', night, '--alerts', '300', '--seed', '11', '--cutouts', 'none');
    ingested = await run('ingest', '--no-cutouts', night);
    truth = JSON.parse(readFileSync(`${night}.truth.json`, 'utf8')) as Truth;
    db = openStore(dbPath);
    lsst = new Set(db.prepare("SELECT candid FROM alerts WHERE survey = 'lsst'").pluck().all() as string[]);
  }, 120_000);
  afterAll(() => db?.close());

  it('ingests every generated alert as LSST, ids exact, and says which survey it read', () => {
    expect(ingested).toContain(`ok      ${night} (Rubin/LSST): 300 alerts, 300 new, 0 already known`);
    expect(lsst.size).toBe(300);
    expect(truth.alerts.every((a) => lsst.has(a.candid))).toBe(true);
  });

  it('imports labels, trains a round on the lsst set and proposes only unlabelled LSST alerts', async () => {
    // Galactic vs not: 80 labelled alerts with a galactic or extragalactic truth.
    const picked = truth.alerts.filter((a) => ['gal', 'varstar', 'extragal', 'agn'].includes(a.label)).slice(0, 80);
    const csv = ['candid,objectId,label,survey', ...picked.map((a) => `${a.candid},${a.objectId},${a.label},lsst`)].join('\n');
    writeFileSync(join(dir, 'labels.csv'), `${csv}\n`);
    const imported = await run('labels', 'import', join(dir, 'labels.csv'));
    expect(imported).toMatch(/80 imported|imported 80/);
    const out = await run('round', '--features', 'lsst', '--n', '10', '--force');
    const batch = [...out.matchAll(/\b(\d{15,20})\b/g)].map((m) => m[1]).filter((c) => lsst.has(c));
    expect(new Set(batch).size).toBeGreaterThanOrEqual(10);
    const labelled = new Set(picked.map((a) => a.candid));
    expect(batch.some((c) => labelled.has(c))).toBe(false);
    // Each proposal links to its LSST object's page (Lasair-LSST), never to Lasair-ZTF.
    expect(out).not.toMatch(/lasair-ztf/);
    expect(out).toMatch(/https:\/\/lasair\.lsst\.ac\.uk\/objects\/\d+\//);
    const round = db.prepare('SELECT id, n_train FROM rounds ORDER BY id DESC LIMIT 1').get() as { id: number; n_train: number };
    expect(round.n_train).toBe(80);
    const proposed = db.prepare('SELECT candid FROM proposals WHERE round_id = ?').pluck().all(round.id) as string[];
    expect(proposed.length).toBeGreaterThan(0);
    expect(proposed.every((c) => lsst.has(c) && !labelled.has(c))).toBe(true);
    // The run list names the run's survey.
    const runs = (await run('runs')).split('\n');
    expect(runs[0].split(/\s+/).slice(0, 4)).toEqual(['run_id', 'experiment', 'name', 'survey']);
    expect(runs[2]).toMatch(/round_\d+_least_confidence\s+Rubin\/LSST\s+FINISHED/);
  }, 120_000);

  it('simulates active learning on the LSST labels with the lsst feature set', async () => {
    const out = join(dir, 'sim');
    await run('simulate', '--labels', 'human', '--grid', 'tiny', '--features', 'lsst', '--tasks', 'gal', '--workers', '0', '--no-track', '--out', out);
    const md = readFileSync(join(out, 'summary.md'), 'utf8');
    expect(md).toContain('Features: lsst (Rubin/LSST alerts).');
    // The 80 labelled alerts, galactic (gal, varstar) against not (extragal, agn), as the truth gives them.
    const gal = truth.alerts.filter((a) => ['gal', 'varstar', 'extragal', 'agn'].includes(a.label)).slice(0, 80);
    const n1 = gal.filter((a) => a.label === 'gal' || a.label === 'varstar').length;
    expect(md).toMatch(new RegExp(`\\| gal \\| ${80 - n1} \\(\\d+\\) \\| ${n1} \\(\\d+\\) \\| simulated`));
  }, 120_000);

  it('exports the LSST labels with the lsst features the store holds', async () => {
    const file = join(dir, 'out.csv');
    await run('labels', 'export', '--out', file);
    const rows = parse(readFileSync(file, 'utf8'), { columns: true }) as Record<string, string>[];
    expect(rows.length).toBe(80);
    expect(new Set(rows.map((r) => r.survey))).toEqual(new Set(['lsst']));
    const m = loadFeatureMatrix(db, { candids: rows.map((r) => r.candid), featureSet: 'lsst' });
    expect(m.n).toBe(80);
    for (const name of ['ndet', 'flux_median_r', 'reliability', 'gal_b']) {
      const j = m.names.indexOf(name);
      rows.forEach((r, i) => {
        const v = m.X[i * m.d + j];
        if (Number.isNaN(v)) expect(r[name]).toBe('');
        else expect(Number(r[name])).toBeCloseTo(v, 9);
      });
    }
  });
});
