/** The surveys a store can hold: one list, from which the contract, settings, CLI help and screens derive. */
import { LSST_SURVEY } from './lsst/survey.js';
import type { LinkSubject, Survey, SurveyId } from './survey.js';
import { ZTF_SURVEY } from './ztf/survey.js';

export const SURVEY_IDS = ['ztf', 'lsst'] as const;
export type { SurveyId } from './survey.js';

/** For people. */
export const SURVEY_LABELS = { ztf: 'ZTF', lsst: 'Rubin/LSST' } as const;

/** Each survey's side of the Survey interface (files are matched to one by core/surveys/file-survey.ts). */
export const SURVEYS: Record<SurveyId, Survey> = { ztf: ZTF_SURVEY, lsst: LSST_SURVEY };

/** Lasair's and Fink's pages of an alert's object, by its survey (null where that broker has none). */
export function surveyLinks(survey: SurveyId, subject: LinkSubject): { lasair: string | null; fink: string | null } {
  const { links } = SURVEYS[survey];
  return { lasair: links.lasair(subject), fink: links.fink(subject) };
}
