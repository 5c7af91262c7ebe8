/**
 * The run tracker's tables (migration 003): experiments, runs, params, metrics, tags. Rows as stored; the rules
 * (immutable params, MLflow's key names, artifacts on disk) are core/track/tracker.ts's.
 */
import type { Db } from './database.js';

export type RunStatus = 'RUNNING' | 'FINISHED' | 'FAILED' | 'KILLED';

export interface ExperimentRow {
  id: number;
  name: string;
  created_at: number;
  artifact_location: string;
}

export interface RunRow {
  run_id: string;
  experiment_id: number;
  /** The experiment's name (joined in). */
  experiment: string;
  name: string;
  status: RunStatus;
  start_time: number;
  end_time: number | null;
  artifact_uri: string;
  user_id: string;
}

export interface MetricPoint {
  key: string;
  step: number;
  value: number;
  /** Unix ms. */
  timestamp: number;
}

// ---------------------------------------------------------------------------------------------------------------
// Experiments

export function experimentByName(db: Db, name: string): ExperimentRow | undefined {
  return db.prepare('SELECT * FROM experiments WHERE name = ?').get(name) as ExperimentRow | undefined;
}

export function experimentById(db: Db, id: number): ExperimentRow | undefined {
  return db.prepare('SELECT * FROM experiments WHERE id = ?').get(id) as ExperimentRow | undefined;
}

/** A new experiment with no artifacts folder yet; returns its id. */
export function insertExperiment(db: Db, name: string, createdAt: number): number {
  const info = db
    .prepare('INSERT INTO experiments (name, created_at, artifact_location) VALUES (?, ?, ?)')
    .run(name, createdAt, '');
  return Number(info.lastInsertRowid);
}

export function setExperimentLocation(db: Db, id: number, artifactLocation: string): void {
  db.prepare('UPDATE experiments SET artifact_location = ? WHERE id = ?').run(artifactLocation, id);
}

/** Every experiment with its number of runs, by id. */
export function experimentsWithRunCounts(db: Db): (ExperimentRow & { runs: number })[] {
  return db
    .prepare(
      `SELECT e.*, (SELECT COUNT(*) FROM runs r WHERE r.experiment_id = e.id) AS runs
       FROM experiments e ORDER BY e.id`,
    )
    .all() as (ExperimentRow & { runs: number })[];
}

// ---------------------------------------------------------------------------------------------------------------
// Runs

const RUN_SELECT = `SELECT r.*, e.name AS experiment FROM runs r JOIN experiments e ON e.id = r.experiment_id`;

export function runById(db: Db, runId: string): RunRow | undefined {
  return db.prepare(`${RUN_SELECT} WHERE r.run_id = ?`).get(runId) as RunRow | undefined;
}

export function runExists(db: Db, runId: string): boolean {
  return db.prepare('SELECT 1 FROM runs WHERE run_id = ?').get(runId) !== undefined;
}

/** Run ids that start with `prefix`, at most `limit` of them. */
export function runIdsWithPrefix(db: Db, prefix: string, limit: number): string[] {
  const rows = db.prepare("SELECT run_id FROM runs WHERE run_id LIKE ? || '%' LIMIT ?").all(prefix, limit) as {
    run_id: string;
  }[];
  return rows.map((r) => r.run_id);
}

export interface NewRun {
  runId: string;
  experimentId: number;
  name: string;
  startTime: number;
  artifactUri: string;
  userId: string;
}

/** A run in status RUNNING, not ended. */
export function insertRun(db: Db, r: NewRun): void {
  db.prepare(
    `INSERT INTO runs (run_id, experiment_id, name, status, start_time, end_time, artifact_uri, user_id)
     VALUES (?, ?, ?, 'RUNNING', ?, NULL, ?, ?)`,
  ).run(r.runId, r.experimentId, r.name, r.startTime, r.artifactUri, r.userId);
}

export function setRunEnd(db: Db, runId: string, status: RunStatus, endTime: number): void {
  db.prepare('UPDATE runs SET status = ?, end_time = ? WHERE run_id = ?').run(status, endTime, runId);
}

/** Runs newest first (start time, then insertion), of one experiment or all (null); limit < 0: no limit. */
export function runRows(db: Db, experimentId: number | null, limit: number): RunRow[] {
  return db
    .prepare(
      `${RUN_SELECT} WHERE (@exp IS NULL OR r.experiment_id = @exp)
       ORDER BY r.start_time DESC, r.rowid DESC LIMIT @limit`,
    )
    .all({ exp: experimentId, limit }) as RunRow[];
}

/** Run ids of an experiment, oldest first. */
export function experimentRunIdList(db: Db, experimentId: number): string[] {
  const rows = db
    .prepare('SELECT run_id FROM runs WHERE experiment_id = ? ORDER BY start_time, rowid')
    .all(experimentId) as { run_id: string }[];
  return rows.map((r) => r.run_id);
}

// ---------------------------------------------------------------------------------------------------------------
// Params, tags, metrics

/** The stored values of these params of a run (keys not logged are absent). */
export function paramValues(db: Db, runId: string, keys: readonly string[]): Map<string, string> {
  const get = db.prepare('SELECT value FROM params WHERE run_id = ? AND key = ?');
  const out = new Map<string, string>();
  for (const k of keys) {
    const r = get.get(runId, k) as { value: string } | undefined;
    if (r !== undefined) out.set(k, r.value);
  }
  return out;
}

export function insertParams(db: Db, runId: string, entries: readonly (readonly [string, string])[]): void {
  const put = db.prepare('INSERT INTO params (run_id, key, value) VALUES (?, ?, ?)');
  for (const [k, v] of entries) put.run(runId, k, v);
}

/** Set tags, overwriting those of the same key. */
export function upsertTags(db: Db, runId: string, entries: readonly (readonly [string, string])[]): void {
  const put = db.prepare(
    'INSERT INTO tags (run_id, key, value) VALUES (?, ?, ?) ON CONFLICT (run_id, key) DO UPDATE SET value = excluded.value',
  );
  for (const [k, v] of entries) put.run(runId, k, v);
}

/** Metric points at one step and time. SQLite has no NaN (it would store NULL anyway): NaN is stored as NULL. */
export function insertMetrics(
  db: Db,
  runId: string,
  entries: readonly (readonly [string, number])[],
  step: number,
  timestamp: number,
): void {
  const put = db.prepare('INSERT INTO metrics (run_id, key, value, step, timestamp) VALUES (?, ?, ?, ?, ?)');
  for (const [k, v] of entries) put.run(runId, k, Number.isNaN(v) ? null : v, step, timestamp);
}

/** Chunked IN (...) lists keep under SQLite's bound-parameter limit. */
function chunks<T>(xs: readonly T[], size = 500): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += size) out.push(xs.slice(i, i + size));
  return out;
}

const placeholders = (n: number): string => Array.from({ length: n }, () => '?').join(',');

/** Adds `value` under run → key in `out`. */
function put<V>(out: Map<string, Record<string, V>>, runId: string, key: string, value: V): void {
  let rec = out.get(runId);
  if (!rec) out.set(runId, (rec = {}));
  rec[key] = value;
}

/** run → key → value of params or tags, for these runs (and only these keys when given), keys sorted. */
export function keyedValues(
  db: Db,
  table: 'params' | 'tags',
  runIds: readonly string[],
  keys?: readonly string[],
): Map<string, Record<string, string>> {
  const out = new Map<string, Record<string, string>>();
  for (const part of chunks(runIds)) {
    const keyFilter = keys ? ` AND key IN (${placeholders(keys.length)})` : '';
    const rows = db
      .prepare(`SELECT run_id, key, value FROM ${table} WHERE run_id IN (${placeholders(part.length)})${keyFilter} ORDER BY key`)
      .all(...part, ...(keys ?? [])) as { run_id: string; key: string; value: string }[];
    for (const r of rows) put(out, r.run_id, r.key, r.value);
  }
  return out;
}

/** Latest value per (run, key): MLflow's rule, the point with the largest (step, timestamp, value); NULL reads NaN. */
export function latestMetrics(db: Db, runIds: readonly string[]): Map<string, Record<string, number>> {
  const out = new Map<string, Record<string, number>>();
  for (const part of chunks(runIds)) {
    const rows = db
      .prepare(
        `SELECT run_id, key, value FROM (
           SELECT run_id, key, value, ROW_NUMBER() OVER (
             PARTITION BY run_id, key ORDER BY step DESC, timestamp DESC, value DESC, id DESC) AS rn
           FROM metrics WHERE run_id IN (${placeholders(part.length)}))
         WHERE rn = 1 ORDER BY key`,
      )
      .all(...part) as { run_id: string; key: string; value: number | null }[];
    for (const r of rows) put(out, r.run_id, r.key, r.value ?? Number.NaN);
  }
  return out;
}

/** Every point of a run's metrics (one key, or all), by key, then step, then logging order; NULL reads NaN. */
export function metricPoints(db: Db, runId: string, key: string | null): MetricPoint[] {
  const rows = db
    .prepare(
      `SELECT key, step, value, timestamp FROM metrics WHERE run_id = @runId AND (@key IS NULL OR key = @key)
       ORDER BY key, step, id`,
    )
    .all({ runId, key }) as { key: string; step: number; value: number | null; timestamp: number }[];
  return rows.map((r) => ({ key: r.key, step: r.step, value: r.value ?? Number.NaN, timestamp: r.timestamp }));
}
