import { describe, expect, it } from 'vitest';
import { alertAt, columnsFromAlerts, lcFeatureIndex, lcFeaturesInto, scoresAt } from '../../core/alerts/columns.js';
import { HistoryBuilder } from '../../core/alerts/history.js';
import { makeAlert } from '../helpers/alerts.js';

describe('alert columns', () => {
  const a = makeAlert({
    candid: '9223372036854775001',
    lcFeaturesG: { amplitude: 0.5, median: 18.2, kurtosis: null },
    scores: { rf_snia_vs_nonia: 0.3, t2_SNIa: 0.7 },
    ssnamenr: '12345',
  });
  const b = makeAlert({ candid: '9223372036854775002', drb: null, isdiffpos: 'f', lcFeaturesR: { amplitude: 1.25 }, scores: {} });

  it('round-trip alerts exactly (history from the columns, cutouts copied out)', () => {
    const c = columnsFromAlerts([a, b]);
    expect(c.n).toBe(2);
    expect(c.drb[1]).toBeNaN();
    expect(c.isdiffpos[1]).toBe(-1);
    const h = new HistoryBuilder(2);
    for (const x of [a, b]) {
      for (const p of x.history) h.push(p.jd, p.fid, p.magpsf ?? NaN, p.sigmapsf ?? NaN, p.diffmaglim ?? NaN, p.isdiffpos === 't' ? 1 : p.isdiffpos === 'f' ? -1 : 0);
      h.endRow();
    }
    const back = [alertAt(c, h.finish(), 0), alertAt(c, h.finish(), 1)];
    expect(back[0]).toEqual(a);
    expect(back[1]).toEqual(b);
    // A kept alert owns its stamps: not a view into the batch.
    expect(back[0].cutouts!.science).not.toBe(c.cutouts!.science[0]);
  });

  it('reads light-curve features by name, NaN where a file lacks one, and says when a row has none', () => {
    const c = columnsFromAlerts([a, b]);
    const idx = lcFeatureIndex(c.lcFeaturesG, ['median', 'amplitude', 'not_there']);
    const out = new Float64Array(3);
    expect(lcFeaturesInto(c.lcFeaturesG, 0, idx, out, 0)).toBe(true);
    expect([...out]).toEqual([18.2, 0.5, NaN]);
    expect(lcFeaturesInto(c.lcFeaturesG, 1, idx, out, 0)).toBe(false);
    expect([...out]).toEqual([NaN, NaN, NaN]);
  });

  it('keeps score keys and their order per row', () => {
    const c = columnsFromAlerts([a, b]);
    expect(JSON.stringify(scoresAt(c.scores, 0))).toBe('{"rf_snia_vs_nonia":0.3,"t2_SNIa":0.7}');
    expect(scoresAt(c.scores, 1)).toEqual({});
  });
});
