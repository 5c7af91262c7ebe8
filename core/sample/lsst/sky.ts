/**
 * The simulated Rubin sky: which objects raise LSST alerts, where they are and how their difference flux (nJy,
 * source minus template, either sign) evolves. Labels follow core/labels.ts ('sso' is a known asteroid, as in the
 * ZTF generator). The models are simple on purpose: the point is alerts whose numbers have the right shape and
 * signs, with classes that differ the way real ones do (host vs point source, rising vs periodic, one-off artefacts).
 */
import { galacticToIcrs, icrsToGalactic } from '../../features/coords.js';
import type { TruthLabel } from '../populations.js';
import type { Rng } from '../rng.js';

/** Share of objects per class. */
export const LSST_CLASS_MIX: Record<TruthLabel, number> = {
  varstar: 0.26,
  gal: 0.08,
  extragal: 0.28,
  agn: 0.12,
  bogus: 0.18,
  sso: 0.08,
};

export const BOGUS_KINDS = ['dipole', 'streak', 'lowrel', 'negative'] as const;
export type BogusKind = (typeof BOGUS_KINDS)[number];

export interface Epoch {
  mjd: number;
  /** Index into ugrizy. */
  band: number;
}

export interface LsstSimObject {
  label: TruthLabel;
  subclass: string;
  ra: number;
  dec: number;
  /** Flux at the position in the template (a quiescent star or host), nJy per band. */
  templateFlux: number[];
  extendedness: number;
  /** True difference flux (nJy) at each epoch (bogus and asteroids: 0, the generator sets theirs from the noise). */
  fluxes(epochs: readonly Epoch[]): number[];
}

const DEG = Math.PI / 180;
export const njy = (mag: number): number => 10 ** ((31.4 - mag) / 2.5);

/** Rubin's sky: south of +10° declination. Galactic classes crowd the plane, extragalactic ones avoid it. */
function position(label: TruthLabel, rng: Rng): { ra: number; dec: number } {
  for (;;) {
    const plane = label === 'varstar' || label === 'gal' ? 0.55 : label === 'bogus' ? 0.4 : 0;
    const p = rng.chance(plane)
      ? galacticToIcrs(rng.uniform(0, 360), rng.gauss(0, 8))
      : { ra: rng.uniform(0, 360), dec: Math.asin(rng.uniform(-1, 1)) / DEG };
    if (p.dec > 10) continue;
    if ((label === 'extragal' || label === 'agn') && Math.abs(icrsToGalactic(p.ra, p.dec).b) < 15 && rng.chance(0.9)) continue;
    return p;
  }
}

/** Near the ecliptic, as asteroids are. */
function eclipticPosition(rng: Rng): { ra: number; dec: number } {
  const lam = rng.uniform(0, 360) * DEG;
  const beta = rng.gauss(0, 6) * DEG;
  const eps = 23.439 * DEG;
  const x = Math.cos(beta) * Math.cos(lam);
  const y = Math.cos(beta) * Math.sin(lam) * Math.cos(eps) - Math.sin(beta) * Math.sin(eps);
  const z = Math.cos(beta) * Math.sin(lam) * Math.sin(eps) + Math.sin(beta) * Math.cos(eps);
  return { ra: (Math.atan2(y, x) / DEG + 360) % 360, dec: Math.asin(z) / DEG };
}

/** A supernova: Bazin rise and fall, bluer early; peak between 25 days ago and a week ahead. */
function supernova(rng: Rng, tonight: number): Pick<LsstSimObject, 'subclass' | 'fluxes'> {
  const ia = rng.chance(0.6);
  const peak = njy(rng.uniform(20.5, 24));
  const t0 = tonight + rng.uniform(-25, 7);
  const rise = rng.uniform(2, 6);
  const fall = ia ? rng.uniform(15, 30) : rng.uniform(30, 80);
  const colour = ia ? [0.45, 0.9, 1, 0.85, 0.75, 0.65] : [0.3, 0.75, 1, 1, 0.95, 0.9];
  return {
    subclass: ia ? 'SN Ia' : 'SN II',
    fluxes: (eps) =>
      eps.map((e) => {
        const t = e.mjd - t0;
        return (peak * colour[e.band]! * Math.exp(-t / fall)) / (1 + Math.exp(-t / rise));
      }),
  };
}

/** A periodic star: RR Lyrae, eclipsing binary or long-period variable, around its template flux. */
function periodic(rng: Rng, base: number[]): Pick<LsstSimObject, 'subclass' | 'fluxes'> {
  const kind = rng.pick(['RR Lyr', 'EB', 'LPV'] as const);
  const period = kind === 'RR Lyr' ? rng.uniform(0.3, 0.9) : kind === 'EB' ? rng.uniform(0.5, 6) : rng.uniform(90, 400);
  const amp = kind === 'LPV' ? rng.uniform(1, 3) : kind === 'EB' ? rng.uniform(0.2, 0.8) : rng.uniform(0.3, 1);
  const phase = rng.next();
  const dm = (t: number): number => {
    const x = (t / period + phase) % 1;
    if (kind === 'EB') return x < 0.1 ? amp * Math.sin((x / 0.1) * Math.PI) : 0;
    return kind === 'RR Lyr' ? -amp * (x < 0.15 ? x / 0.15 : (1 - x) / 0.85) + amp / 2 : (-amp / 2) * Math.sin(2 * Math.PI * x);
  };
  return { subclass: kind, fluxes: (eps) => eps.map((e) => base[e.band]! * (10 ** (-0.4 * dm(e.mjd)) - 1)) };
}

/** A cataclysmic variable: quiet, then an outburst of 2–5 mag that fades over days. */
function outburst(rng: Rng, base: number[], tonight: number): Pick<LsstSimObject, 'subclass' | 'fluxes'> {
  const start = tonight - rng.uniform(0, 12);
  const amp = rng.uniform(2, 5);
  const decay = rng.uniform(2, 8);
  return {
    subclass: 'CV',
    fluxes: (eps) =>
      eps.map((e) => {
        const t = e.mjd - start;
        return t < 0 ? 0 : base[e.band]! * (10 ** (0.4 * amp * Math.exp(-t / decay)) - 1);
      }),
  };
}

/** An AGN: a few incommensurate sinusoids stand in for a damped random walk; bluer bands vary more. */
function agn(rng: Rng, base: number[]): Pick<LsstSimObject, 'subclass' | 'fluxes'> {
  const terms = [0, 1, 2].map(() => ({ a: rng.uniform(0.05, 0.2), p: rng.uniform(8, 300), ph: rng.uniform(0, 2 * Math.PI) }));
  return {
    subclass: rng.chance(0.6) ? 'QSO' : 'Seyfert',
    fluxes: (eps) =>
      eps.map((e) => base[e.band]! * (1.3 - 0.1 * e.band) * terms.reduce((s, k) => s + k.a * Math.sin((2 * Math.PI * e.mjd) / k.p + k.ph), 0)),
  };
}

const flat = (mag: number, colour: readonly number[]): number[] => colour.map((c) => njy(mag + c));
const STAR_COLOUR = [1.2, 0.4, 0, -0.15, -0.25, -0.3];
const GALAXY_COLOUR = [1.5, 0.6, 0, -0.3, -0.5, -0.6];
const QSO_COLOUR = [0.2, 0.1, 0, -0.1, -0.1, -0.2];
const none = (eps: readonly Epoch[]): number[] => eps.map(() => 0);
/** Extendedness overlaps on purpose: compact or hostless galaxies look point-like, blended stars look extended. */
const pointLike = (rng: Rng, pExtended: number): number => (rng.chance(pExtended) ? rng.uniform(0.3, 0.9) : rng.uniform(0, 0.2));
const galaxyLike = (rng: Rng, pCompact: number): number => (rng.chance(pCompact) ? rng.uniform(0, 0.3) : rng.uniform(0.4, 1));

export function drawLsstObject(label: TruthLabel, rng: Rng, tonight: number): LsstSimObject {
  const pos = label === 'sso' ? eclipticPosition(rng) : position(label, rng);
  switch (label) {
    case 'extragal':
      return { label, ...pos, templateFlux: flat(rng.uniform(19.5, 23.5), GALAXY_COLOUR), extendedness: galaxyLike(rng, 0.35), ...supernova(rng, tonight) };
    case 'varstar': {
      const base = flat(rng.uniform(16, 22.5), STAR_COLOUR);
      return { label, ...pos, templateFlux: base, extendedness: pointLike(rng, 0.15), ...periodic(rng, base) };
    }
    case 'gal': {
      const base = flat(rng.uniform(21, 24.5), QSO_COLOUR);
      return { label, ...pos, templateFlux: base, extendedness: pointLike(rng, 0.15), ...outburst(rng, base, tonight) };
    }
    case 'agn': {
      const base = flat(rng.uniform(19, 22), QSO_COLOUR);
      return { label, ...pos, templateFlux: base, extendedness: galaxyLike(rng, 0.5), ...agn(rng, base) };
    }
    case 'bogus':
      return {
        label,
        ...pos,
        subclass: rng.pick(BOGUS_KINDS),
        templateFlux: flat(rng.chance(0.5) ? rng.uniform(15, 19) : rng.uniform(21, 25), STAR_COLOUR),
        extendedness: rng.uniform(0, 1),
        fluxes: none,
      };
    case 'sso':
      return { label, ...pos, subclass: 'asteroid', templateFlux: [0, 0, 0, 0, 0, 0], extendedness: rng.uniform(0, 0.1), fluxes: none };
  }
}
