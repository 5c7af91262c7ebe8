/** A store whose nights one feature tells apart (and whose class is the night's): the night-shortcut fixture. */
import { cid, type FakeAlert } from '../loop/fixture.js';

export const PER_NIGHT = 30;

/** Night j (2021-11-10 + j): dets_median in [10 j, 10 j + 1), class galactic on odd nights; other features constant. */
export function nightAlerts(nights: number): FakeAlert[] {
  return Array.from({ length: nights * PER_NIGHT }, (_, i) => {
    const j = Math.floor(i / PER_NIGHT);
    return {
      candid: cid(i),
      objectId: `ZTF21obj${i}`,
      night: `2021-11-${String(10 + j).padStart(2, '0')}`,
      ndets: 1,
      features: { ra: 0, dec: 0, drb: 0.9, dets_median: 10 * j + (i % PER_NIGHT) / PER_NIGHT },
    };
  });
}

/** The label of alert i: galactic on odd nights. */
export const nightLabel = (i: number): 'gal' | 'extragal' => (Math.floor(i / PER_NIGHT) % 2 === 1 ? 'gal' : 'extragal');
