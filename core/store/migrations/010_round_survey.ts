import type { Migration } from '../migration.js';

/**
 * A round belongs to one survey and one feature set: recorded with it, rather than told from its proposals (a round
 * whose pool was empty has none). Rounds made before are given the survey of their proposals' alerts (ZTF when they
 * have none, as every round was before several surveys) and the feature set their run logged, when it did.
 */
export const migration: Migration = {
  version: 10,
  name: 'round_survey',
  up: `
    ALTER TABLE rounds ADD COLUMN survey TEXT NOT NULL DEFAULT 'ztf';
    ALTER TABLE rounds ADD COLUMN feature_set TEXT;
    UPDATE rounds SET
      survey = COALESCE(
        (SELECT a.survey FROM proposals p JOIN alerts a ON a.candid = p.candid WHERE p.round_id = rounds.id LIMIT 1),
        'ztf'),
      feature_set = (SELECT value FROM params WHERE params.run_id = rounds.run_id AND params.key = 'feature_set');
    CREATE INDEX rounds_task_survey ON rounds(task, survey, round);
  `,
};
