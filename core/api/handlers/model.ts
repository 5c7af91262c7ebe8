/**
 * Models leaving the app: score a store (or files) with a saved JSON / ONNX model into a CSV (under
 * <artifacts>/scores; the job's result names it), and a run's model as ONNX. Scoring runs as a background job (poll
 * jobs.get), like ingest.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FEATURE_SET_VERSIONS, FEATURE_SETS } from '../../features/names.js';
import { resolveDustMap } from '../../ingest/dust-choice.js';
import { ingestFiles } from '../../ingest/ingest.js';
import { TASKS, type Task } from '../../labels.js';
import { EngineJSONSchema } from '../../learn/classifier.js';
import { storeDustRecord } from '../../learn/onnx/dust-record.js';
import { exportOnnx, NotExportableError } from '../../learn/onnx/export.js';
import { loadSavedModel } from '../../learn/onnx/saved-model.js';
import { ModelMismatchError, scoreStore, type ScoreSummary } from '../../learn/onnx/scoring.js';
import { featureSetOfNames, featureSetOfVersion, taskModelMeta } from '../../learn/onnx/task-meta.js';
import { openStore, type Db } from '../../store/database.js';
import { getSettings } from '../../store/settings.js';
import { RunNotFoundError } from '../../track/errors.js';
import { getParams, listRuns, readArtifact, resolveRunId } from '../../track/tracker.js';
import type { Handlers } from '../contract.js';
import type { ServiceContext } from '../context.js';
import { ApiError } from '../define.js';

type ModelMethods = 'model.score' | 'model.exportOnnx';

const isTask = (t: string | undefined): t is Task => (TASKS as readonly (string | undefined)[]).includes(t);

export const SCORE_JOB = 'score';

export interface ScoreJobResult extends ScoreSummary {
  /** Alerts read from the given files (null when the store was scored). */
  ingested: number | null;
  warnings: string[];
}

/** Ingest `files` into a throw-away store (the user's store is left as it is), then run `fn` on it. */
async function withFilesStore<T>(ctx: ServiceContext, files: string[], fn: (db: Db, ingested: number, warnings: string[]) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'finkvra-score-'));
  const db = openStore(join(dir, 'score.sqlite'));
  try {
    // The store's dust setting, as data.ingest uses: the files' ebv must come from the map the store's came from.
    const dust = resolveDustMap(undefined, ctx.homeDir, getSettings(ctx.db, ctx.dbPath).dust);
    const s = await ingestFiles(db, files, { dust: dust.map, withCutouts: false, stagingDir: dir });
    if (s.failed > 0) throw new ApiError('invalid_input', s.files.filter((f) => f.error).map((f) => `${f.file}: ${f.error}`).join('; '));
    return await fn(db, s.alertsRead, dust.warning ? [dust.warning] : []);
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The newest run of `task` with a model, or the given one. */
function runWithModel(db: Db, task: string, runId: string | undefined): { runId: string; task: string; json: string } {
  let ids: string[];
  try {
    ids = runId ? [resolveRunId(db, runId)] : listRuns(db).map((r) => r.runId);
  } catch (e) {
    if (e instanceof RunNotFoundError) throw new ApiError('not_found', e.message);
    throw e;
  }
  for (const id of ids) {
    const t = getParams(db, id).task;
    if (!runId && t !== task) continue;
    const json = readArtifact(db, id, 'model.json');
    if (json) return { runId: id, task: t, json: json.toString('utf8') };
    if (runId) throw new ApiError('not_found', `run ${id} has no model.json artifact`);
  }
  throw new ApiError('not_found', `no run of task ${task} with a model yet: label a batch so that a round trains`);
}

export function modelHandlers(ctx: ServiceContext): Pick<Handlers, ModelMethods> {
  return {
    'model.score': ({ model, night, files }) => {
      if (ctx.jobs.active(SCORE_JOB)) throw new ApiError('busy', 'a scoring job is already running; wait for it to finish');
      // Written under the app folder only: a caller (web mode, the renderer) must not choose where files are written.
      const outDir = join(ctx.artifactsDir, 'scores');
      mkdirSync(outDir, { recursive: true });
      const out = join(outDir, `scores-${new Date().toISOString().replace(/[:.]/g, '-')}-${randomUUID().slice(0, 8)}.csv`);
      const job = ctx.jobs.start(SCORE_JOB, async (report): Promise<ScoreJobResult> => {
        const saved = await loadSavedModel(model);
        try {
          const run = (db: Db, ingested: number | null, warnings: string[]) =>
            scoreStore(db, saved, out, { night: night ?? null, source: model, progress: (f, m) => report.progress(f, m) }).then(
              (s) => ({ ...s, ingested, warnings }),
            );
          return files ? await withFilesStore(ctx, files, run) : await run(ctx.db, null, []);
        } catch (e) {
          if (e instanceof ModelMismatchError) throw new ApiError('model_mismatch', e.message);
          throw e;
        } finally {
          await saved.close();
        }
      });
      return { jobId: job.id };
    },
    'model.exportOnnx': ({ runId }) => {
      const r = runWithModel(ctx.db, getSettings(ctx.db, ctx.dbPath).task, runId);
      if (!isTask(r.task)) throw new ApiError('invalid_input', `run ${r.runId}: param task is not a known task`);
      let raw: unknown;
      try {
        raw = JSON.parse(r.json);
      } catch {
        throw new ApiError('invalid_input', `run ${r.runId}: model.json is not valid JSON`);
      }
      const parsed = EngineJSONSchema.safeParse(raw);
      if (!parsed.success) throw new ApiError('invalid_input', `run ${r.runId}: model.json is not a finkvra model`);
      const version = featureSetOfNames(parsed.data.featureNames);
      if (!version) {
        throw new ApiError('model_mismatch', `run ${r.runId}: its model was trained on other features than feature set ${FEATURE_SETS.map((s) => FEATURE_SET_VERSIONS[s]).join(' or ')}`);
      }
      try {
        // The map the ebv of the model's own survey's alerts came from (the store's other survey may differ).
        const set = featureSetOfVersion(version);
        const dust = set ? storeDustRecord(ctx.db, set) : undefined;
        const bytes = exportOnnx(parsed.data, taskModelMeta(parsed.data, r.task, r.runId, dust));
        const filename = `finkvra-${r.task}-${parsed.data.engine}-${r.runId.slice(0, 8)}.onnx`;
        return { filename, base64: Buffer.from(bytes).toString('base64'), runId: r.runId };
      } catch (e) {
        if (e instanceof NotExportableError) throw new ApiError('not_exportable', e.message);
        throw e;
      }
    },
  };
}
