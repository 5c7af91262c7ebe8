/**
 * The fuzz suite: corrupt copies of every real Fink file (../shared/data/fink-ztf) and of the generated sample night,
 * each ingested into a fresh store in this process. For each, the process survives and the file is either refused
 * with a message naming it or ingested; an ingested one is checked against the clean file's ingest: its candids exist
 * in the clean file, and its alert columns, light curves and features are finite wherever the clean file's are.
 * Accepted files whose values differ from the clean file's are listed. A fixed, seeded set of 15 corruptions per
 * file; FINKVRA_FUZZ_LONG=N adds N random ones per file.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeLc } from '../../core/features/packed-lc.js';
import { ingestFiles } from '../../core/ingest/ingest.js';
import { ensureSampleNight } from '../../core/sample/sample-night.js';
import { readCutouts } from '../../core/store/cutouts.js';
import { openStore } from '../../core/store/database.js';
import { blobToVector } from '../../core/store/features.js';
import { FINK_ZTF, sharedDataOrSkipReason } from '../helpers/shared-data.js';
import { fixedCorruptions, randomCorruptions, type Corruption } from './corrupt.js';

const LONG = Math.max(0, Number(process.env.FINKVRA_FUZZ_LONG ?? 0) || 0);
const hasShared = sharedDataOrSkipReason('fuzz: real files');

/** What an ingest stored, per candid. */
interface Snapshot {
  alerts: Map<string, Record<string, unknown>>;
  lc: Map<string, Float64Array>;
  vectors: Map<string, Float64Array>;
  /** sha256 of the three stamps, per candid. */
  cutouts: Map<string, string>;
}

type Outcome = { refused: string } | { stored: Snapshot };

let work: string;

/** Ingests `file` into a fresh store and reads back everything stored (or the refusal). */
async function ingestOne(file: string): Promise<Outcome> {
  const dir = mkdtempSync(join(work, 'case-'));
  const db = openStore(join(dir, 'store.sqlite'));
  try {
    const s = await ingestFiles(db, [file], { stagingDir: dir, readInThread: false, withCutouts: true });
    const f = s.files[0];
    if (!f.ok) return { refused: f.error ?? '' };
    const alerts = new Map<string, Record<string, unknown>>();
    for (const a of db.prepare('SELECT * FROM alerts').all() as Record<string, unknown>[]) {
      delete a.source_file_id;
      alerts.set(a.candid as string, a);
    }
    const lc = new Map<string, Float64Array>();
    for (const r of db.prepare('SELECT candid, data FROM alert_lc').all() as { candid: string; data: Buffer }[]) {
      lc.set(r.candid, decodeLc(r.data, `light curve of ${r.candid}`));
    }
    const vectors = new Map<string, Float64Array>();
    for (const r of db.prepare('SELECT candid, vector FROM features').all() as { candid: string; vector: Buffer }[]) {
      vectors.set(r.candid, blobToVector(r.vector));
    }
    const cutouts = new Map<string, string>();
    for (const candid of alerts.keys()) {
      const c = readCutouts(db, candid);
      const h = createHash('sha256');
      for (const b of [c?.science, c?.template, c?.difference]) h.update(b ?? 'none').update('|');
      cutouts.set(candid, h.digest('hex'));
    }
    return { stored: { alerts, lc, vectors, cutouts } };
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const finite = (v: unknown): boolean => typeof v === 'number' && Number.isFinite(v);

/** Where `got` is not finite but `clean` is (sanity violations), and whether any value differs at all. */
function compareArrays(what: string, clean: Float64Array, got: Float64Array, bad: string[]): boolean {
  for (let i = 0; i < Math.min(clean.length, got.length); i++) {
    if (Number.isFinite(clean[i]) && !Number.isFinite(got[i])) bad.push(`${what}[${i}] is ${got[i]}, finite in the clean file`);
  }
  return clean.length !== got.length || clean.some((v, i) => !Object.is(v, got[i]));
}

/** Sanity violations, and what differs from the clean file (empty: identical). */
function check(clean: Snapshot, got: Snapshot): { violations: string[]; differs: string[] } {
  const bad: string[] = [];
  const differs = new Set<string>();
  if (clean.alerts.size !== got.alerts.size) differs.add(`${got.alerts.size} alerts instead of ${clean.alerts.size}`);
  for (const [candid, a] of got.alerts) {
    const c = clean.alerts.get(candid);
    if (!c) {
      bad.push(`candid ${candid} is not in the clean file`);
      continue;
    }
    for (const [k, v] of Object.entries(c)) {
      if (finite(v) && !finite(a[k])) bad.push(`alert ${candid}: ${k} is ${String(a[k])}, finite in the clean file`);
      if (!Object.is(v, a[k])) differs.add('alert columns');
    }
    const lc = got.lc.get(candid);
    const vec = got.vectors.get(candid);
    if (!lc || !vec) bad.push(`alert ${candid} has no ${lc ? 'feature vector' : 'light curve'}`);
    if (lc && compareArrays(`light curve of ${candid}`, clean.lc.get(candid)!, lc, bad)) differs.add('light curves');
    if (vec && compareArrays(`features of ${candid}`, clean.vectors.get(candid)!, vec, bad)) differs.add('features');
    if (clean.cutouts.get(candid) !== got.cutouts.get(candid)) differs.add('cutouts');
  }
  return { violations: bad, differs: [...differs] };
}

interface Source {
  file: string;
  kind: 'parquet' | 'avro';
}

function realSources(): Source[] {
  if (!hasShared) return [];
  return readdirSync(FINK_ZTF)
    .filter((f) => f.endsWith('.parquet') || f.endsWith('.avro'))
    .sort()
    .map((f) => ({ file: join(FINK_ZTF, f), kind: f.endsWith('.avro') ? 'avro' : 'parquet' }));
}

describe('fuzz: corrupt alert files never take the process down', () => {
  const counts = { refused: 0, identical: 0, different: 0 };
  const differentList: string[] = [];
  const violations: string[] = [];
  const unclear: string[] = [];
  let sources: Source[] = [];

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'vra-fuzz-'));
    const sample = await ensureSampleNight(join(work, 'sample'));
    sources = [...realSources(), { file: sample, kind: 'parquet' }];
  });
  afterAll(() => {
    rmSync(work, { recursive: true, force: true });
  });

  it('refuses each corrupt file with a clear message or ingests it with sane values', async () => {
    let total = 0;
    for (const [s, src] of sources.entries()) {
      const cleanBytes = readFileSync(src.file);
      const clean = await ingestOne(src.file);
      if (!('stored' in clean)) throw new Error(`the clean file was refused: ${clean.refused}`);
      const cases: Corruption[] = [
        ...fixedCorruptions(cleanBytes, src.kind, 1000 + s),
        ...randomCorruptions(cleanBytes, src.kind, 5000 + s, LONG),
      ];
      for (const [k, c] of cases.entries()) {
        const file = join(work, `${k}-${basename(src.file)}`);
        writeFileSync(file, c.bytes);
        const tag = `${basename(src.file)} ${c.name}`;
        const got = await ingestOne(file);
        rmSync(file, { force: true });
        total++;
        if ('refused' in got) {
          counts.refused++;
          // Clear: names the file, says why in a line, quotes no stamp or page of it.
          if (!got.refused.includes(file) || got.refused.length > 400 || /\n/.test(got.refused)) unclear.push(`${tag}: ${got.refused}`);
          continue;
        }
        const r = check(clean.stored, got.stored);
        violations.push(...r.violations.slice(0, 5).map((v) => `${tag}: ${v}`));
        if (r.differs.length > 0) {
          counts.different++;
          differentList.push(`${tag} (${r.differs.join(', ')})`);
        } else counts.identical++;
      }
    }
    console.log(
      `[fuzz] ${total} corrupt files from ${sources.length} clean ones: ${counts.refused} refused, ` +
        `${counts.identical} accepted identical, ${counts.different} accepted different` +
        (LONG ? ` (FINKVRA_FUZZ_LONG=${LONG})` : ''),
    );
    for (const d of differentList) console.log(`[fuzz] accepted with different values: ${d}`);
    expect(violations).toEqual([]);
    expect(unclear).toEqual([]);
    expect(total).toBe(sources.length * (15 + LONG));
    if (hasShared) expect(total).toBeGreaterThanOrEqual(200);
  });
});
