/** The surveys a store can hold: one list, from which the contract, settings, CLI help and screens derive. */
export const SURVEY_IDS = ['ztf', 'lsst'] as const;
export type { SurveyId } from './survey.js';

/** For people. */
export const SURVEY_LABELS = { ztf: 'ZTF', lsst: 'Rubin/LSST' } as const;
