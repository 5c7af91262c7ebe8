/**
 * Cards fetched and made ready to paint (cutouts decoded, light curve columns built) ahead of time, so a key
 * press only has to swap prepared data in.
 */
import type { AlertCard } from '@core/api/types.js';
import { call } from '../api/client.js';
import type { CutoutSet } from '../components/Cutouts.js';
import { decodeCutout } from './fits.js';
import { lightCurveSeries, type LcSeries } from './lightcurve.js';

export interface PreparedCard {
  card: AlertCard;
  cutouts: CutoutSet;
  lc: LcSeries;
}

export function prepareCard(card: AlertCard): PreparedCard {
  return {
    card,
    cutouts: {
      science: decodeCutout(card.cutouts.science),
      template: decodeCutout(card.cutouts.template),
      difference: decodeCutout(card.cutouts.difference),
    },
    lc: lightCurveSeries(card.lightcurve, card),
  };
}

export class CardCache {
  private readonly map = new Map<string, Promise<PreparedCard>>();
  constructor(private readonly limit = 64) {}

  get(candid: string): Promise<PreparedCard> {
    let p = this.map.get(candid);
    if (!p) {
      p = call('alerts.card', { candid }).then(prepareCard);
      p.catch(() => this.map.delete(candid)); // a failed fetch is retried next time
      this.map.set(candid, p);
      if (this.map.size > this.limit) this.map.delete(this.map.keys().next().value as string);
    }
    return p;
  }

  prefetch(candids: (string | undefined)[]): void {
    for (const c of candids) if (c) void this.get(c).catch(() => undefined);
  }

  forget(candid: string): void {
    this.map.delete(candid);
  }
}
