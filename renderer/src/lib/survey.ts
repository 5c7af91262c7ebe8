/** The survey as the card names it, and why a broker link is missing. */
import type { AlertCard } from '@core/api/types.js';
import { SURVEY_LABELS } from '@core/surveys/registry.js';
import type { SurveyId } from '@core/surveys/survey.js';

/** The survey registry's names (one list for the card, the header and the screens). */
export const SURVEY_NAME: Record<SurveyId, string> = SURVEY_LABELS;

const BROKER = { lasair: 'Lasair', fink: 'Fink' } as const;

/** Why the card has no page at that broker, in words for the feedback line and the pane (null when it has one). */
export function missingLinkText(card: Pick<AlertCard, 'links' | 'lsst' | 'objectId'>, broker: keyof AlertCard['links']): string | null {
  if (card.links[broker]) return null;
  const l = card.lsst;
  const solarSystem = l !== null && !l.diaObjectId && (l.ssObjectId !== null || l.ssDesignation !== null);
  const why = solarSystem ? ': a solar-system source without a diaObject' : '';
  return `${BROKER[broker]} has no page for ${card.objectId}${why}`;
}

/**
 * The desktop app's pane shows the card's Lasair page itself when there is one, for either survey (its main process
 * maps the object id to Lasair-ZTF or Lasair-LSST); without one the pane is the card's links.
 */
export function embedsLasairPage(card: Pick<AlertCard, 'links'>): boolean {
  return card.links.lasair !== null;
}
