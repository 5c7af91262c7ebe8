import type { Migration } from '../migration.js';
import { migration as m001 } from './001_initial.js';
import { migration as m002 } from './002_rounds.js';
import { migration as m003 } from './003_tracking.js';
import { migration as m004 } from './004_round_batch_size.js';
import { migration as m005 } from './005_holdout.js';
import { migration as m006 } from './006_lc_float32.js';
import { migration as m007 } from './007_context_fields.js';
import { migration as m008 } from './008_label_undo_index.js';
import { migration as m009 } from './009_surveys.js';
import { migration as m010 } from './010_round_survey.js';

/** All migrations in order. Add a new file per schema change and list it here. */
export const MIGRATIONS: readonly Migration[] = [m001, m002, m003, m004, m005, m006, m007, m008, m009, m010];
