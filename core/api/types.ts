/** Result types of the contract (plain JSON: candid is a decimal string, no BigInt, no typed arrays). */
import type { NearbySources } from '../alerts/nearby-sources.js';
import type { Label, Task } from '../labels.js';
import type { GroupUnit } from '../learn/group-folds.js';
import type { SurveyId } from '../surveys/survey.js';
import type { FeatureSetName } from '../features/names.js';

export interface DataSummary {
  dbPath: string;
  alerts: number;
  objects: number;
  files: number;
  failedFiles: number;
  withFeatures: number;
  labelled: number;
  nights: NightCount[];
  labelCounts: Record<string, number>;
  /** The same counts per survey, one entry per survey id (zeros for a survey the store has no alert of). */
  surveys: SurveyCount[];
}

/** One survey's part of a store: labelled and pool as in NightCount, files = ingested files with its alerts. */
export interface SurveyCount {
  survey: SurveyId;
  alerts: number;
  objects: number;
  labelled: number;
  pool: number;
  nights: number;
  files: number;
}

export interface NightCount {
  /** Each survey's alerts of a night are counted apart (ZTF's UTC night and LSST's dayObs may share a date). */
  survey: SurveyId;
  night: string;
  alerts: number;
  pool: number;
  labelled: number;
}

export interface SourceFileRow {
  id: number;
  path: string;
  sha256: string;
  rows: number | null;
  newAlerts: number | null;
  ingestedAt: string;
  error: string | null;
}

export interface IngestFileResult {
  file: string;
  ok: boolean;
  /** The survey the file's alerts were read as (files ingested now; absent for a skipped or failed file). */
  survey?: SurveyId;
  skipped?: 'already-ingested';
  rows: number;
  newAlerts: number;
  duplicates: number;
  error?: string;
}

export interface IngestSummary {
  files: IngestFileResult[];
  alertsRead: number;
  newAlerts: number;
  failed: number;
  seconds: number;
  warnings: string[];
}

export type JobState = 'running' | 'done' | 'failed';

export interface JobStatus {
  id: string;
  kind: string;
  state: JobState;
  /** 0..1 when known. */
  progress: number | null;
  message: string;
  startedAt: string;
  finishedAt: string | null;
  result: unknown;
  error: string | null;
}

export interface LcPointDto {
  jd: number;
  fid: number;
  magpsf: number | null;
  sigmapsf: number | null;
  diffmaglim: number | null;
  isdiffpos: string | null;
}

/**
 * What a scanner judges an alert by besides its photometry; ZTF's -999 sentinels are null. The nearby sources
 * (NearbySources): PS1 star–galaxy score (1 = star) and distance, the nearest reference-image source, the nearest Gaia
 * source.
 */
export interface CardContext extends NearbySources {
  /** Nearest known solar-system object: name and distance (arcsec); null when none is near. */
  ssnamenr: string | null;
  ssdistnr: number | null;
  /** The current alert's difference: 't' positive, 'f' negative. */
  isdiffpos: 't' | 'f' | null;
  /** Galactic latitude (degrees). */
  galB: number;
  /** E(B-V) (raw SFD) from the stored features, null when missing. */
  ebv: number | null;
}

/** A current human label of another alert of the same object. */
export interface ObjectLabel {
  candid: string;
  jd: number;
  label: Label;
  /** When the label was set (UTC ISO). */
  at: string;
}

export interface AlertCard {
  candid: string;
  objectId: string;
  jd: number;
  /** ISO date-time (UTC) of jd. */
  date: string;
  night: string;
  ra: number;
  dec: number;
  fid: number;
  magpsf: number | null;
  sigmapsf: number | null;
  drb: number | null;
  rb: number | null;
  features: Record<string, number | null>;
  /** The object's photometry up to and including this alert's epoch. */
  lightcurve: LcPointDto[];
  /** gzip-compressed FITS as base64, decoded in the renderer. */
  cutouts: { science: string | null; template: string | null; difference: string | null };
  fink: {
    cdsxmatch: string | null;
    finkclass: string | null;
    tnsclass: string | null;
    roid: number | null;
    scores: Record<string, number>;
  };
  label: Label | null;
  labelHistory: { label: Label | null; source: string; action: string; at: string }[];
  context: CardContext;
  /** Labels of the object's other alerts, by alert date: a scanner must know the object was judged before. */
  objectLabels: ObjectLabel[];
  /** When the alert is in the current batch: the model's view of it. */
  proposal: Proposal | null;
  /** Lasair's and Fink's pages of the object; null when the survey's broker has no page for it. */
  links: { lasair: string | null; fink: string | null };
  /** The survey the alert comes from; `lsst` holds what only LSST alerts carry (null for ZTF). */
  survey: SurveyId;
  lsst: LsstCard | null;
}

/** One point of an LSST light curve: a detection, forced photometry, or (schema 7.x) a non-detection limit. */
export interface LsstFluxPoint {
  mjd: number;
  band: string | null;
  /** Difference flux and its error, nJy; a negative flux is a negative difference. For a limit: flux null, error = noise. */
  flux: number | null;
  fluxErr: number | null;
  /** AB magnitude and its error where flux > 0, else null. */
  mag: number | null;
  magErr: number | null;
  kind: 'detection' | 'forced' | 'limit';
}

/** What an LSST alert card shows besides the common fields (ids as exact decimal strings). */
export interface LsstCard {
  diaSourceId: string;
  diaObjectId: string | null;
  ssObjectId: string | null;
  /** The known solar-system object the source matched (ssSource / mpc_orbits / MPCORB designation). */
  ssDesignation: string | null;
  /** From the fields ('7.x', '8.0/9.0', '10.0'), and as the file declares it. */
  schemaVersion: string;
  declaredVersion: string | null;
  band: string | null;
  psfFlux: number | null;
  psfFluxErr: number | null;
  scienceFlux: number | null;
  snr: number | null;
  reliability: number | null;
  extendedness: number | null;
  isDipole: boolean | null;
  isNegative: boolean | null;
  /** Trail and streak flags of the diaSource (null when the schema version lacks the field). */
  flags: { trail_flag_edge: boolean | null; glint_trail: boolean | null; pixelFlags_streak: boolean | null };
  trailLength: number | null;
  /** diaObject summary fields present (per-band <b>_psfFluxMean, …, nDiaSources, firstDiaSourceMjdTai). */
  diaObject: Record<string, number>;
  /** The object's photometry up to and including this alert's epoch, oldest first. */
  lightcurve: LsstFluxPoint[];
}

export interface Proposal {
  candid: string;
  objectId: string;
  rank: number;
  /** P(class 1) from the model that proposed it; null in round 0 (no model yet). */
  prob: number | null;
  /** Query score of the strategy (higher = more informative). */
  score: number | null;
  strategy: string;
  reason: string;
}

export interface LoopState {
  task: Task;
  /** The survey the loop works on: that of the feature set (core/features/names.ts FEATURE_SET_SURVEY). */
  survey: SurveyId;
  featureSet: FeatureSetName;
  /** The survey's newest round of the task (round numbers are per task, shared by the surveys), -1 when none. */
  round: number;
  strategy: string;
  /** skipped: skipped and not labelled since (counts as done for the cursor). */
  batch: (Proposal & { label: Label | null; skipped: boolean })[];
  /** Index of the first unlabelled item of the batch, or batch.length when done. */
  cursor: number;
  labelledInBatch: number;
  /** A round being trained/scored in the background, if any. */
  pendingJob: JobStatus | null;
  nTrainCounted: number;
  warnings: string[];
}

export interface LabelAck {
  eventId: number;
  candid: string;
  label: Label | null;
  /** Labels that count towards the task's batch (NaN classes excluded). */
  state: LoopState;
}

export interface RunSummary {
  runId: string;
  experiment: string;
  name: string;
  round: number;
  strategy: string;
  engine: string;
  nTrain: number;
  startedAt: string;
  finishedAt: string | null;
  status: string;
  metrics: Record<string, number>;
  /** The feature set the run used and its survey (runs.list fills them from the run's params; null when not logged). */
  featureSet?: FeatureSetName | null;
  survey?: SurveyId | null;
}

export interface RunDetail extends RunSummary {
  params: Record<string, string>;
  tags: Record<string, string>;
  metricHistory: { key: string; step: number; value: number }[];
  confusion: number[][] | null;
  importance: { feature: string; mean: number; std: number }[];
  balance: {
    train: Record<string, number>;
    batch: Record<string, number>;
    poolPredicted: Record<string, number>;
    warnings: string[];
  } | null;
  artifacts: string[];
  /** What is wrong with the run's record (e.g. an artifact listed but absent). */
  problems?: string[];
}

export interface Settings {
  task: Task;
  strategy: string;
  n0: number;
  n: number;
  engine: string;
  seed: number;
  night: string | null;
  /** Which feature set rounds and training use (core/features/names.ts FEATURE_SETS). */
  featureSet: FeatureSetName;
  /** Which dust map ingest uses (core/ingest/dust-choice.ts DUST_CHOICES). */
  dust: 'auto' | 'sfd' | 'lowres' | 'none';
  labelKeys: Record<Label, string>;
  /** What the headline cross-validation holds out whole: nights, or source files (default night). */
  cvGroup?: GroupUnit;
  dbPath: string;
}

/** The fixed held-out labelled set (never trained on nor proposed; rounds log holdout_* metrics on it). */
export interface HoldoutState {
  /** The survey whose part of the set this is (the current feature set's). */
  survey: SurveyId;
  marked: number;
  objects: number;
  perClass: Record<string, number>;
  perLabel: Record<string, number>;
  /** What this call changed (absent for 'show'). */
  change?: HoldoutChange;
}

/** One holdout change: cleared alerts, or newly marked ones (by nights: per night; by candids: already and unknown). */
export interface HoldoutChange {
  cleared?: number;
  marked?: number;
  already?: number;
  unknown?: string[];
  perNight?: Record<string, number>;
}

/** What an import of the seed's labeled.csv did (rows numbered from 2: line 1 is the header). */
export interface ImportReport {
  rows: number;
  imported: number;
  /** Same candid more than once in the file (the last row wins). */
  duplicatesInFile: { candid: string; rows: number[] }[];
  /** Same label already current in the store: nothing written. */
  unchanged: number;
  /** A different label was current: the imported one is now current (the old one stays in the history). */
  changed: { candid: string; from: Label; to: Label }[];
  /** Not ingested (yet): the label is stored all the same and counts once the alert is ingested. */
  unknownCandids: string[];
  /** Rows rejected: bad candid, unknown label, missing objectId for an unknown alert. */
  invalid: { row: number; reason: string }[];
}

/** What `labels.import` did, with the file's name as the user chose it. */
export interface LabelsImportResult extends ImportReport {
  file: string;
}

/** The open store (app.store): its path, and whether it is the generated sample night's. */
export interface StoreInfo {
  path: string;
  isSample: boolean;
}

/**
 * What `labels.weak` derived from Fink's catalogue columns (cdsxmatch, tnsclass, finkclass), and stored unless it was a
 * dry run. Per-column records are keyed by column name.
 */
export interface WeakLabelsResult {
  alerts: number;
  /** Left out as known asteroids (roid = 3). */
  excludedRoid: number;
  /** Per column: verdict (a label, 'none', 'ambiguous', 'unseen') -> alerts. */
  verdictCounts: Record<string, Record<string, number>>;
  /** Alerts with a combined label, per label, and per column it came from. */
  combined: number;
  combinedPerLabel: Record<string, number>;
  combinedFrom: Record<string, number>;
  /** Alerts whose columns disagree on galactic vs extragalactic (precedence decides). */
  conflicts: { candid: string; objectId: string; labels: Record<string, string>; kept: string }[];
  /** Per column: values not in the mapping table, with their alert counts. */
  unseen: Record<string, [string, number][]>;
  /** Weak label events written and unchanged per column; null for a dry run. */
  stored: { written: Record<string, number>; unchanged: Record<string, number> } | null;
  /** What was found about other surveys' alerts (e.g. LSST alerts without Fink's crossmatch columns). */
  notes: string[];
}

/** What `model.train` trains on (returned at once; the metrics come with its job). */
export interface TrainSummary {
  task: Task;
  featureSet: FeatureSetName;
  engine: string;
  cvGroup: GroupUnit;
  /** Features per alert. */
  features: number;
  /** Counted labels trained on (held-out ones excluded), of which `positives` are of class 1. */
  counted: number;
  positives: number;
  /** Stored labels the task does not count. */
  notCounted: number;
  /** Counted labels held out (never trained on). */
  heldOut: number;
  /** The task's class names: [class 0, class 1]. */
  classNames: [string, string];
}

/** Tracked runs side by side: params and latest metrics, values in the order of `runs` (null = not logged). */
export interface RunComparison {
  runs: { runId: string; name: string; experiment: string; status: string }[];
  params: { key: string; values: (string | null)[]; differs: boolean }[];
  metrics: { key: string; values: (number | null)[] }[];
}

/** An experiment of the run tracker and how many runs it holds. */
export interface ExperimentSummary {
  id: number;
  name: string;
  runs: number;
}
