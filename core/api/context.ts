import type { Db } from '../store/database.js';
import type { JobRegistry } from './jobs.js';

/** What every handler group gets: the open store, its path, the job registry and where app data lives. */
export interface ServiceContext {
  db: Db;
  dbPath: string;
  jobs: JobRegistry;
  /** App data folder (sample night, artifacts, dust maps): FINKVRA_HOME or ~/.finkvra. */
  homeDir: string;
  /** Folder for run artifacts (model JSON, CSVs). */
  artifactsDir: string;
}
