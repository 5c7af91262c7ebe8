/**
 * An in-memory stand-in for the service (same Handlers type), for UI development and the UI benchmark when the
 * real store is not the thing being measured. Synthetic alerts with real gzipped-FITS cutouts and light curves.
 */
import type { Handlers } from '../../core/api/contract.js';
import { ApiError } from '../../core/api/define.js';
import type { AlertCard, JobStatus, LoopState, Proposal, RunSummary, Settings } from '../../core/api/types.js';
import { FEATURE_NAMES, FEATURE_SET_SURVEY } from '../../core/features/names.js';
import { DEFAULT_LABEL_KEYS, type Label } from '../../core/labels.js';
import { finkObjectUrl, lasairObjectUrl } from '../../core/urls.js';
import { renderCutouts } from '../../core/sample/cutouts.js';
import { Rng } from '../../core/sample/rng.js';
import { fakeLsstCard } from './fake-lsst.js';

export interface FakeOptions {
  alerts?: number;
  /** Milliseconds a background round takes. */
  roundMs?: number;
  dbPath?: string;
  /** Size of round 0's batch (default 30). */
  n0?: number;
  /**
   * 'mixed': alerts 1, 3 and 5 of every 8 are Rubin/LSST cards (1: schema 10.0, 3: 7.x with limits, 5: a
   * solar-system source with no diaObject) and alert 7 a ZTF first detection (a light curve of one point); default
   * 'ztf': ZTF only.
   */
  surveys?: 'ztf' | 'mixed';
}

/** Which fake LSST card alert i is, if any. */
function lsstKind(i: number, surveys: FakeOptions['surveys']): { solarSystem: boolean; v7: boolean } | null {
  if (surveys !== 'mixed') return null;
  const k = i % 8;
  return k === 1 ? { solarSystem: false, v7: false } : k === 3 ? { solarSystem: false, v7: true } : k === 5 ? { solarSystem: true, v7: false } : null;
}

export function fakeHandlers(opts: FakeOptions = {}): Handlers {
  const nAlerts = opts.alerts ?? 300;
  const roundMs = opts.roundMs ?? 600;
  const rng = new Rng(42);
  const cards = new Map<string, AlertCard>();
  const order: string[] = [];
  const t0 = 2460800.5;
  for (let i = 0; i < nAlerts; i++) {
    const kind = lsstKind(i, opts.surveys);
    if (kind) {
      const c = fakeLsstCard(i, rng, kind);
      cards.set(c.candid, c);
      order.push(c.candid);
      continue;
    }
    const candid = String(3000000000000000000n + BigInt(i) * 7919n);
    const objectId = `ZTF25a${String.fromCharCode(97 + (i % 26))}${String.fromCharCode(97 + ((i / 26) | 0) % 26)}${(i % 1000).toString(36).padStart(3, 'x')}`;
    const b64 = (u: Uint8Array) => Buffer.from(u).toString('base64');
    const cut = renderCutouts(
      { fwhmPix: 2 + rng.next(), diffCounts: 2000 + 4000 * rng.next(), starCounts: i % 3 ? 0 : 5000, hostCounts: i % 3 === 1 ? 30000 : 0, hostDx: 4, hostDy: -3, hostScale: 3, artefact: 'none' },
      rng,
    );
    const lc: AlertCard['lightcurve'] = [];
    const base = 18.5 + 2 * rng.next();
    for (let k = 0; k < 12; k++) {
      const jd = t0 - 25 + k * 2.1 + rng.next() * 0.3;
      const fid = k % 2 ? 2 : 1;
      if (k < 3) lc.push({ jd, fid, magpsf: null, sigmapsf: null, diffmaglim: 20.3 + rng.next() * 0.4, isdiffpos: null });
      else lc.push({ jd, fid, magpsf: base + Math.sin(k / 2) * 0.6 + (fid === 2 ? -0.3 : 0), sigmapsf: 0.05 + rng.next() * 0.1, diffmaglim: 20.5, isdiffpos: 't' });
    }
    // A first detection: the alert is its object's only point.
    if (opts.surveys === 'mixed' && i % 8 === 7) lc.splice(0, lc.length - 1);
    const last = lc[lc.length - 1];
    const features = Object.fromEntries(FEATURE_NAMES.map((f) => [f, f === 'sep_arcsec' ? null : Math.round(rng.next() * 1e4) / 1e3]));
    cards.set(candid, {
      candid, objectId, jd: last.jd, date: new Date((last.jd - 2440587.5) * 86400000).toISOString(), night: '20250601',
      ra: 360 * rng.next(), dec: -20 + 80 * rng.next(), fid: last.fid, magpsf: last.magpsf, sigmapsf: last.sigmapsf,
      drb: 0.5 + rng.next() / 2, rb: 0.6 + rng.next() / 3, features, lightcurve: lc,
      cutouts: { science: b64(cut.science), template: b64(cut.template), difference: b64(cut.difference) },
      fink: { cdsxmatch: 'Unknown', finkclass: i % 4 ? 'SN candidate' : 'Unknown', tnsclass: null, roid: 0, scores: { rf_snia_vs_nonia: rng.next(), snn_snia_vs_nonia: rng.next() } },
      label: null, labelHistory: [], objectLabels: [], proposal: null,
      context: { sgscore1: 0.02, distpsnr1: 0.8, distnr: 0.6, magnr: 17.2, neargaia: null, maggaia: null, ssnamenr: null, ssdistnr: null, isdiffpos: 't', galB: 45, ebv: features.ebv }, links: { lasair: lasairObjectUrl(objectId), fink: finkObjectUrl(objectId) },
      survey: 'ztf', lsst: null,
    });
    order.push(candid);
  }

  const labels = new Map<string, Label>();
  const events: { candid: string; before: Label | null }[] = [];
  let settings: Settings = { task: 'gal', strategy: 'least_confidence', n0: opts.n0 ?? 30, n: 10, engine: 'hgb', seed: 0, night: null, featureSet: 'seed', dust: 'auto', labelKeys: { ...DEFAULT_LABEL_KEYS }, dbPath: opts.dbPath ?? ':fake:' };
  let round = 0;
  let batch: Proposal[] = order.slice(0, settings.n0).map((c, i) => proposal(c, i, null, 'random', 'round 0: random pick from the night'));
  let pending: JobStatus | null = null;
  const runs: RunSummary[] = [];
  const jobs = new Map<string, JobStatus>();
  let nextEvent = 1;

  function proposal(candid: string, rank: number, prob: number | null, strategy: string, reason: string): Proposal {
    const c = cards.get(candid) as AlertCard;
    return { candid, objectId: c.objectId, rank, prob, score: prob === null ? null : 1 - Math.max(prob, 1 - prob), strategy, reason };
  }
  function state(): LoopState {
    const b = batch.map((p) => ({ ...p, label: labels.get(p.candid) ?? null, skipped: false }));
    const cursor = b.findIndex((x) => x.label === null);
    return { task: settings.task, survey: FEATURE_SET_SURVEY[settings.featureSet], featureSet: settings.featureSet, round, strategy: settings.strategy, batch: b, cursor: cursor < 0 ? b.length : cursor, labelledInBatch: b.filter((x) => x.label).length, pendingJob: pending, nTrainCounted: labels.size, warnings: [] };
  }
  function maybeStartRound() {
    if (pending?.state === 'running' || batch.some((p) => !labels.has(p.candid))) return;
    const job: JobStatus = { id: `job${jobs.size + 1}`, kind: 'round', state: 'running', progress: 0, message: `training round ${round + 1}`, startedAt: new Date().toISOString(), finishedAt: null, result: null, error: null };
    jobs.set(job.id, job);
    pending = job;
    setTimeout(() => {
      round++;
      const pool = order.filter((c) => !labels.has(c));
      batch = pool.slice(0, settings.n).map((c, i) => proposal(c, i, 0.35 + 0.3 * ((i * 37) % 10) / 10, settings.strategy, 'closest to the decision boundary'));
      const n = labels.size;
      runs.unshift({ runId: `run${round}`, experiment: 'labelling', name: `round_${round}_${settings.strategy}`, round, strategy: settings.strategy, engine: settings.engine, nTrain: n, startedAt: new Date().toISOString(), finishedAt: new Date().toISOString(), status: 'FINISHED', metrics: { cv_accuracy: 0.6 + 0.02 * round, cv_balanced_accuracy: 0.55 + 0.03 * round, cv_f1: 0.5 + 0.03 * round, cv_auc: 0.65 + 0.02 * round, cv_log_loss: 0.7 - 0.03 * round, train_accuracy: 0.98, train_f1: 0.97 } });
      Object.assign(job, { state: 'done', progress: 1, finishedAt: new Date().toISOString(), message: 'done' });
    }, roundMs);
  }

  return {
    'app.store': () => ({ path: settings.dbPath, isSample: false }),
    'data.summary': () => ({ dbPath: settings.dbPath, alerts: nAlerts, objects: nAlerts, files: 1, failedFiles: 0, withFeatures: nAlerts, labelled: labels.size, nights: [{ survey: 'ztf', night: '20250601', alerts: nAlerts, pool: nAlerts - labels.size, labelled: labels.size }], labelCounts: {}, surveys: [{ survey: 'ztf', alerts: nAlerts, objects: nAlerts, labelled: labels.size, pool: nAlerts - labels.size, nights: 1, files: 1 }, { survey: 'lsst', alerts: 0, objects: 0, labelled: 0, pool: 0, nights: 0, files: 0 }] }),
    'data.files': () => [],
    'data.ingest': () => ({ jobId: 'none' }),
    'data.ingestUpload': () => ({ jobId: 'none' }),
    'settings.lasairToken': () => ({ stored: false, fromEnvironment: false }),
    'jobs.get': ({ id }) => {
      const j = jobs.get(id);
      if (!j) throw new ApiError('not_found', `no job ${id}`);
      return j;
    },
    'alerts.card': ({ candid }) => {
      const c = cards.get(candid);
      if (!c) throw new ApiError('not_found', `no alert ${candid}`);
      return { ...c, label: labels.get(candid) ?? null, proposal: batch.find((p) => p.candid === candid) ?? null };
    },
    'loop.state': () => state(),
    'loop.startRound': () => {
      maybeStartRound();
      return { jobId: pending?.id ?? 'none' };
    },
    'labels.set': ({ candid, label }) => {
      if (!cards.has(candid)) throw new ApiError('not_found', `no alert ${candid}`);
      events.push({ candid, before: labels.get(candid) ?? null });
      labels.set(candid, label);
      maybeStartRound();
      return { eventId: nextEvent++, candid, label, state: state() };
    },
    'labels.skip': () => state(),
    'labels.undo': () => {
      const e = events.pop();
      if (!e) return null;
      if (e.before) labels.set(e.candid, e.before);
      else labels.delete(e.candid);
      return { eventId: nextEvent++, candid: e.candid, label: e.before, state: state() };
    },
    'labels.holdout': () => ({ survey: FEATURE_SET_SURVEY[settings.featureSet], marked: 0, objects: 0, perClass: {}, perLabel: {} }),
    'labels.import': () => {
      throw new ApiError('invalid_input', 'the fake service imports no labels');
    },
    'runs.experiments': () => [],
    'runs.compare': () => {
      throw new ApiError('invalid_input', 'the fake service compares no runs');
    },
    'runs.exportText': () => {
      throw new ApiError('invalid_input', 'the fake service exports no runs as text');
    },
    'model.train': () => {
      throw new ApiError('invalid_input', 'the fake service trains no model');
    },
    'data.features': () => {
      throw new ApiError('invalid_input', 'the fake service has no feature matrix');
    },
    'labels.weak': () => {
      throw new ApiError('invalid_input', 'the fake service derives no weak labels');
    },
    'labels.exportCsv': ({ format }) => {
      const rows = [...labels.entries()].map(([c, l]) => `${c},${cards.get(c)?.objectId},${l},2025-06-01T00:00:00Z`);
      return { filename: format === 'seed' ? 'labeled.csv' : 'labels.csv', csv: ['candid,objectId,label,timestamp', ...rows].join('\n') + '\n', rows: rows.length, columns: ['candid', 'objectId', 'label', 'timestamp'] };
    },
    'runs.list': () => runs,
    'runs.get': ({ runId }) => {
      const r = runs.find((x) => x.runId === runId);
      if (!r) throw new ApiError('not_found', `no run ${runId}`);
      return { ...r, params: {}, tags: {}, metricHistory: [], confusion: [[10, 3], [4, 13]], importance: FEATURE_NAMES.slice(0, 12).map((f, i) => ({ feature: f, mean: 0.1 / (i + 1), std: 0.01 })), balance: { train: { '0': 14, '1': 16 }, batch: { '0': 5, '1': 5 }, poolPredicted: { '0': 120, '1': 150 }, warnings: [] }, artifacts: [] };
    },
    'runs.export': ({ runId }) => ({ filename: `${runId}.json`, json: JSON.stringify(runs.find((r) => r.runId === runId)) }),
    'model.score': () => {
      throw new ApiError('unavailable', 'the fake service has no models to score with');
    },
    'model.exportOnnx': () => {
      throw new ApiError('not_exportable', 'the fake service has no trained model');
    },
    'settings.get': () => settings,
    'settings.set': (patch) => {
      settings = { ...settings, ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) } as Settings;
      return settings;
    },
  };
}
