import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, readFileSync, renameSync, symlinkSync, writeFileSync } from 'node:fs';
import { openStore } from '../../core/store/database.js';
import { join } from 'node:path';
import { InvalidNameError, TrackError } from '../../core/track/errors.js';
import { logBalance, logConfusion, logImportance } from '../../core/track/log-artifacts.js';
import { BALANCE_ARTIFACT, CONFUSION_ARTIFACT, IMPORTANCE_ARTIFACT } from '../../core/track/names.js';
import { getRun, listRunArtifacts, logArtifact, readArtifact, startRun } from '../../core/track/tracker.js';
import { trackFixture, type TrackFixture } from './helpers.js';

let f: TrackFixture;
let runId: string;
beforeEach(() => {
  f = trackFixture();
  runId = startRun(f.db, { experiment: 'gal_entropy', name: 'round_0_entropy', artifactsRoot: f.artifactsRoot });
});
afterEach(() => f.cleanup());

describe('artifacts', () => {
  it('are written under <root>/<experiment_id>/<run_id>/artifacts/<relPath>, listed sorted, read back', () => {
    const expId = getRun(f.db, runId).experimentId;
    const p = logArtifact(f.db, runId, 'model.json', '{"a":1}');
    expect(p).toBe(join(f.artifactsRoot, String(expId), runId, 'artifacts', 'model.json'));
    expect(readFileSync(p, 'utf8')).toBe('{"a":1}');
    const bytes = new Uint8Array([0, 1, 2, 255]);
    logArtifact(f.db, runId, 'data/X_train.bin', bytes);
    logArtifact(f.db, runId, 'data/ids/training_ids.csv', 'candid,round\n1,0\n');
    expect(listRunArtifacts(f.db, runId)).toEqual(['data/X_train.bin', 'data/ids/training_ids.csv', 'model.json']);
    expect([...(readArtifact(f.db, runId, 'data/X_train.bin') as Buffer)]).toEqual([0, 1, 2, 255]);
    expect(readArtifact(f.db, runId, 'missing.txt')).toBeNull();
    // overwrite replaces the content, no temporary file is left behind or listed
    logArtifact(f.db, runId, 'model.json', '{"a":2}');
    expect(readArtifact(f.db, runId, 'model.json')?.toString()).toBe('{"a":2}');
    expect(getRun(f.db, runId).artifacts).toEqual(['data/X_train.bin', 'data/ids/training_ids.csv', 'model.json']);
  });

  it('refuse path traversal, absolute paths, backslashes and empty segments', () => {
    const bad = [
      '../escape.txt',
      'a/../../escape.txt',
      '..',
      '/etc/passwd',
      'C:/x.txt',
      'a\\..\\b.txt',
      'a//b.txt',
      './a.txt',
      '',
      'nul\0.txt',
    ];
    for (const p of bad) expect(() => logArtifact(f.db, runId, p, 'x'), JSON.stringify(p)).toThrow(InvalidNameError);
    expect(existsSync(join(f.artifactsRoot, 'escape.txt'))).toBe(false);
    expect(() => readArtifact(f.db, runId, '../../x')).toThrow(InvalidNameError);
  });

  it('refuse writing through a symlinked folder that points outside the run', () => {
    const outside = join(f.dir, 'outside');
    mkdirSync(outside);
    const artDir = getRun(f.db, runId).artifactUri;
    mkdirSync(artDir, { recursive: true });
    symlinkSync(outside, join(artDir, 'link'));
    expect(() => logArtifact(f.db, runId, 'link/evil.txt', 'x')).toThrow(InvalidNameError);
    expect(existsSync(join(outside, 'evil.txt'))).toBe(false);
  });

  it('are found again when the store folder was moved with its artifacts', () => {
    logArtifact(f.db, runId, 'model.json', 'm');
    const old = getRun(f.db, runId).artifactUri;
    f.db.close();
    const movedDir = `${f.dir}-moved`;
    renameSync(f.dir, movedDir);
    f.dir = movedDir; // so cleanup removes the moved folder
    f.db = openStore(join(movedDir, 'store.sqlite'));
    const r = getRun(f.db, runId);
    expect(r.artifactUri).toBe(join(movedDir, 'artifacts', String(r.experimentId), runId, 'artifacts'));
    expect(r.artifactUri).not.toBe(old);
    expect(r.artifacts).toEqual(['model.json']);
    expect(readArtifact(f.db, runId, 'model.json')?.toString()).toBe('m');
  });

  it('a run with no artifacts lists none and has null confusion/balance, empty importance', () => {
    const r = getRun(f.db, runId);
    expect(r.artifacts).toEqual([]);
    expect(r.confusion).toBeNull();
    expect(r.balance).toBeNull();
    expect(r.importance).toEqual([]);
  });
});

describe('confusion, importance and balance artifacts', () => {
  it('are written in the agreed formats and read back into RunDetail', () => {
    logConfusion(f.db, runId, [[5, 1], [2, 7]], ['not_gal', 'gal']);
    logImportance(f.db, runId, [
      { feature: 'ndets', mean: 0.12, std: 0.01 },
      { feature: 'g, amplitude', mean: -0.001, std: 0 },
    ]);
    const balance = {
      train: { gal: 12, extragal: 18 },
      batch: { gal: 3 },
      poolPredicted: { '0': 0.7, '1': 0.3 },
      warnings: ['class gal under 20%'],
    };
    logBalance(f.db, runId, balance);

    expect(JSON.parse(readArtifact(f.db, runId, CONFUSION_ARTIFACT)!.toString())).toEqual({
      matrix: [
        [5, 1],
        [2, 7],
      ],
      labels: ['not_gal', 'gal'],
    });
    expect(readArtifact(f.db, runId, IMPORTANCE_ARTIFACT)!.toString()).toBe(
      'feature,mean,std\nndets,0.12,0.01\n"g, amplitude",-0.001,0\n',
    );
    const r = getRun(f.db, runId);
    expect(r.confusion).toEqual([
      [5, 1],
      [2, 7],
    ]);
    expect(r.importance).toEqual([
      { feature: 'ndets', mean: 0.12, std: 0.01 },
      { feature: 'g, amplitude', mean: -0.001, std: 0 },
    ]);
    expect(r.balance).toEqual(balance);
    expect(r.artifacts).toEqual([BALANCE_ARTIFACT, CONFUSION_ARTIFACT, IMPORTANCE_ARTIFACT].sort());
  });

  it('accept a bare matrix as confusion.json and reject malformed files', () => {
    logArtifact(f.db, runId, CONFUSION_ARTIFACT, '[[1,2],[3,4]]');
    expect(getRun(f.db, runId).confusion).toEqual([
      [1, 2],
      [3, 4],
    ]);
    expect(getRun(f.db, runId).problems).toEqual([]);
    // a malformed artifact reads as absent and is reported, the rest of the run still loads
    logArtifact(f.db, runId, CONFUSION_ARTIFACT, '{"matrix": "no"}');
    logArtifact(f.db, runId, IMPORTANCE_ARTIFACT, 'feature,mean\nx,1\n');
    writeFileSync(join(getRun(f.db, runId).artifactUri, BALANCE_ARTIFACT), '{"train": {}}');
    const r = getRun(f.db, runId);
    expect(r.confusion).toBeNull();
    expect(r.importance).toEqual([]);
    expect(r.balance).toBeNull();
    expect(r.problems).toHaveLength(3);
    expect(r.problems.join('\n')).toMatch(/confusion\.json[\s\S]*importance\.csv[\s\S]*balance\.json/);
    expect(r.artifacts).toEqual([BALANCE_ARTIFACT, CONFUSION_ARTIFACT, IMPORTANCE_ARTIFACT]);
  });

  it('refuse a confusion matrix whose labels do not match its size', () => {
    expect(() => logConfusion(f.db, runId, [[1, 2], [3, 4]], ['only one'])).toThrow(TrackError);
  });
});
