/**
 * Exports of tracked runs: one run or a whole experiment, as
 * - CSV: one row per run (run_id, experiment, run_name, status, start_time, end_time, then params.<key>,
 *   metrics.<key> (latest value), tags.<key>, each group sorted by key), like `mlflow.search_runs()`'s frame;
 * - JSON: `{ format: 'finkvra-runs', version: 1, experiment, runs: TrackedRun[] }` (full metric history included);
 * - an MLflow file store that `mlflow ui --backend-store-uri <out>` opens:
 *     <out>/0/meta.yaml                              MLflow's "Default" experiment (written if absent)
 *     <out>/.trash/                                  (MLflow creates it otherwise)
 *     <out>/<experiment_id>/meta.yaml                artifact_location, creation_time, experiment_id,
 *                                                    last_update_time, lifecycle_stage, name
 *     <out>/<experiment_id>/<run_id>/meta.yaml       artifact_uri, end_time, entry_point_name, experiment_id,
 *                                                    lifecycle_stage, run_id, run_name, run_uuid, source_name,
 *                                                    source_type, source_version, start_time, status (int:
 *                                                    RUNNING=1, FINISHED=3, FAILED=4, KILLED=5), tags, user_id
 *     <out>/<experiment_id>/<run_id>/params/<key>    the value, no trailing newline
 *     <out>/<experiment_id>/<run_id>/metrics/<key>   one line per logged point: "<timestamp ms> <value> <step>"
 *     <out>/<experiment_id>/<run_id>/tags/<key>      the value (mlflow.runName and mlflow.user included)
 *     <out>/<experiment_id>/<run_id>/artifacts/...   copies of the run's artifact files
 *   as MLflow's FileStore (mlflow/store/tracking/file_store.py) writes them. artifact_uri / artifact_location are
 *   absolute file:// URIs of the export folder, as MLflow writes: moving the folder breaks artifact links in the UI.
 *   Exporting into a folder that already holds an MLflow store adds to it; a run exported again is replaced.
 */
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { stringify } from 'csv-stringify/sync';
import type { Db } from '../store/database.js';
import { TrackError } from './errors.js';
import { flatYaml, pythonFloatRepr } from './mlflow-yaml.js';
import type { YamlValue } from './mlflow-yaml.js';
import { cvHeadline } from './headline.js';
import { MLFLOW_NOTE_TAG, MLFLOW_RUN_NAME_TAG, MLFLOW_USER_TAG } from './names.js';
import { experimentRunIds, getExperimentById, getRun, getRunSummaries } from './tracker.js';
import type { RunStatus, TrackedRun } from './tracker.js';

/** What to export: one run, or every run of an experiment. */
export type ExportSelection = { runId: string } | { experiment: string };
export type ExportFormat = 'csv' | 'json' | 'mlflow';
export const EXPORT_FORMATS: readonly ExportFormat[] = ['csv', 'json', 'mlflow'];

/** MLflow's RunStatus enum values as stored in meta.yaml. */
export const MLFLOW_STATUS: Record<RunStatus, number> = { RUNNING: 1, FINISHED: 3, FAILED: 4, KILLED: 5 };
/** MLflow's SourceType.LOCAL, the value its FileStore writes. */
const MLFLOW_SOURCE_LOCAL = 4;

export function selectedRunIds(db: Db, sel: ExportSelection): string[] {
  if ('runId' in sel) {
    getRunSummaries(db, [sel.runId]); // throws RunNotFoundError
    return [sel.runId];
  }
  return experimentRunIds(db, sel.experiment);
}

/** A file name for the export: `<experiment or run id>.csv|.json`, or the folder name `mlruns`. */
export function exportFilename(sel: ExportSelection, format: ExportFormat): string {
  if (format === 'mlflow') return 'mlruns';
  const base = 'runId' in sel ? `run_${sel.runId}` : `experiment_${sel.experiment.replace(/[^\w.-]+/g, '_')}`;
  return `${base}.${format}`;
}

// ---------------------------------------------------------------------------------------------------------------
// CSV and JSON

const fmtNumber = (v: number): string => (Number.isNaN(v) ? 'NaN' : String(v));

/** One row per run: fixed columns, then params.*, metrics.* (latest) and tags.*, each sorted by key. */
export function exportCsv(db: Db, sel: ExportSelection): string {
  const runs = selectedRunIds(db, sel).map((id) => getRun(db, id));
  const keys = (pick: (r: TrackedRun) => Record<string, unknown>): string[] =>
    [...new Set(runs.flatMap((r) => Object.keys(pick(r))))].sort();
  const paramKeys = keys((r) => r.params);
  const metricKeys = keys((r) => r.metrics);
  const tagKeys = keys((r) => r.tags);
  const header = [
    'run_id',
    'experiment',
    'run_name',
    'status',
    'start_time',
    'end_time',
    ...paramKeys.map((k) => `params.${k}`),
    ...metricKeys.map((k) => `metrics.${k}`),
    ...tagKeys.map((k) => `tags.${k}`),
  ];
  const rows = runs.map((r) => [
    r.runId,
    r.experiment,
    r.name,
    r.status,
    r.startedAt,
    r.finishedAt ?? '',
    ...paramKeys.map((k) => r.params[k] ?? ''),
    ...metricKeys.map((k) => (k in r.metrics ? fmtNumber(r.metrics[k]) : '')),
    ...tagKeys.map((k) => r.tags[k] ?? ''),
  ]);
  return stringify([header, ...rows]);
}

export interface RunsJson {
  format: 'finkvra-runs';
  version: 1;
  exportedAt: string;
  /** The experiment exported, or null for a single run. */
  experiment: string | null;
  runs: TrackedRun[];
}

/** The runs in full (getRun of each) as pretty JSON. NaN metric values become null (JSON has no NaN). */
export function exportJson(db: Db, sel: ExportSelection): string {
  const doc: RunsJson = {
    format: 'finkvra-runs',
    version: 1,
    exportedAt: new Date().toISOString(),
    experiment: 'experiment' in sel ? sel.experiment : null,
    runs: selectedRunIds(db, sel).map((id) => getRun(db, id)),
  };
  return JSON.stringify(doc, null, 2) + '\n';
}

/** One run as JSON with a suggested file name (what the `runs.export` API method returns). */
export function runExport(db: Db, runId: string): { filename: string; json: string } {
  const sel = { runId };
  return { filename: exportFilename(sel, 'json'), json: exportJson(db, sel) };
}

// ---------------------------------------------------------------------------------------------------------------
// MLflow file store

export interface MlflowExportResult {
  root: string;
  experiments: number[];
  runs: string[];
}

const fileUri = (p: string): string => pathToFileURL(p).href;

/** Write the selection as an MLflow file store rooted at `outDir` (see the layout at the top of this file). */
export function exportMlflow(db: Db, sel: ExportSelection, outDir: string): MlflowExportResult {
  const root = resolve(outDir);
  const runs = selectedRunIds(db, sel).map((id) => getRun(db, id));
  mkdirSync(join(root, '.trash'), { recursive: true });
  if (!existsSync(join(root, '0', 'meta.yaml'))) {
    writeExperimentMeta(root, { id: 0, name: 'Default', createdAt: Date.now() });
  }
  const experiments = [...new Set(runs.map((r) => r.experimentId))];
  for (const expId of experiments) {
    const exp = getExperimentById(db, expId);
    if (!exp) throw new TrackError(`experiment ${expId} vanished during the export`);
    writeExperimentMeta(root, { id: exp.id, name: exp.name, createdAt: exp.createdAt });
  }
  for (const run of runs) writeRun(root, run);
  return { root, experiments, runs: runs.map((r) => r.runId) };
}

function writeExperimentMeta(root: string, exp: { id: number; name: string; createdAt: number }): void {
  const dir = join(root, String(exp.id));
  const metaPath = join(dir, 'meta.yaml');
  if (existsSync(metaPath)) {
    // Another store's experiment with the same id would get our runs mixed into it.
    const existing = /^name: (.*)$/m.exec(readFileSync(metaPath, 'utf8'))?.[1]?.replace(/^'(.*)'$/, '$1');
    if (existing !== undefined && existing !== exp.name) {
      throw new TrackError(
        `${metaPath} holds experiment '${existing}', not '${exp.name}': export into an empty folder instead`,
      );
    }
  }
  mkdirSync(dir, { recursive: true });
  const meta: Record<string, YamlValue> = {
    artifact_location: fileUri(dir),
    creation_time: exp.createdAt,
    experiment_id: String(exp.id),
    last_update_time: exp.createdAt,
    lifecycle_stage: 'active',
    name: exp.name,
  };
  writeFileSync(metaPath, flatYaml(meta));
}

function writeRun(root: string, run: TrackedRun): void {
  const runDir = join(root, String(run.experimentId), run.runId);
  rmSync(runDir, { recursive: true, force: true });
  for (const sub of ['params', 'metrics', 'tags', 'artifacts']) mkdirSync(join(runDir, sub), { recursive: true });
  const status = run.status as RunStatus;
  const meta: Record<string, YamlValue> = {
    artifact_uri: fileUri(join(runDir, 'artifacts')),
    end_time: run.endTime,
    entry_point_name: '',
    experiment_id: String(run.experimentId),
    lifecycle_stage: 'active',
    run_id: run.runId,
    run_name: run.name,
    run_uuid: run.runId,
    source_name: '',
    source_type: MLFLOW_SOURCE_LOCAL,
    source_version: '',
    start_time: run.startTime,
    status: MLFLOW_STATUS[status],
    tags: [],
    user_id: run.userId,
  };
  // MLflow writes deleted_time: null when it creates a run and drops the key when the run ends.
  if (status === 'RUNNING') meta.deleted_time = null;
  writeFileSync(join(runDir, 'meta.yaml'), flatYaml(meta));

  // Keys may hold '/', which MLflow stores as sub-folders.
  const put = (sub: string, key: string, text: string): void => {
    const p = join(runDir, sub, ...key.split('/'));
    mkdirSync(join(p, '..'), { recursive: true });
    writeFileSync(p, text);
  };
  for (const [k, v] of Object.entries(run.params)) put('params', k, v);
  const lines = new Map<string, string[]>();
  for (const m of run.metricHistory) {
    let l = lines.get(m.key);
    if (!l) lines.set(m.key, (l = []));
    l.push(`${m.timestamp} ${pythonFloatRepr(m.value)} ${m.step}\n`);
  }
  for (const [k, l] of lines) put('metrics', k, l.join(''));
  const tags: Record<string, string> = { ...run.tags, [MLFLOW_RUN_NAME_TAG]: run.name };
  if (run.userId && !(MLFLOW_USER_TAG in tags)) tags[MLFLOW_USER_TAG] = run.userId;
  // The run's description in `mlflow ui`: the night-grouped headline first, the optimistic figure labelled so.
  const headline = cvHeadline(run.metrics, run.tags['cv_night.unit'] === 'file' ? 'file' : 'night');
  if (headline.length && !(MLFLOW_NOTE_TAG in tags)) tags[MLFLOW_NOTE_TAG] = headline.join('\n');
  for (const [k, v] of Object.entries(tags)) put('tags', k, v);
  if (existsSync(run.artifactUri)) {
    cpSync(run.artifactUri, join(runDir, 'artifacts'), {
      recursive: true,
      filter: (src) => !/\.tmp-[0-9a-f]{12}$/.test(src),
    });
  }
}
