/**
 * The ONE typed contract between the UI and core. Each method: a name, a zod input schema and a result type.
 * Electron (ipcMain.handle), web mode (POST /api/<method>) and the CLI all dispatch through core/api/dispatch.ts.
 */
import { z } from 'zod';
import { FEATURE_SETS, type FeatureSetName } from '../features/names.js';
import { SURVEY_IDS } from '../surveys/registry.js';
import { LABELS, TASKS } from '../labels.js';
import { ENGINE_NAMES } from '../learn/engines.js';
import { STRATEGIES } from '../learn/strategies.js';
import { method, type MethodDef } from './define.js';
import { UPLOAD_ID } from './upload-id.js';
import type {
  StoreInfo,
  AlertCard,
  DataSummary,
  ExperimentSummary,
  HoldoutState,
  JobStatus,
  LabelAck,
  LabelsImportResult,
  LoopState,
  RunComparison,
  RunDetail,
  RunSummary,
  Settings,
  SourceFileRow,
  TrainSummary,
  WeakLabelsResult,
} from './types.js';
import { GROUP_UNITS } from '../learn/group-folds.js';

const candid = z.string().regex(/^\d{1,20}$/, 'candid must be a decimal integer string');
const label = z.enum(LABELS);
const night = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a night is YYYY-MM-DD');
/** Settings for one round only (the CLI's `round` options); the saved settings stay as they are. */
const roundSettings = z
  .object({
    strategy: z.enum(STRATEGIES).optional(),
    n: z.number().int().min(1).max(1000).optional(),
    n0: z.number().int().min(1).max(1000).optional(),
    engine: z.enum(ENGINE_NAMES).optional(),
    seed: z.number().int().min(0).optional(),
    night: night.optional(),
    featureSet: z.enum(FEATURE_SETS).optional(),
    cvGroup: z.enum(GROUP_UNITS).optional(),
  })
  .strict();

export const CONTRACT = {
  'app.store': method<StoreInfo>()(
    z.object({}).strict(),
    'The store this app has open, and whether it is the embedded sample night',
  ),
  'data.summary': method<DataSummary>()(z.object({}).strict(), 'Counts of alerts, files, nights and labels'),
  'data.files': method<SourceFileRow[]>()(z.object({}).strict(), 'Source files with errors'),
  'data.ingest': method<{ jobId: string }>()(
    z
      .object({
        paths: z.array(z.string().min(1)).min(1),
        /** Store the cutouts (default true). */
        cutouts: z.boolean().optional(),
        /** A dust map file or SFD folder for this ingest (default: the Settings choice). */
        dust: z.string().min(1).optional(),
        /** A Lasair token for this ingest's Sherlock look-ups (default: the environment's, else the stored one). */
        lasairToken: z.string().regex(/^[\w.-]{8,200}$/, 'not a Lasair token').optional(),
      })
      .strict(),
    'Ingest files or folders in the background; poll jobs.get',
  ),
  'data.ingestUpload': method<{ jobId: string }>()(
    z
      .object({
        uploads: z.array(z.string().regex(UPLOAD_ID, 'not an upload id')).min(1).max(10_000),
      })
      .strict(),
    'Web mode: ingest files sent to POST /upload (by their upload ids), then remove them from the uploads folder',
  ),
  'data.features': method<{ featureSet: FeatureSetName; x: string; meta: string | null; rows: number }>()(
    z.object({ featureSet: z.enum(FEATURE_SETS), night: night.optional(), meta: z.boolean().optional() }).strict(),
    'The feature matrix X of a feature set (candid, features; missing = empty) and optionally its meta, as CSV text',
  ),
  'jobs.get': method<JobStatus>()(z.object({ id: z.string().min(1) }).strict(), 'Status of a background job'),
  'alerts.card': method<AlertCard>()(z.object({ candid }).strict(), 'Everything the label card shows'),
  'loop.state': method<LoopState>()(z.object({}).strict(), 'Current round, batch and cursor'),
  'loop.startRound': method<{ jobId: string }>()(
    z.object({ force: z.boolean().optional(), settings: roundSettings.optional() }).strict(),
    'Train on the labels, score the pool and propose the next batch, in the background',
  ),
  'labels.set': method<LabelAck>()(
    z.object({ candid, label }).strict(),
    'Record a human label (written before this returns)',
  ),
  'labels.skip': method<LoopState>()(z.object({ candid }).strict(), 'Skip an alert of the batch'),
  'labels.undo': method<LabelAck | null>()(z.object({}).strict(), 'Undo the last human label event'),
  'labels.exportCsv': method<{ filename: string; csv: string; rows: number; columns: string[] }>()(
    z
      .object({
        format: z.enum(['full', 'seed']),
        survey: z.enum(SURVEY_IDS).optional(),
        /** Subset and order of the full format's columns. */
        columns: z.array(z.string().min(1)).min(1).max(1000).optional(),
      })
      .strict(),
    "Labelled set as CSV (full: one survey's labels + features + meta, default the current survey's in a mixed store, optionally some columns; seed: candid,objectId,label,timestamp[,survey])",
  ),
  'labels.import': method<LabelsImportResult>()(
    z.union([
      /** name: how errors call the file (default its base name; the CLI gives the path as typed). */
      z.object({ path: z.string().min(1), name: z.string().min(1).optional() }).strict(),
      z.object({ name: z.string().min(1), text: z.string() }).strict(),
    ]),
    "Import the seed's labeled.csv: a file on this machine (the app's dialog) or uploaded text (web mode)",
  ),
  'labels.holdout': method<HoldoutState>()(
    z
      .object({
        action: z.enum(['show', 'mark', 'clear']),
        fraction: z.number().gt(0).lt(1).optional(),
        seed: z.number().int().min(0).optional(),
        /** Mark every alert of these nights instead of a fraction (held-out nights). */
        nights: z.array(night).min(1).max(1000).optional(),
        /** Mark these candids (e.g. a file's) and their objects. */
        candids: z.array(candid).min(1).max(1_000_000).optional(),
      })
      .strict(),
    'Show, mark (a stratified fraction of the labels, whole objects, every alert of the given nights, or given candids) or clear the fixed held-out set',
  ),
  'labels.weak': method<WeakLabelsResult>()(
    z.object({ dryRun: z.boolean().optional() }).strict(),
    "Weak labels from Fink's catalogue columns (cdsxmatch, tnsclass, finkclass), stored apart from human labels",
  ),
  'runs.list': method<RunSummary[]>()(
    z.object({ experiment: z.string().min(1).optional(), limit: z.number().int().min(1).optional() }).strict(),
    'Tracked runs, newest first (of one experiment, at most limit)',
  ),
  'runs.get': method<RunDetail>()(
    z.object({ runId: z.string().min(1) }).strict(),
    'One run in full (its id or a unique prefix of at least 4 characters)',
  ),
  'runs.experiments': method<ExperimentSummary[]>()(z.object({}).strict(), 'Experiments of the run tracker, with run counts'),
  'runs.compare': method<RunComparison>()(
    z.object({ runIds: z.array(z.string().min(1)).min(1).max(100) }).strict(),
    'Params and latest metrics of runs side by side (ids or unique prefixes)',
  ),
  'runs.exportText': method<{ filename: string; text: string }>()(
    z.union([
      z.object({ runId: z.string().min(1), format: z.enum(['csv', 'json']) }).strict(),
      z.object({ experiment: z.string().min(1), format: z.enum(['csv', 'json']) }).strict(),
    ]),
    'A run (id or unique prefix) or every run of an experiment as CSV or JSON text',
  ),
  'runs.export': method<{ filename: string; json: string }>()(
    z.object({ runId: z.string().min(1) }).strict(),
    'A run as JSON (params, metrics, tags, artifacts list)',
  ),
  'settings.lasairToken': method<{ stored: boolean; fromEnvironment: boolean }>()(
    z.discriminatedUnion('action', [
      z.object({ action: z.literal('show') }).strict(),
      z.object({ action: z.literal('set'), token: z.string().regex(/^[\w.-]{8,200}$/, 'not a Lasair token') }).strict(),
      z.object({ action: z.literal('clear') }).strict(),
    ]),
    "Keep the Lasair API token in the store (Sherlock's sep_arcsec at ingest); never returned, LASAIR_TOKEN wins",
  ),
  'model.score': method<{ jobId: string }>()(
    z
      .object({
        model: z.string().min(1),
        night: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'night must be YYYY-MM-DD').optional(),
        files: z.array(z.string().min(1)).min(1).optional(),
      })
      .strict(),
    'Score the alerts of the store (or of the given files) with a saved model (JSON or ONNX) into a CSV under the app folder, in the background',
  ),
  'model.train': method<{ jobId: string; summary: TrainSummary }>()(
    z
      .object({
        engine: z.enum(ENGINE_NAMES).optional(),
        featureSet: z.enum(FEATURE_SETS).optional(),
        cvGroup: z.enum(GROUP_UNITS).optional(),
        folds: z.number().int().min(2).max(100).default(5),
        repeats: z.number().int().min(1).max(100).default(5),
        /** Also export the model as ONNX (hgb, hrf). */
        onnx: z.boolean().optional(),
      })
      .strict(),
    'Train on the counted labels (settings, or these for this fit): cross-validated metrics, importance and the model, in the background',
  ),
  'model.exportOnnx': method<{ filename: string; base64: string; runId: string }>()(
    z.object({ runId: z.string().min(1).optional() }).strict(),
    "A run's model as ONNX (default: the latest run of the current task that has a model)",
  ),
  'settings.get': method<Settings>()(z.object({}).strict(), 'Current settings'),
  'settings.set': method<Settings>()(
    z
      .object({
        task: z.enum(TASKS).optional(),
        strategy: z.enum(STRATEGIES).optional(),
        n0: z.number().int().min(1).max(1000).optional(),
        n: z.number().int().min(1).max(1000).optional(),
        engine: z.enum(ENGINE_NAMES).optional(),
        seed: z.number().int().min(0).optional(),
        night: z.string().nullable().optional(),
        featureSet: z.enum(FEATURE_SETS).optional(),
        dust: z.enum(['auto', 'sfd', 'lowres', 'none']).optional(),
        labelKeys: z.record(label, z.string().length(1)).optional(),
        cvGroup: z.enum(GROUP_UNITS).optional(),
      })
      .strict(),
    'Change settings (partial)',
  ),
} as const;

export type Contract = typeof CONTRACT;
export type MethodName = keyof Contract;
export type MethodInput<K extends MethodName> = z.input<Contract[K]['input']>;
export type ParsedInput<K extends MethodName> = z.output<Contract[K]['input']>;
export type MethodResult<K extends MethodName> = Contract[K] extends MethodDef<z.ZodType, infer R> ? R : never;

/** What a service implements: one handler per method. */
export type Handlers = { [K in MethodName]: (input: ParsedInput<K>) => Promise<MethodResult<K>> | MethodResult<K> };

/** What a client calls (IPC in Electron, HTTP in web mode). */
export type CallFn = <K extends MethodName>(method: K, input: MethodInput<K>) => Promise<MethodResult<K>>;

export const METHOD_NAMES = Object.keys(CONTRACT) as MethodName[];
export const isMethodName = (s: string): s is MethodName => Object.hasOwn(CONTRACT, s);
