/**
 * The seeded LSST night: objects → 30 days of Rubin-like visits (ugrizy, 5σ depths of a 30 s exposure) → each of
 * tonight's detections becomes an alert laid out as Fink's LSST 10.0 parquet (schema.ts), with its previous sources,
 * forced photometry, diaObject summary, and (for known asteroids) ssSource and mpc_orbits.
 * Deterministic: the same options give the same rows in the same order (every draw goes through Rng).
 */
import { icrsToGalactic } from '../../features/coords.js';
import { isGalactic, TRUTH_LABELS, type TruthLabel } from '../populations.js';
import { Rng } from '../rng.js';
import type { CellValue } from '../columns.js';
import { renderStamps } from './cutouts.js';
import { dateMjd, designation, MIN_ID_MJD, sourceId, ssObjectId, visitId } from './ids.js';
import { LSST_SAMPLE_BANDS, LSST_SCHEMA_VERSION } from './schema.js';
import { drawLsstObject, LSST_CLASS_MIX, njy, type BogusKind, type LsstSimObject } from './sky.js';

export interface LsstNightOptions {
  seed: number;
  alerts: number;
  /** Rubin's dayObs of the night, 'YYYY-MM-DD' (the date at UTC−12h when the night began). */
  night: string;
  /** Alerts per row group (default 10,000). */
  rowGroup?: number;
  /** Write the three stamps (default true); without, the cutout columns are null. */
  withCutouts?: boolean;
}

/** Truth of one generated alert; `candid` is the diaSourceId, `objectId` what the store names the object. */
export interface LsstAlertTruth {
  candid: string;
  objectId: string;
  label: TruthLabel;
  subclass: string;
  galactic: boolean | null;
}

export type Rec = Record<string, CellValue>;

export interface LsstAlertRow {
  row: Rec;
  truth: LsstAlertTruth;
}

const WINDOW_DAYS = 30;
const BAND_WEIGHTS = { 0: 0.07, 1: 0.1, 2: 0.22, 3: 0.22, 4: 0.2, 5: 0.19 } as const;
/** Median 5σ depth of a 30 s LSSTCam visit per band (u g r i z y). */
const M5 = [23.7, 24.9, 24.4, 23.9, 23.3, 22.1];
const DEG = Math.PI / 180;
/** The first night whose 30-day window starts at MIN_ID_MJD. */
const EARLIEST_NIGHT = new Date((Math.ceil(MIN_ID_MJD + WINDOW_DAYS) - 40587) * 86_400_000).toISOString().slice(0, 10);

interface Visit {
  mjd: number;
  band: number;
  dayObs: number;
  sigma: number;
  fwhmPix: number;
  tonight: boolean;
  trueFlux: number;
  measured: number;
  det: Rec | null;
  forced: Rec | null;
}

export function lsstDefaults(o: LsstNightOptions): Required<LsstNightOptions> {
  if (!Number.isInteger(o.alerts) || o.alerts < 1) throw new Error(`alerts must be a positive integer, got ${o.alerts}`);
  if (!Number.isFinite(o.seed)) throw new Error(`seed must be a number, got ${o.seed}`);
  if (dateMjd(o.night) - WINDOW_DAYS < MIN_ID_MJD) throw new Error(`night must be ${EARLIEST_NIGHT} or later (LSST ids above 2^53), got '${o.night}'`);
  if (o.rowGroup !== undefined && (!Number.isInteger(o.rowGroup) || o.rowGroup < 1)) throw new Error(`rowGroup must be a positive integer, got ${o.rowGroup}`);
  return { rowGroup: 10_000, withCutouts: true, ...o };
}

/** Visits of the object's field: the 30 nights before tonight (some), and tonight (always). */
function schedule(rng: Rng, dayObs0: number, asteroid: boolean): Visit[] {
  const out: Visit[] = [];
  const pVisit = rng.uniform(0.2, 0.45);
  const depth = rng.gauss(0, 0.2);
  for (let d = asteroid ? 0 : -WINDOW_DAYS; d <= 0; d++) {
    const tonight = d === 0;
    if (!tonight && !rng.chance(pVisit)) continue;
    const bad = rng.chance(0.1) ? -rng.uniform(0.5, 1.5) : 0;
    // From 23:15 to 08:25 UT: the whole night stays on one dayObs.
    const start = dayObs0 + d + 1 + rng.uniform(-0.03, 0.35);
    const first = rng.weighted(BAND_WEIGHTS);
    const bands = !asteroid && rng.chance(0.6) ? [first, rng.chance(0.4) ? first : rng.weighted(BAND_WEIGHTS)] : [first];
    bands.forEach((key, k) => {
      const band = Number(key);
      const m5 = M5[band]! + depth + bad + rng.gauss(0, 0.15);
      out.push({
        mjd: start + k * rng.uniform(0.02, 0.03),
        band,
        dayObs: dayObs0 + d,
        sigma: njy(m5) / 5,
        fwhmPix: rng.uniform(3, 6.5),
        tonight,
        trueFlux: 0,
        measured: 0,
        det: null,
        forced: null,
      });
    });
  }
  return out;
}

/** Where Rubin pointed for this object: the deep fields name themselves, as in the real Fink file. */
const DDF = [
  ['ddf_cosmos', 'lowdust, ddf_cosmos'],
  ['ddf_edfs_a', 'lowdust, ddf_edfs_a'],
  ['ddf_ecdfs', 'lowdust, ddf_ecdfs'],
] as const;

function pointing(rng: Rng, obj: LsstSimObject): readonly [string, string] {
  if (rng.chance(0.1)) return rng.pick(DDF);
  return Math.abs(icrsToGalactic(obj.ra, obj.dec).b) < 15 ? ['wfd', 'galactic_plane'] : ['wfd', 'lowdust'];
}

function eclipticOf(ra: number, dec: number): { lambda: number; beta: number } {
  const eps = 23.439 * DEG;
  const a = ra * DEG;
  const d = dec * DEG;
  const beta = Math.asin(Math.sin(d) * Math.cos(eps) - Math.cos(d) * Math.sin(eps) * Math.sin(a));
  const lambda = Math.atan2(Math.sin(a) * Math.cos(eps) + Math.tan(d) * Math.sin(eps), Math.cos(a));
  return { lambda: ((lambda / DEG) % 360 + 360) % 360, beta: beta / DEG };
}

const mean = (v: number[]): number => v.reduce((s, x) => s + x, 0) / v.length;
const orNull = (v: number[], f: (v: number[]) => number): number | null => (v.length > 0 ? f(v) : null);
const clamp01 = (x: number): number => Math.min(1, Math.max(0, x));

/** Per-band diaObject summaries over the detections and forced sources given. */
function bandSummary(band: string, dets: Rec[], forced: Rec[]): Rec {
  const inBand = dets.filter((r) => r.band === band);
  const f = inBand.map((r) => r.psfFlux as number);
  const e = inBand.map((r) => r.psfFluxErr as number);
  const sci = inBand.map((r) => r.scienceFlux as number);
  const fp = forced.filter((r) => r.band === band);
  const fpf = fp.map((r) => r.psfFlux as number);
  const n = f.length;
  const sigma = n > 1 ? Math.sqrt(f.reduce((s, x) => s + (x - mean(f)) ** 2, 0) / (n - 1)) : null;
  const rootSumSq = (v: number[]): number => Math.sqrt(v.reduce((s, x) => s + x * x, 0)) / v.length;
  return {
    [`${band}_fpFluxMean`]: orNull(fpf, mean),
    [`${band}_fpFluxMeanErr`]: orNull(fp.map((r) => r.psfFluxErr as number), rootSumSq),
    [`${band}_psfFluxErrMean`]: orNull(e, mean),
    [`${band}_psfFluxMax`]: orNull(f, (v) => Math.max(...v)),
    [`${band}_psfFluxMean`]: orNull(f, mean),
    [`${band}_psfFluxMeanErr`]: orNull(e, rootSumSq),
    [`${band}_psfFluxMin`]: orNull(f, (v) => Math.min(...v)),
    [`${band}_psfFluxNdata`]: n,
    [`${band}_psfFluxSigma`]: sigma,
    [`${band}_scienceFluxMean`]: orNull(sci, mean),
    [`${band}_scienceFluxMeanErr`]: orNull(e, rootSumSq),
  };
}

interface SolarSystem {
  id: bigint;
  ssSource: Rec;
  mpcOrbits: Rec;
}

export class LsstNightGenerator {
  private readonly rng: Rng;
  private readonly stampRng: Rng;
  private readonly dayObs0: number;
  private readonly usedIds = new Set<bigint>();

  constructor(private readonly opts: Required<LsstNightOptions>) {
    this.rng = new Rng(opts.seed);
    this.stampRng = new Rng(opts.seed ^ 0x4c535354);
    this.dayObs0 = dateMjd(opts.night);
  }

  /** One object's alerts tonight (≥ 1), in time order. */
  nextObjectAlerts(): LsstAlertRow[] {
    const label = this.rng.weighted(LSST_CLASS_MIX);
    for (let attempt = 0; ; attempt++) {
      const obj = drawLsstObject(label, this.rng, this.dayObs0 + 1.15);
      const out = this.observe(obj, attempt >= 30);
      if (out) return out;
    }
  }

  /** An id not yet used tonight: alerts' ids are keys. */
  private newId(mjd: number): bigint {
    let id: bigint;
    do id = sourceId(mjd, this.rng);
    while (this.usedIds.has(id));
    this.usedIds.add(id);
    return id;
  }

  /** True and measured difference flux at every visit; bogus artefacts and asteroids are set from the noise. */
  private measure(obj: LsstSimObject, visits: Visit[]): void {
    const rng = this.rng;
    const truth = obj.fluxes(visits);
    const kind = obj.subclass as BogusKind;
    visits.forEach((v, i) => {
      if (obj.label === 'sso') v.trueFlux = v.sigma * rng.uniform(6, 40);
      else if (obj.label === 'bogus') {
        const fires = v.tonight ? i === visits.findIndex((w) => w.tonight) : kind === 'dipole' && rng.chance(0.1);
        const sign = kind === 'negative' ? -1 : kind === 'dipole' && rng.chance(0.5) ? -1 : 1;
        v.trueFlux = fires ? sign * v.sigma * rng.uniform(5.5, 15) : 0;
      } else v.trueFlux = truth[i]!;
      const artefactOrRock = obj.label === 'sso' || (obj.label === 'bogus' && v.trueFlux !== 0);
      v.measured = artefactOrRock ? v.trueFlux : v.trueFlux + v.sigma * rng.normal();
    });
  }

  private observe(obj: LsstSimObject, force: boolean): LsstAlertRow[] | null {
    const rng = this.rng;
    const visits = schedule(rng, this.dayObs0, obj.label === 'sso');
    this.measure(obj, visits);
    const detected = visits.map((v) => Math.abs(v.measured) >= 5 * v.sigma);
    if (force && !visits.some((v, i) => v.tonight && detected[i])) {
      const last = visits[visits.length - 1]!;
      last.measured = 5.5 * last.sigma;
      detected[visits.length - 1] = true;
    }
    if (!visits.some((v, i) => v.tonight && detected[i])) return null;

    const asteroid = obj.label === 'sso';
    const place = { detector: rng.int(0, 188), x: rng.uniform(20, 4050), y: rng.uniform(20, 4050) };
    const firstDet = detected.indexOf(true);
    const sso = asteroid ? this.solarSystem(obj, visits[firstDet]!) : null;
    // Fink's LSST notes: a source within 1″ of both a known asteroid and a static object carries diaObject, ssSource
    // and mpc_orbits. A few static objects get such a neighbour (tonight only; their ids stay the static ones).
    const tonightFirst = visits.find((v, i) => v.tonight && detected[i])!;
    const neighbour = !asteroid && obj.label !== 'bogus' && rng.chance(0.03) ? this.solarSystem(obj, tonightFirst) : null;
    let objectId = 0n;
    visits.forEach((v, i) => {
      if (!detected[i]) return;
      const id = this.newId(v.mjd);
      if (objectId === 0n && !asteroid) objectId = id;
      v.det = this.source(obj, v, id, objectId, sso?.id ?? 0n, place);
    });
    if (!asteroid) visits.forEach((v, i) => i >= firstDet && (v.forced = this.forcedSource(obj, v, objectId, place.detector)));
    const [reason, target] = pointing(rng, obj);
    const out: LsstAlertRow[] = [];
    visits.forEach((v, i) => {
      if (!v.tonight || !v.det) return;
      const row = this.alertRow(obj, visits, i, objectId, sso, neighbour);
      Object.assign(row, { observation_reason: reason, target_name: target });
      const storeObject = asteroid ? `ss:${sso!.id}` : String(objectId);
      out.push({ row, truth: { candid: String(v.det.diaSourceId), objectId: storeObject, label: obj.label, subclass: obj.subclass, galactic: isGalactic(obj.label) } });
    });
    return out;
  }

  private reliability(obj: LsstSimObject): number {
    const rng = this.rng;
    if (obj.label !== 'bogus') return rng.chance(0.85) ? 1 - 0.35 * rng.next() ** 2 : rng.uniform(0.3, 0.8);
    const hi = { lowrel: 0.2, dipole: 0.5, streak: 0.6, negative: 0.45 }[obj.subclass as BogusKind];
    return rng.uniform(0, hi);
  }

  /** A detection (diaSource): the alert's own source, or an entry of later alerts' prvDiaSources. */
  private source(obj: LsstSimObject, v: Visit, id: bigint, objectId: bigint, ssId: bigint, place: { detector: number; x: number; y: number }): Rec {
    const rng = this.rng;
    const snr = Math.abs(v.measured) / v.sigma;
    const posErr = 0.7 / snr / 3600;
    const streak = obj.subclass === 'streak';
    const template = obj.templateFlux[v.band]!;
    return {
      apFlux: v.measured * rng.uniform(0.92, 1.08),
      apFluxErr: v.sigma * 1.25,
      band: LSST_SAMPLE_BANDS[v.band]!,
      bboxSize: rng.int(14, 40),
      centroid_flag: false,
      dec: obj.dec + rng.gauss(0, posErr),
      decErr: posErr,
      detector: place.detector,
      diaObjectId: objectId,
      diaSourceId: id,
      extendedness: rng.chance(0.05) ? null : clamp01(obj.extendedness + rng.gauss(0, 0.05)),
      glint_trail: streak && rng.chance(0.3),
      isDipole: obj.subclass === 'dipole' || rng.chance(0.01),
      isNegative: v.measured < 0,
      midpointMjdTai: v.mjd,
      parentDiaSourceId: 0,
      pixelFlags: streak || obj.subclass === 'lowrel',
      pixelFlags_bad: false,
      pixelFlags_cr: obj.subclass === 'lowrel' && rng.chance(0.5),
      pixelFlags_saturated: template > njy(16.5),
      pixelFlags_streak: streak,
      psfChi2: rng.uniform(800, 2500),
      psfFlux: v.measured,
      psfFluxErr: v.sigma,
      psfFlux_flag: false,
      psfNdata: rng.int(900, 1700),
      ra: obj.ra + rng.gauss(0, posErr) / Math.cos(obj.dec * DEG),
      raErr: posErr,
      reliability: this.reliability(obj),
      scienceFlux: template + v.measured,
      scienceFluxErr: v.sigma * 1.02,
      snr,
      ssObjectId: ssId,
      templateFlux: template,
      templateFluxErr: v.sigma * 0.3,
      timeProcessedMjdTai: v.mjd + 0.0016,
      trailLength: streak ? rng.uniform(5, 30) : rng.uniform(0.2, 2.3),
      trail_flag_edge: streak && rng.chance(0.4),
      visit: visitId(v.mjd, v.dayObs),
      x: place.x + rng.gauss(0, 0.3),
      y: place.y + rng.gauss(0, 0.3),
    };
  }

  /** Forced photometry at the object's position on a visit (the measured flux where it was detected). */
  private forcedSource(obj: LsstSimObject, v: Visit, objectId: bigint, detector: number): Rec {
    const flux = v.det ? v.measured : v.trueFlux + v.sigma * this.rng.normal();
    return {
      diaForcedSourceId: sourceId(v.mjd, this.rng),
      diaObjectId: objectId,
      ra: obj.ra,
      dec: obj.dec,
      visit: visitId(v.mjd, v.dayObs),
      detector,
      psfFlux: flux,
      psfFluxErr: v.sigma,
      midpointMjdTai: v.mjd,
      scienceFlux: obj.templateFlux[v.band]! + flux,
      scienceFluxErr: v.sigma * 1.02,
      band: LSST_SAMPLE_BANDS[v.band]!,
      timeProcessedMjdTai: v.mjd + 0.0016,
    };
  }

  /** The known asteroid's ssSource and mpc_orbits (ephemeris numbers plausible, not computed from an orbit). */
  private solarSystem(obj: LsstSimObject, v: Visit): SolarSystem {
    const rng = this.rng;
    const id = ssObjectId(rng);
    const name = designation(rng);
    const ecl = eclipticOf(obj.ra, obj.dec);
    const gal = icrsToGalactic(obj.ra, obj.dec);
    const a = rng.uniform(2.1, 3.4);
    const e = rng.uniform(0.02, 0.3);
    const ssSource: Rec = {
      designation: name.packed,
      diaDistanceRank: 1,
      diaSourceId: null,
      eclBeta: ecl.beta,
      eclLambda: ecl.lambda,
      elongation: rng.uniform(90, 180),
      ephDec: obj.dec + rng.gauss(0, 0.5 / 3600),
      ephRa: obj.ra + rng.gauss(0, 0.5 / 3600),
      ephRate: rng.uniform(0.1, 1),
      ephVmag: 31.4 - 2.5 * Math.log10(Math.max(Math.abs(v.measured), v.sigma)) + rng.gauss(0, 0.3),
      galLat: gal.b,
      galLon: gal.l,
      helioRange: a * rng.uniform(1 - e, 1 + e),
      phaseAngle: rng.uniform(2, 25),
      ssObjectId: id,
      topoRange: rng.uniform(0.9, 2.6),
    };
    const mpcOrbits: Rec = {
      a,
      designation: name.unpacked,
      e,
      h: rng.uniform(14, 19),
      i: rng.uniform(0, 20),
      id: rng.int(1, 2_000_000),
      node: rng.uniform(0, 360),
      packed_primary_provisional_designation: name.packed,
      q: a * (1 - e),
      unpacked_primary_provisional_designation: name.unpacked,
    };
    return { id, ssSource, mpcOrbits };
  }

  /** The diaObject as Rubin sends it with the alert: summaries over the detections up to and including this one. */
  private diaObject(visits: Visit[], i: number, objectId: bigint, forced: Rec[]): Rec {
    const dets = visits.slice(0, i + 1).flatMap((v) => (v.det ? [v.det] : []));
    const ra = dets.map((d) => d.ra as number);
    const dec = dets.map((d) => d.dec as number);
    const out: Rec = {
      dec: mean(dec),
      decErr: (dets[0]!.decErr as number) / Math.sqrt(dets.length),
      diaObjectId: objectId,
      firstDiaSourceMjdTai: dets[0]!.midpointMjdTai,
      lastDiaSourceMjdTai: visits[i]!.mjd,
      nDiaSources: dets.length,
      ra: mean(ra),
      raErr: (dets[0]!.raErr as number) / Math.sqrt(dets.length),
      validityStartMjdTai: visits[i]!.mjd + 0.0015,
    };
    for (const b of LSST_SAMPLE_BANDS) Object.assign(out, bandSummary(b, dets, forced));
    return out;
  }

  private alertRow(obj: LsstSimObject, visits: Visit[], i: number, objectId: bigint, sso: SolarSystem | null, neighbour: SolarSystem | null): Rec {
    const v = visits[i]!;
    const det = v.det!;
    const prv = visits.slice(0, i).flatMap((w) => (w.det ? [w.det] : []));
    const forced = visits.slice(0, i).flatMap((w) => (w.forced ? [w.forced] : []));
    const stamps = this.opts.withCutouts ? this.stamps(obj, v) : null;
    const rock = sso ?? neighbour;
    return {
      diaSourceId: det.diaSourceId,
      diaSource: det,
      // As in Rubin's alerts: no earlier detection → null; an asteroid has no diaObject, hence no lists at all.
      prvDiaSources: prv.length > 0 ? prv : null,
      prvDiaForcedSources: sso ? null : forced,
      diaObject: sso ? null : this.diaObject(visits, i, objectId, forced),
      ssSource: rock ? { ...rock.ssSource, diaSourceId: det.diaSourceId } : null,
      mpc_orbits: rock?.mpcOrbits ?? null,
      cutoutDifference: stamps?.difference ?? null,
      cutoutScience: stamps?.science ?? null,
      cutoutTemplate: stamps?.template ?? null,
      brokerIngestMjd: v.mjd + this.rng.uniform(0.0012, 0.002),
      lsst_schema_version: LSST_SCHEMA_VERSION,
    };
  }

  private stamps(obj: LsstSimObject, v: Visit): ReturnType<typeof renderStamps> {
    const artefact = obj.subclass === 'dipole' ? 'dipole' : obj.subclass === 'streak' ? 'streak' : 'none';
    const extended = obj.label === 'extragal' || obj.label === 'agn';
    return renderStamps(
      { ra: obj.ra, dec: obj.dec, fwhmPix: v.fwhmPix, diffFlux: v.measured, templateFlux: obj.templateFlux[v.band]!, extended, fluxErr: v.sigma, artefact },
      this.stampRng,
    );
  }
}

/** Every alert of the night, one at a time (an object's alerts past `alerts` are dropped). */
export function* lsstAlertRows(options: LsstNightOptions): Generator<LsstAlertRow> {
  const opts = lsstDefaults(options);
  const gen = new LsstNightGenerator(opts);
  let n = 0;
  while (n < opts.alerts) {
    for (const a of gen.nextObjectAlerts()) {
      if (n++ >= opts.alerts) return;
      yield a;
    }
  }
}

export function emptyCounts(): Record<TruthLabel, number> {
  return Object.fromEntries(TRUTH_LABELS.map((l) => [l, 0])) as Record<TruthLabel, number>;
}
