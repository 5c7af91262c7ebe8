/**
 * The simulated sky: what kinds of objects raise ZTF alerts, where they are, and how bright they are over time.
 * Class-dependent but overlapping (positions, host/star matches, light-curve shapes), so that a classifier has
 * something to learn without the task being trivial.
 */
import type { Rng } from './rng.js';
import { galacticToIcrs, icrsToGalactic } from '../features/coords.js';

/** Truth of a generated object. Labels follow core/labels.ts where they exist; 'sso' is a known asteroid. */
export type TruthLabel = 'varstar' | 'gal' | 'extragal' | 'agn' | 'bogus' | 'sso';

export const TRUTH_LABELS: readonly TruthLabel[] = ['varstar', 'gal', 'extragal', 'agn', 'bogus', 'sso'];

/** Galactic vs not, as the 'gal' task sees it (null: not used by the task). */
export function isGalactic(label: TruthLabel): boolean | null {
  if (label === 'varstar' || label === 'gal') return true;
  if (label === 'extragal' || label === 'agn') return false;
  return null;
}

/** Share of objects per class (alerts per object differ a little by class). */
export const CLASS_MIX: Record<TruthLabel, number> = {
  varstar: 0.3,
  gal: 0.09,
  extragal: 0.28,
  agn: 0.12,
  bogus: 0.14,
  sso: 0.07,
};

/** What sits at the position in the reference image / PS1 catalogue. */
export interface Counterpart {
  sgscore1: number;
  distpsnr1: number;
  /** PS1 r mag of the nearest source (-999 when none). */
  srmag1: number;
  /** Magnitude and distance of the nearest source in the ZTF reference image. */
  magnr: number;
  distnr: number;
  /** Host galaxy for cutouts (0 = none): total r mag, offset (arcsec), scale (arcsec). */
  hostMag: number;
  hostDx: number;
  hostDy: number;
  hostScale: number;
  /** Quiescent star at the position present in the template (mag in r; 99 = none). */
  starMag: number;
}

export interface SimObject {
  label: TruthLabel;
  subclass: string;
  ra: number;
  dec: number;
  /** Flux in the template at the position (ZP-25 flux units), per band [g, r]. */
  refFlux: [number, number];
  counterpart: Counterpart;
  /** Long-lived sources were detected before the 30-day window: extra detections and first-detection jd. */
  priorDetections: number;
  firstJd: number | null;
  cdsxmatch: string;
  /** Source magnitudes (not difference) at the given sorted epochs. Infinity = no flux. */
  magnitudes(epochs: readonly { jd: number; fid: number }[], rng: Rng): number[];
}

const DEG = Math.PI / 180;

export const flux = (mag: number): number => (Number.isFinite(mag) ? 10 ** (-0.4 * (mag - 25)) : 0);
export const mag = (f: number): number => 25 - 2.5 * Math.log10(f);

/** Right ascension of the anti-Sun direction on a date (low-precision solar position; ZTF observes at night). */
export function antiSunRa(jd: number): number {
  const d = jd - 2451545.0;
  const g = (357.529 + 0.98560028 * d) * DEG;
  const lambda = (280.459 + 0.98564736 * d + 1.915 * Math.sin(g) + 0.02 * Math.sin(2 * g)) * DEG;
  const eps = 23.439 * DEG;
  const ra = Math.atan2(Math.cos(eps) * Math.sin(lambda), Math.cos(lambda)) / DEG;
  return (ra + 180 + 360) % 360;
}

function raDiff(a: number, b: number): number {
  const d = Math.abs(a - b) % 360;
  return d > 180 ? 360 - d : d;
}

/** Draw a sky position for a class: Galactic classes crowd the plane, extragalactic ones avoid it. */
function position(label: TruthLabel, rng: Rng, nightRa: number): { ra: number; dec: number } {
  for (;;) {
    let ra: number, dec: number;
    if (label === 'sso') {
      // Near the ecliptic.
      const lam = rng.uniform(0, 360) * DEG;
      const beta = rng.gauss(0, 8) * DEG;
      const eps = 23.439 * DEG;
      const x = Math.cos(beta) * Math.cos(lam);
      const y = Math.cos(beta) * Math.sin(lam) * Math.cos(eps) - Math.sin(beta) * Math.sin(eps);
      const z = Math.cos(beta) * Math.sin(lam) * Math.sin(eps) + Math.sin(beta) * Math.cos(eps);
      ra = ((Math.atan2(y, x) / DEG) + 360) % 360;
      dec = Math.asin(z) / DEG;
    } else {
      const nearPlane = label === 'varstar' || label === 'gal' ? 0.72 : label === 'bogus' ? 0.45 : 0;
      if (rng.chance(nearPlane)) {
        const p = galacticToIcrs(rng.uniform(0, 360), rng.gauss(0, 9));
        ra = p.ra;
        dec = p.dec;
      } else {
        ra = rng.uniform(0, 360);
        dec = Math.asin(rng.uniform(-1, 1)) / DEG;
      }
      if (label === 'extragal' || label === 'agn') {
        const b = Math.abs(icrsToGalactic(ra, dec).b);
        if (b < 12 && rng.chance(0.85)) continue;
      }
    }
    if (dec < -31 || raDiff(ra, nightRa) > 105) continue;
    return { ra, dec };
  }
}

const clamp = (x: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, x));

function starCounterpart(rng: Rng, starMag: number): Counterpart {
  const faintNoMatch = starMag > 20.5 && rng.chance(0.4);
  const d = faintNoMatch ? rng.uniform(1.5, 12) : Math.abs(rng.gauss(0, 0.18)) + 0.02;
  return {
    sgscore1: faintNoMatch ? rng.next() : rng.chance(0.85) ? rng.uniform(0.85, 1) : rng.uniform(0.3, 0.85),
    distpsnr1: d,
    srmag1: faintNoMatch ? rng.uniform(19, 22) : starMag + rng.gauss(0, 0.05),
    magnr: faintNoMatch ? rng.uniform(19, 21.5) : starMag + rng.gauss(0, 0.03),
    distnr: faintNoMatch ? d + rng.uniform(0, 1) : d + Math.abs(rng.gauss(0, 0.05)),
    hostMag: 0,
    hostDx: 0,
    hostDy: 0,
    hostScale: 1,
    starMag,
  };
}

function hostCounterpart(rng: Rng, nuclear: boolean): Counterpart {
  const roll = rng.next();
  const d = nuclear ? Math.abs(rng.gauss(0, 0.2)) + 0.03 : roll < 0.8 ? rng.uniform(0.5, 3) : roll < 0.9 ? rng.uniform(0.05, 0.5) : rng.uniform(3, 10);
  const hostMag = rng.uniform(16.5, 21);
  const angle = rng.uniform(0, 2 * Math.PI);
  const sg = rng.next();
  return {
    sgscore1: sg < 0.72 ? rng.uniform(0, 0.3) : sg < 0.88 ? rng.uniform(0.3, 0.7) : rng.uniform(0.7, 1),
    distpsnr1: d,
    srmag1: hostMag + rng.gauss(0.3, 0.2),
    magnr: hostMag + rng.uniform(0.5, 1.5),
    distnr: d + Math.abs(rng.gauss(0, 0.1)),
    hostMag,
    hostDx: d * Math.cos(angle),
    hostDy: d * Math.sin(angle),
    hostScale: rng.uniform(1.5, 5),
    starMag: 99,
  };
}

function randomCounterpart(rng: Rng): Counterpart {
  const d = rng.uniform(1, 15);
  const m = rng.uniform(17, 22);
  return {
    sgscore1: rng.next(),
    distpsnr1: d,
    srmag1: m,
    magnr: m,
    distnr: d + rng.uniform(0, 2),
    hostMag: 0,
    hostDx: 0,
    hostDy: 0,
    hostScale: 1,
    starMag: 99,
  };
}

/** Ornstein-Uhlenbeck (damped random walk) sampled exactly at sorted epochs. */
function drw(epochs: readonly { jd: number }[], tau: number, sigma: number, rng: Rng): number[] {
  const out: number[] = [];
  let x = rng.gauss(0, sigma);
  let last = epochs[0]?.jd ?? 0;
  for (const e of epochs) {
    const a = Math.exp(-(e.jd - last) / tau);
    x = a * x + sigma * Math.sqrt(1 - a * a) * rng.normal();
    last = e.jd;
    out.push(x);
  }
  return out;
}

const band = (fid: number): 0 | 1 => (fid === 1 ? 0 : 1);

interface Draft {
  label: TruthLabel;
  subclass: string;
  cdsxmatch: string;
  counterpart: Counterpart;
  /** Reference magnitude per band (template level), Infinity = nothing. */
  refMag: [number, number];
  priorDetections: number;
  firstJd: number | null;
  magnitudes: SimObject['magnitudes'];
}

function varstar(rng: Rng, night: number): Draft {
  const sub = rng.weighted({ RRLyr: 0.25, EB: 0.3, LPV: 0.2, YSO: 0.25 });
  const m0 = sub === 'LPV' ? rng.uniform(13.5, 18.5) : rng.uniform(14.5, 20.3);
  const gr = sub === 'LPV' ? rng.uniform(1.2, 2.2) : sub === 'YSO' ? rng.uniform(0.7, 1.5) : sub === 'RRLyr' ? rng.uniform(0.1, 0.4) : rng.uniform(0.1, 1.0);
  const refMag: [number, number] = [m0 + gr, m0];
  const period = sub === 'RRLyr' ? rng.uniform(0.3, 0.9) : sub === 'EB' ? rng.uniform(0.25, 6) : rng.uniform(90, 450);
  const amp = sub === 'RRLyr' ? rng.uniform(0.3, 1.1) : sub === 'EB' ? rng.uniform(0.15, 1.0) : sub === 'LPV' ? rng.uniform(0.8, 3.5) : rng.uniform(0.2, 1.4);
  const phase0 = rng.next();
  const tau = rng.uniform(2, 30);
  const cds =
    rng.chance(0.5)
      ? 'Unknown'
      : rng.pick(
          {
            RRLyr: ['RRLyrae', 'RRLyr', 'PulsV*', 'V*'],
            EB: ['EclBin', 'EB*', 'EB*_Candidate', 'Star'],
            LPV: ['LongPeriodV*', 'Mira', 'LPV*', 'AGB*_Candidate'],
            YSO: ['YSO_Candidate', 'OrionV*', 'TTauri*', 'YSO'],
          }[sub],
        );
  return {
    label: 'varstar',
    subclass: sub,
    cdsxmatch: cds,
    counterpart: starCounterpart(rng, m0),
    refMag,
    priorDetections: rng.int(15, 600),
    firstJd: night - rng.uniform(200, 2500),
    magnitudes: (epochs, r) => {
      const walk = sub === 'YSO' ? drw(epochs, tau, amp / 2, r) : [];
      return epochs.map((e, i) => {
        const ph = ((e.jd / period + phase0) % 1 + 1) % 1;
        const bandAmp = e.fid === 1 ? 1.25 : 1;
        let dm: number;
        if (sub === 'RRLyr') dm = ph < 0.15 ? amp * (0.5 - ph / 0.15) : amp * (-0.5 + (ph - 0.15) / 0.85);
        else if (sub === 'EB') dm = Math.abs(ph - 0.5) < 0.06 ? amp * Math.cos(((ph - 0.5) / 0.06) * (Math.PI / 2)) : ph < 0.06 || ph > 0.94 ? amp * 0.4 : 0;
        else if (sub === 'LPV') dm = (amp / 2) * Math.sin(2 * Math.PI * ph);
        else dm = walk[i]!;
        return refMag[band(e.fid)] + dm * bandAmp;
      });
    },
  };
}

function cv(rng: Rng, night: number): Draft {
  const nova = rng.chance(0.12);
  const q = nova ? rng.uniform(21.5, 24) : rng.uniform(18.8, 21.8);
  const gr = rng.uniform(-0.1, 0.3);
  const refMag: [number, number] = [q + gr, q];
  const outbursts: { t: number; amp: number; rise: number; decay: number }[] = [];
  if (nova) outbursts.push({ t: night - rng.uniform(-1, 25), amp: rng.uniform(6, 9), rise: 1.5, decay: rng.uniform(10, 40) });
  else {
    let t = night - 40 - rng.uniform(0, 30);
    while (t < night + 5) {
      outbursts.push({ t, amp: rng.uniform(2, 5), rise: rng.uniform(0.5, 1.5), decay: rng.uniform(2, 8) });
      t += rng.uniform(12, 60);
    }
    // Make the object alert-worthy tonight more often than not.
    if (rng.chance(0.6)) outbursts.push({ t: night - rng.uniform(0, 6), amp: rng.uniform(2.5, 5), rise: 1, decay: rng.uniform(3, 8) });
  }
  return {
    label: 'gal',
    subclass: nova ? 'Nova' : 'CV',
    cdsxmatch: nova ? (rng.chance(0.7) ? 'Unknown' : 'Nova') : rng.chance(0.45) ? 'Unknown' : rng.pick(['CataclyV*', 'CataclyV*_Candidate', 'DwarfNova', 'Star']),
    counterpart: starCounterpart(rng, q),
    refMag,
    priorDetections: nova ? 0 : rng.int(5, 150),
    firstJd: nova ? null : night - rng.uniform(100, 2000),
    magnitudes: (epochs) =>
      epochs.map((e) => {
        let f = flux(refMag[band(e.fid)]);
        for (const o of outbursts) {
          const dt = e.jd - o.t;
          const shape = dt < 0 ? Math.exp(dt / o.rise) : Math.exp(-dt / o.decay);
          f += flux(q - o.amp + (e.fid === 1 ? -0.1 : 0)) * shape;
        }
        return mag(f);
      }),
  };
}

function supernova(rng: Rng, night: number): Draft {
  const sub = rng.weighted({ SNIa: 0.55, SNII: 0.35, SNIbc: 0.1 });
  const peak = sub === 'SNIa' ? rng.uniform(17.6, 20.3) : rng.uniform(17.8, 20.5);
  const tPeak = night + rng.uniform(-30, 14);
  const rise = sub === 'SNII' ? rng.uniform(5, 10) : rng.uniform(12, 19);
  const decline = sub === 'SNIa' ? rng.uniform(0.04, 0.07) : sub === 'SNII' ? rng.uniform(0.008, 0.025) : rng.uniform(0.05, 0.09);
  const nuclear = rng.chance(0.08);
  const cds = rng.chance(0.7) ? 'Unknown' : rng.chance(0.85) ? 'Galaxy' : rng.pick(['Supernova', 'Supernova_Candidate']);
  return {
    label: 'extragal',
    subclass: sub,
    cdsxmatch: cds,
    counterpart: hostCounterpart(rng, nuclear),
    refMag: [Infinity, Infinity],
    priorDetections: 0,
    firstJd: null,
    magnitudes: (epochs) =>
      epochs.map((e) => {
        const dt = e.jd - tPeak;
        const t0 = -rise * 1.6;
        if (dt < t0) return Infinity;
        // Colour: blue near peak, redder later; g declines faster.
        const color = e.fid === 1 ? -0.05 + 0.02 * Math.max(0, dt) : 0;
        const m = dt < 0 ? peak + 2.5 * ((dt / t0) ** 2) * 1.6 : peak + decline * dt * (e.fid === 1 ? 1.4 : 1);
        return m + color;
      }),
  };
}

function agn(rng: Rng, night: number): Draft {
  const mean = rng.uniform(17.5, 20.4);
  const gr = rng.uniform(0.0, 0.6);
  const refMag: [number, number] = [mean + gr, mean];
  const tau = rng.uniform(50, 400);
  const sigma = rng.uniform(0.15, 0.55);
  const quasar = rng.chance(0.5);
  const cp = hostCounterpart(rng, true);
  if (quasar) {
    cp.sgscore1 = rng.uniform(0.5, 1);
    cp.starMag = mean;
    cp.hostMag = 0;
  } else cp.starMag = mean + 0.5;
  cp.magnr = mean + rng.gauss(0.2, 0.1);
  cp.srmag1 = mean;
  return {
    label: 'agn',
    subclass: quasar ? 'QSO' : 'Seyfert',
    cdsxmatch: rng.chance(0.45) ? 'Unknown' : rng.pick(quasar ? ['QSO', 'QSO_Candidate', 'BLLac', 'Blazar'] : ['AGN', 'Seyfert1', 'Seyfert_1', 'Galaxy', 'LINER']),
    counterpart: cp,
    refMag,
    priorDetections: rng.int(5, 300),
    firstJd: night - rng.uniform(150, 2500),
    magnitudes: (epochs, r) => {
      const w = drw(epochs, tau, sigma, r);
      // A brightening episode raises the chance of an alert tonight.
      const offset = -r.uniform(0, sigma);
      return epochs.map((e, i) => refMag[band(e.fid)] + (w[i]! + offset) * (e.fid === 1 ? 1.3 : 1));
    },
  };
}

function bogus(rng: Rng, night: number): Draft {
  const nearStar = rng.chance(0.5);
  const cp = nearStar ? { ...randomCounterpart(rng), sgscore1: rng.uniform(0.7, 1), distpsnr1: rng.uniform(1, 8), srmag1: rng.uniform(11.5, 16), magnr: rng.uniform(11.5, 16) } : randomCounterpart(rng);
  cp.distnr = cp.distpsnr1 + rng.uniform(0, 0.5);
  const pDet = rng.uniform(0.05, 0.5);
  return {
    label: 'bogus',
    subclass: rng.pick(['dipole', 'cosmic', 'streak', 'ghost']),
    cdsxmatch: nearStar && rng.chance(0.4) ? rng.pick(['Star', 'HighPM*', 'V*']) : 'Unknown',
    counterpart: cp,
    refMag: [Infinity, Infinity],
    priorDetections: nearStar ? rng.int(0, 40) : 0,
    firstJd: nearStar ? night - rng.uniform(30, 1500) : null,
    // Bogus flux is not physical: brightness is set per detection by the generator; NaN marks "maybe detected".
    magnitudes: (epochs, r) => epochs.map((e) => (r.chance(pDet) || e.jd >= night ? NaN : Infinity)),
  };
}

function asteroid(rng: Rng): Draft {
  return {
    label: 'sso',
    subclass: 'SSO',
    cdsxmatch: 'Unknown',
    counterpart: randomCounterpart(rng),
    refMag: [Infinity, Infinity],
    priorDetections: 0,
    firstJd: null,
    magnitudes: () => [],
  };
}

/** Draw one object of a class, at night `nightJd` (jd of the night's 0h UT). */
export function drawObject(label: TruthLabel, rng: Rng, nightJd: number): SimObject {
  const d =
    label === 'varstar'
      ? varstar(rng, nightJd)
      : label === 'gal'
        ? cv(rng, nightJd)
        : label === 'extragal'
          ? supernova(rng, nightJd)
          : label === 'agn'
            ? agn(rng, nightJd)
            : label === 'bogus'
              ? bogus(rng, nightJd)
              : asteroid(rng);
  const { ra, dec } = position(label, rng, antiSunRa(nightJd));
  return {
    label: d.label,
    subclass: d.subclass,
    ra,
    dec,
    refFlux: [flux(d.refMag[0]), flux(d.refMag[1])],
    counterpart: { ...d.counterpart, sgscore1: clamp(d.counterpart.sgscore1, 0, 1) },
    priorDetections: d.priorDetections,
    firstJd: d.firstJd,
    cdsxmatch: d.cdsxmatch,
    magnitudes: d.magnitudes,
  };
}
