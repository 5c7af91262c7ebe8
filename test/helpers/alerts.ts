import type { Alert, LightCurvePoint } from '../../core/alerts/alert.js';

/** A hand-made alert for unit tests; override what the test is about. */
export function makeAlert(over: Partial<Alert> = {}): Alert {
  const history: LightCurvePoint[] = [
    { jd: 2459000.5, fid: 1, magpsf: 19.5, sigmapsf: 0.1, diffmaglim: 20.5, isdiffpos: 't' },
    { jd: 2459001.5, fid: 2, magpsf: null, sigmapsf: null, diffmaglim: 20.1, isdiffpos: null },
  ];
  return {
    candid: '1234567890123456789',
    objectId: 'ZTF20aaaaaaa',
    jd: 2459002.75,
    fid: 2,
    ra: 150.1,
    dec: 2.2,
    magpsf: 19.0,
    sigmapsf: 0.08,
    diffmaglim: 20.6,
    isdiffpos: 't',
    drb: 0.99,
    rb: 0.8,
    nbad: 0,
    ndethist: 3,
    sgscore1: 0.1,
    distpsnr1: 1.2,
    ssdistnr: -999,
    ssnamenr: null,
    distnr: 0.8,
    magnr: 18.5,
    neargaia: -999,
    maggaia: -999,
    history,
    cdsxmatch: 'Unknown',
    roid: 0,
    finkclass: null,
    tnsclass: null,
    scores: { rf_snia_vs_nonia: 0.3 },
    lcFeaturesG: null,
    lcFeaturesR: null,
    sherlockSepArcsec: null,
    sherlockClass: null,
    cutouts: { science: new Uint8Array([1, 2, 3]), template: null, difference: new Uint8Array([4]) },
    ...over,
  };
}
