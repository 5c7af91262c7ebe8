/**
 * The seeded night generator: objects → 30 days of ZTF-like epochs (g and r, 2–3 day revisits, 5σ limits) →
 * tonight's detections become alerts whose rows follow the Fink consumer's schema (see schema.ts).
 * Deterministic: the same options give the same rows, in the same order.
 */
import { RecordBatch, Schema, Field, Struct, Table, makeData, type Data } from 'apache-arrow';
import { ALERT_COLUMNS } from './schema.js';
import { arrowType, makeColumnBuilder, type CellValue, type ColumnBuilder } from './columns.js';
import { computeLcFeatures } from './lc-features.js';
import { renderCutouts, type CutoutScene, type CutoutTriplet } from './cutouts.js';
import { CLASS_MIX, drawObject, flux, isGalactic, mag, type SimObject, type TruthLabel } from './populations.js';
import { Rng } from './rng.js';
import { candid as makeCandid, diffImageName, nid, nightJd, objectId as makeObjectId, pid as makePid, ps1ObjectId, timestampString } from './ztf-ids.js';

export interface GenerateOptions {
  seed: number;
  nAlerts: number;
  /** UT date of the night, 'YYYY-MM-DD'. */
  night: string;
  /** Alerts per row group / per chunk (default 10,000). */
  rowGroupSize?: number;
  /**
   * 'realistic': noisy 63×63 stamps like ZTF's (~12–15 kB each compressed). 'small': smooth stamps from a small
   * pool (~1 kB each), for large benchmark nights where realistic stamps would take gigabytes.
   */
  cutouts?: 'realistic' | 'small';
}

/** Truth of one generated alert (NOT written as a column: Fink files have no such thing). */
export interface AlertTruth {
  candid: string;
  objectId: string;
  label: TruthLabel;
  subclass: string;
  /** Galactic vs not as the 'gal' task sees it; null for bogus and asteroids. */
  galactic: boolean | null;
}

export interface NightChunk {
  table: Table;
  truth: AlertTruth[];
}

export interface GeneratedNight {
  table: Table;
  truth: AlertTruth[];
}

const DAY_WINDOW = 30;
const ARCSEC_PER_PIX = 1.01;

type Rec = Record<string, CellValue>;

interface Epoch {
  jd: number;
  fid: number;
  lim: number;
  fwhm: number;
  zp: number;
  /** Filled when detected. */
  det: Rec | null;
  /** The upper-limit record, made once and shared by the object's alerts. */
  nd?: Rec;
  /** Difference flux measured (ZP 25 units). */
  diff: number;
  isTonight: boolean;
}

const f32 = Math.fround;
const textEncoder = new TextEncoder();
/** History file names are unique and reused by every later alert of the object: encode them once. */
const utf8 = (s: string): Uint8Array => textEncoder.encode(s);
const nightFrac = (rng: Rng): number => rng.uniform(0.13, 0.42);

/** Epochs of the object's field over the 30 days before tonight and tonight (always visited). */
function schedule(rng: Rng, night0: number, isAsteroid: boolean): Epoch[] {
  const out: Epoch[] = [];
  // A few fields are observed for the first time in a month (new field, weather): no history at all.
  const pVisit = rng.chance(0.03) ? 0 : rng.uniform(0.33, 0.6);
  const depth = rng.gauss(0, 0.2);
  for (let d = -DAY_WINDOW; d <= 0; d++) {
    const tonight = d === 0;
    if (!tonight && !rng.chance(pVisit)) continue;
    const bad = rng.chance(0.1) ? -rng.uniform(0.5, 1.5) : 0;
    const t0 = night0 + d + nightFrac(rng);
    const bands: number[] = [];
    const g = rng.chance(0.82);
    const r = rng.chance(0.88) || !g;
    if (g) bands.push(1);
    if (r) bands.push(2);
    if (rng.chance(0.12)) bands.push(bands[0]!);
    if (tonight && isAsteroid) bands.splice(1);
    bands.forEach((fid, k) => {
      const lim = Math.min(21.3, Math.max(18.3, rng.gauss(fid === 1 ? 20.45 : 20.25, 0.3) + depth + bad));
      out.push({
        jd: t0 + k * rng.uniform(0.015, 0.05),
        fid,
        lim,
        fwhm: rng.uniform(1.6, 3.4),
        zp: fid === 1 ? rng.gauss(26.25, 0.05) : rng.gauss(26.05, 0.05),
        det: null,
        diff: 0,
        isTonight: tonight,
      });
    });
  }
  return out.sort((a, b) => a.jd - b.jd);
}

/** Field layout of an object: field id, readout channel and pixel position stay put night to night. */
interface Placement {
  field: number;
  rcid: number;
  x: number;
  y: number;
  programid: number;
}

class NightGenerator {
  private readonly rng: Rng;
  private readonly cutRng: Rng;
  private readonly night0: number;
  private readonly usedIds = new Set<string>();
  private readonly usedCandids = new Set<bigint>();
  private readonly pool = new Map<string, CutoutTriplet[]>();
  private objectCount = 0;

  constructor(private readonly opts: Required<GenerateOptions>) {
    this.rng = new Rng(opts.seed);
    this.cutRng = new Rng(opts.seed ^ 0x5bd1e995);
    this.night0 = nightJd(opts.night);
  }

  /** One object's alerts tonight (≥ 1), in time order. */
  nextObjectAlerts(): { rows: Rec[]; truth: AlertTruth[] } {
    const label = this.rng.weighted(CLASS_MIX);
    for (let attempt = 0; ; attempt++) {
      const obj = drawObject(label, this.rng, this.night0);
      const out = this.observe(obj, attempt >= 30);
      if (out) return out;
    }
  }

  private observe(obj: SimObject, force: boolean): { rows: Rec[]; truth: AlertTruth[] } | null {
    const rng = this.rng;
    const asteroid = obj.label === 'sso';
    const epochs = schedule(rng, this.night0, asteroid);
    const mags = obj.magnitudes(epochs, rng);
    const place: Placement = {
      field: rng.int(245, 880),
      rcid: rng.int(0, 63),
      x: rng.uniform(40, 3030),
      y: rng.uniform(40, 3040),
      programid: rng.chance(0.85) ? 1 : 2,
    };
    const isBogus = obj.label === 'bogus';
    let tonightDetections = 0;
    const detected: boolean[] = [];
    epochs.forEach((e, i) => {
      const sigma = flux(e.lim) / 5;
      const b = e.fid === 1 ? 0 : 1;
      let d: number;
      if (asteroid) d = e.isTonight ? flux(rng.uniform(17.5, e.lim - 0.25)) : 0;
      else if (isBogus) d = Number.isNaN(mags[i]) ? flux(e.lim - rng.uniform(0.05, 1.6)) * (rng.chance(0.65) ? 1 : -1) : 0;
      else d = flux(mags[i]!) - obj.refFlux[b];
      e.diff = asteroid || isBogus ? d : d + sigma * rng.normal();
      let det = Math.abs(e.diff) >= 5 * sigma;
      if (!det && force && e.isTonight && tonightDetections === 0 && i === epochs.length - 1) {
        e.diff = 5.5 * sigma;
        det = true;
      }
      if (det && e.isTonight) tonightDetections++;
      detected.push(det);
    });
    // Check before building records: most of the cost is in them, and many drafts are not alert-worthy tonight.
    if (tonightDetections === 0) return null;
    epochs.forEach((e, i) => {
      if (detected[i]) e.det = this.detection(e, flux(e.lim) / 5, obj, place);
    });

    const firstSeen = obj.firstJd ?? epochs.find((e) => e.det)!.jd;
    let oid: string;
    do oid = makeObjectId(rng, firstSeen);
    while (this.usedIds.has(oid));
    this.usedIds.add(oid);
    this.objectCount++;

    const rows: Rec[] = [];
    const truth: AlertTruth[] = [];
    const ps1 = [0, 1, 2].map((k) => ps1ObjectId(obj.ra, obj.dec, this.objectCount * 3 + k));
    epochs.forEach((e, i) => {
      if (!e.isTonight || !e.det) return;
      const history = epochs.slice(0, i).filter((h) => h.jd >= e.jd - DAY_WINDOW);
      rows.push(this.alertRow(oid, obj, e, history, place, ps1, firstSeen));
      truth.push({ candid: String(e.det.candid), objectId: oid, label: obj.label, subclass: obj.subclass, galactic: isGalactic(obj.label) });
    });
    return { rows, truth };
  }

  /** The epoch's detection record: every candidate field that also exists in prv_candidates, plus drb. */
  private detection(e: Epoch, sigma: number, obj: SimObject, place: Placement): Rec {
    const rng = this.rng;
    const bogus = obj.label === 'bogus';
    const absD = Math.abs(e.diff);
    const magpsf = f32(mag(absD));
    const sigmapsf = f32(Math.sqrt((1.0857 * sigma / absD) ** 2 + 0.008 ** 2));
    const pidValue = makePid(e.jd);
    let tblid: number;
    let cand: bigint;
    // Alerts' candids must be unique in the night; history entries only need to look right (they are not keys), and
    // remembering every history candid of a 100k-alert night would cost far more memory than it is worth.
    do {
      tblid = rng.int(0, 120);
      cand = makeCandid(pidValue, tblid);
    } while (e.isTonight && this.usedCandids.has(cand));
    if (e.isTonight) this.usedCandids.add(cand);
    const cp = obj.counterpart;
    const fwhm = bogus && rng.chance(0.4) ? rng.uniform(0.6, 1.3) : e.fwhm * rng.uniform(0.95, 1.1);
    const elong = bogus ? rng.uniform(1.1, 3.2) : 1 + Math.abs(rng.gauss(0, 0.08));
    const aimage = (fwhm / 2.3548) * Math.sqrt(elong);
    const magap = magpsf + rng.gauss(bogus ? 0.2 : 0, bogus ? 0.3 : 0.04);
    const rb = bogus ? rng.uniform(0.05, 0.62) : rng.chance(0.9) ? 1 - 0.45 * rng.next() ** 2 : rng.uniform(0.3, 0.7);
    const drb = bogus ? (rng.chance(0.72) ? rng.uniform(0, 0.3) : rng.uniform(0.3, 0.97)) : rng.chance(0.88) ? 1 - 0.1 * rng.next() ** 3 : rng.uniform(0.35, 0.9);
    const isAst = obj.label === 'sso';
    return {
      jd: e.jd,
      fid: e.fid,
      pid: pidValue,
      diffmaglim: e.lim,
      pdiffimfilename: utf8(diffImageName(e.jd, place.field, e.fid, place.rcid, true)),
      programpi: place.programid === 1 ? 'Kulkarni' : 'Prince',
      programid: place.programid,
      candid: cand,
      isdiffpos: e.diff > 0 ? 't' : 'f',
      tblid: BigInt(tblid),
      nid: nid(e.jd),
      rcid: place.rcid,
      field: place.field,
      xpos: place.x + rng.gauss(0, 1.5),
      ypos: place.y + rng.gauss(0, 1.5),
      ra: obj.ra + rng.gauss(0, 0.08) / 3600 / Math.cos((obj.dec * Math.PI) / 180),
      dec: obj.dec + rng.gauss(0, 0.08) / 3600,
      magpsf,
      sigmapsf,
      chipsf: bogus ? rng.uniform(3, 60) : Math.exp(rng.gauss(0.3, 0.5)),
      magap,
      sigmagap: sigmapsf * rng.uniform(1, 1.3),
      distnr: cp.distnr,
      magnr: cp.magnr,
      sigmagnr: Math.max(0.01, 0.02 * 10 ** (0.2 * (cp.magnr - 18))),
      chinr: Math.exp(rng.gauss(0, 0.6)),
      sharpnr: rng.gauss(cp.sgscore1 > 0.5 ? 0 : 0.15, 0.08),
      sky: rng.gauss(0, 1.2),
      magdiff: magap - magpsf,
      fwhm,
      classtar: bogus ? rng.uniform(0, 0.95) : Math.min(1, rng.uniform(0.85, 1.02)),
      mindtoedge: rng.uniform(20, 1500),
      magfromlim: e.lim - magap,
      seeratio: rng.uniform(0.85, 1.15),
      aimage,
      bimage: aimage / elong,
      aimagerat: aimage / fwhm,
      bimagerat: aimage / elong / fwhm,
      elong,
      nneg: bogus ? rng.int(3, 25) : rng.int(0, 8),
      nbad: bogus && rng.chance(0.3) ? rng.int(1, 4) : rng.chance(0.03) ? 1 : 0,
      rb,
      ssdistnr: isAst ? rng.uniform(0, 3) : -999,
      ssmagnr: isAst ? magpsf + rng.gauss(0, 0.3) : -999,
      ssnamenr: isAst ? (rng.chance(0.7) ? String(rng.int(1000, 600000)) : `20${rng.int(10, 24)}${'ABCDEFGHJKLMNOPQRSTUVWXY'[rng.int(0, 23)]}${'ABCDEFGHJKLMNOPQRSTUVWXYZ'[rng.int(0, 24)]}${rng.int(1, 99)}`) : 'null',
      sumrat: bogus ? rng.uniform(0.4, 1) : rng.uniform(0.9, 1),
      magapbig: magap + rng.gauss(0, 0.03),
      sigmagapbig: sigmapsf * 1.35,
      ranr: obj.ra + (cp.distnr / 3600) * 0.7,
      decnr: obj.dec + (cp.distnr / 3600) * 0.7,
      scorr: Math.min(200, 1.0857 / sigmapsf) * rng.uniform(0.9, 1.1),
      magzpsci: e.zp,
      magzpsciunc: rng.uniform(2e-6, 2e-5),
      magzpscirms: rng.uniform(0.02, 0.05),
      clrcoeff: e.fid === 1 ? rng.gauss(-0.04, 0.01) : rng.gauss(0.1, 0.01),
      clrcounc: rng.uniform(5e-6, 3e-5),
      rbversion: 't17_f5_c3',
      drb,
    };
  }

  private alertRow(oid: string, obj: SimObject, e: Epoch, history: Epoch[], place: Placement, ps1: bigint[], firstSeen: number): Rec {
    const rng = this.rng;
    const det = e.det!;
    const cp = obj.counterpart;
    const prv = history.map((h) => h.det ?? (h.nd ??= this.nonDetection(h, place)));
    const histDets = history.filter((h) => h.det).length;
    const ndethist = histDets + 1 + obj.priorDetections;
    const isAst = obj.label === 'sso';
    const cand: Rec = {
      ...det,
      pdiffimfilename: diffImageName(e.jd, place.field, e.fid, place.rcid, false),
      sgmag1: cp.srmag1 < 0 ? -999 : cp.srmag1 + 0.4,
      srmag1: cp.srmag1,
      simag1: cp.srmag1 < 0 ? -999 : cp.srmag1 - 0.2,
      szmag1: cp.srmag1 < 0 ? -999 : cp.srmag1 - 0.3,
      sgscore1: cp.sgscore1,
      distpsnr1: cp.distpsnr1,
      ndethist,
      ncovhist: ndethist + rng.int(20, 1500),
      jdstarthist: Math.min(firstSeen, e.jd),
      jdendhist: e.jd,
      tooflag: 0,
      objectidps1: ps1[0],
      objectidps2: ps1[1],
      sgmag2: rng.chance(0.3) ? -999 : rng.uniform(18, 22),
      srmag2: rng.uniform(18, 22),
      simag2: rng.uniform(17.5, 21.5),
      szmag2: rng.chance(0.3) ? -999 : rng.uniform(17.5, 21.5),
      sgscore2: rng.next(),
      distpsnr2: cp.distpsnr1 + rng.uniform(1, 8),
      objectidps3: ps1[2],
      sgmag3: rng.uniform(18, 22),
      srmag3: rng.uniform(18, 22),
      simag3: rng.uniform(17.5, 21.5),
      szmag3: rng.uniform(17.5, 21.5),
      sgscore3: rng.next(),
      distpsnr3: cp.distpsnr1 + rng.uniform(5, 15),
      nmtchps: rng.int(2, 30),
      rfid: BigInt(place.field * 1_000_000 + e.fid * 100_000 + 20_100 + place.rcid),
      jdstartref: 2458200 + rng.uniform(0, 100),
      jdendref: 2458340 + rng.uniform(0, 200),
      nframesref: rng.int(15, 40),
      dsnrms: rng.uniform(5, 30),
      ssnrms: rng.uniform(10, 40),
      dsdiff: rng.uniform(-20, 5),
      nmatches: rng.int(400, 3000),
      zpclrcov: rng.gauss(-5e-6, 2e-6),
      zpmed: (det.magzpsci as number) - 0.03,
      clrmed: e.fid === 1 ? 0.56 : 0.43,
      clrrms: rng.uniform(0.15, 0.3),
      neargaia: cp.starMag < 30 ? cp.distpsnr1 + 0.05 : rng.uniform(2, 30),
      neargaiabright: cp.srmag1 > 0 && cp.srmag1 < 16 ? cp.distpsnr1 : -999,
      maggaia: cp.starMag < 30 ? cp.starMag + 0.2 : rng.uniform(17, 21),
      maggaiabright: cp.srmag1 > 0 && cp.srmag1 < 16 ? cp.srmag1 : -999,
      exptime: 30,
      drbversion: 'd6_m7',
    };

    // Light curve of this alert: history + current, every detection (either sign of difference), per band.
    const lc = [...history, e].filter((h) => h.det);
    const bandFeatures = (fid: number): CellValue => {
      const pts = lc.filter((h) => h.fid === fid);
      return computeLcFeatures(
        pts.map((h) => h.jd),
        pts.map((h) => h.det!.magpsf as number),
        pts.map((h) => h.det!.sigmapsf as number),
      );
    };
    const nPos = lc.length;
    const snLike = obj.label === 'extragal';
    const score = (hi: [number, number], lo: [number, number], minPts: number): number =>
      nPos < minPts || isAst ? 0 : snLike ? rng.uniform(...hi) : rng.chance(0.3) ? rng.uniform(...lo) : 0;
    const snnSnAll = score([0.35, 0.98], [0, 0.6], 2);
    const snnIa = score([0.2, 0.95], [0, 0.5], 2);
    const rfIa = obj.firstJd === null || snLike ? score([0.15, 0.9], [0, 0.4], 3) : 0;
    const cds = rng.chance(0.01) ? rng.pick(['Fail', 'Fail 500', 'Fail 503']) : obj.cdsxmatch;
    const tnsclass = snLike && rng.chance(0.08) ? rng.pick(['(TNS) SN Ia', '(TNS) SN II', '(TNS) SN Ic', '(TNS) SN IIn']) : obj.label === 'gal' && rng.chance(0.05) ? '(TNS) CV' : 'Unknown';
    const finkclass =
      cds !== 'Unknown' && !cds.startsWith('Fail')
        ? cds
        : isAst
          ? 'Solar System MPC'
          : snnSnAll > 0.5 && rfIa > 0.5
            ? 'Early SN Ia candidate'
            : snnSnAll > 0.5
              ? 'SN candidate'
              : rng.chance(0.2)
                ? 'Ambiguous'
                : 'Unknown';

    // Fink's rate columns: change since the previous measurement in the same band (detection or upper limit).
    const prevSame = [...history].reverse().find((h) => h.fid === e.fid);
    const prevMag = prevSame ? (prevSame.det ? (prevSame.det.magpsf as number) : prevSame.lim) : null;
    const dtPrev = prevSame ? e.jd - prevSame.jd : null;
    const rate = prevMag !== null && dtPrev ? ((det.magpsf as number) - prevMag) / dtPrev : null;
    const sigRate = rate !== null && dtPrev ? (det.sigmapsf as number) / dtPrev : null;
    const firstReal = lc.find((h) => h.det!.isdiffpos === 't')?.jd ?? e.jd;

    const host = cp.hostMag > 0 && obj.label === 'extragal' && rng.chance(0.3);
    return {
      candid: det.candid,
      schemavsn: '4.02',
      publisher: 'Fink',
      objectId: oid,
      candidate: cand,
      prv_candidates: prv.length === 0 && rng.chance(0.5) ? null : prv,
      ...this.cutoutColumns(String(det.candid), String(det.pid), obj, e),
      fink_broker_version: '4.0',
      fink_science_version: '8.6.0',
      cdsxmatch: cds,
      tns: tnsclass === 'Unknown' ? '' : tnsclass.replace('(TNS) ', ''),
      DR3Name: cp.starMag < 21 ? `Gaia DR3 ${ps1[0] % 10n ** 18n}` : 'nan',
      Plx: cp.starMag < 21 ? rng.uniform(0.05, 3) : NaN,
      e_Plx: cp.starMag < 21 ? rng.uniform(0.02, 0.5) : NaN,
      gaiaVarFlag: obj.label === 'varstar' && rng.chance(0.4) ? 1 : 0,
      gaiaClass: 'nan',
      vsx: obj.label === 'varstar' && rng.chance(0.3) ? rng.pick(['RRAB', 'EA', 'EW', 'M', 'SR', 'YSO']) : 'nan',
      spicy_id: obj.subclass === 'YSO' && rng.chance(0.3) ? rng.int(1, 117000) : -1,
      spicy_class: 'Unknown',
      gcvs: 'Unknown',
      x3hsp: 'Unknown',
      x4lac: obj.subclass === 'QSO' && rng.chance(0.1) ? 'BLLac' : 'Unknown',
      mangrove: host
        ? { HyperLEDA_name: `PGC${rng.int(1000, 5000000)}`, '2MASS_name': 'None', lum_dist: String(rng.uniform(40, 400)), ang_dist: String(rng.uniform(38, 380)) }
        : { HyperLEDA_name: 'None', '2MASS_name': 'None', lum_dist: 'None', ang_dist: 'None' },
      roid: isAst ? 3 : 0,
      rf_snia_vs_nonia: rfIa,
      snn_snia_vs_nonia: snnIa,
      snn_sn_vs_all: snnSnAll,
      mulens: 0,
      nalerthist: Math.min(ndethist, histDets + 1 + Math.floor(obj.priorDetections / 3)),
      rf_kn_vs_nonkn: snLike && nPos <= 3 && rng.chance(0.1) ? rng.uniform(0, 0.6) : 0,
      anomaly_score: rng.gauss(-0.02, 0.04) - (obj.label === 'bogus' ? 0.05 : 0),
      lc_features_g: bandFeatures(1),
      lc_features_r: bandFeatures(2),
      jd_first_real_det: firstReal,
      jdstarthist_dt: e.jd - (cand.jdstarthist as number),
      mag_rate: rate,
      sigma_rate: sigRate,
      lower_rate: rate !== null && sigRate !== null ? rate - sigRate : null,
      upper_rate: rate !== null && sigRate !== null ? rate + sigRate : null,
      delta_time: dtPrev,
      from_upper: prevSame ? !prevSame.det : false,
      blazar_stats: { m0: -1, m1: -1, m2: -1 },
      tracklet: isAst && rng.chance(0.2) ? `TRCK_${timestampString(e.jd).slice(0, 19).replace(/[- :]/g, '')}_00` : null,
      timestamp: timestampString(e.jd + 0.0069),
      finkclass,
      tnsclass,
    };
  }

  private nonDetection(h: Epoch, place: Placement): Rec {
    const rng = this.rng;
    return {
      jd: h.jd,
      fid: h.fid,
      pid: makePid(h.jd),
      diffmaglim: h.lim,
      pdiffimfilename: utf8(diffImageName(h.jd, place.field, h.fid, place.rcid, true)),
      programpi: place.programid === 1 ? 'Kulkarni' : 'Prince',
      programid: place.programid,
      nid: nid(h.jd),
      rcid: place.rcid,
      field: place.field,
      magzpsci: h.zp,
      magzpsciunc: rng.uniform(2e-6, 2e-5),
      magzpscirms: rng.uniform(0.02, 0.05),
      clrcoeff: h.fid === 1 ? rng.gauss(-0.04, 0.01) : rng.gauss(0.1, 0.01),
      clrcounc: rng.uniform(5e-6, 3e-5),
      rbversion: 't17_f5_c3',
    };
  }

  private cutoutColumns(candidStr: string, pidStr: string, obj: SimObject, e: Epoch): Rec {
    const triplet = this.opts.cutouts === 'small' ? this.pooledCutouts(obj, e) : renderCutouts(this.scene(obj, e), this.cutRng, true);
    return {
      cutoutScience: { fileName: `candid${candidStr}_pid${pidStr}_targ_sci.fits.gz`, stampData: triplet.science },
      cutoutTemplate: { fileName: `candid${candidStr}_ref.fits.gz`, stampData: triplet.template },
      cutoutDifference: { fileName: `candid${candidStr}_pid${pidStr}_targ_scimref.fits.gz`, stampData: triplet.difference },
    };
  }

  private scene(obj: SimObject, e: Epoch): CutoutScene {
    const dn = (f: number): number => f * 10 ** (0.4 * (e.zp - 25));
    const cp = obj.counterpart;
    const b = e.fid === 1 ? 0 : 1;
    const bogusArt = obj.label === 'bogus' ? (obj.subclass === 'ghost' ? 'none' : (obj.subclass as CutoutScene['artefact'])) : 'none';
    return {
      fwhmPix: e.fwhm / ARCSEC_PER_PIX,
      diffCounts: dn(e.diff),
      starCounts: obj.refFlux[b] > 0 ? dn(obj.refFlux[b]) : cp.starMag < 30 ? dn(flux(cp.starMag)) : 0,
      hostCounts: cp.hostMag > 0 ? dn(flux(cp.hostMag)) : 0,
      hostDx: cp.hostDx / ARCSEC_PER_PIX,
      hostDy: cp.hostDy / ARCSEC_PER_PIX,
      hostScale: cp.hostScale / ARCSEC_PER_PIX,
      artefact: bogusArt,
    };
  }

  /** 'small' mode: a few smooth triplets per class and sign, reused (rendering 300k stamps would dominate). */
  private pooledCutouts(obj: SimObject, e: Epoch): CutoutTriplet {
    const key = `${obj.label}:${obj.subclass}:${e.diff > 0 ? '+' : '-'}`;
    let list = this.pool.get(key);
    if (!list) {
      list = [];
      this.pool.set(key, list);
    }
    if (list.length < 4) {
      const t = renderCutouts(this.scene(obj, e), this.cutRng, false);
      list.push(t);
      return t;
    }
    return list[this.cutRng.int(0, list.length - 1)]!;
  }
}

const COLUMN_FIELDS = ALERT_COLUMNS.map(([name, spec]) => new Field(name, arrowType(spec), true));
export const ALERT_SCHEMA = new Schema(COLUMN_FIELDS);

class ChunkBuilder {
  private readonly builders: ColumnBuilder[];
  length = 0;
  constructor(capacity: number) {
    this.builders = ALERT_COLUMNS.map(([, spec]) => makeColumnBuilder(spec, capacity));
  }
  append(row: Rec): void {
    ALERT_COLUMNS.forEach(([name], k) => this.builders[k]!.append(row[name]));
    this.length++;
  }
  finish(): Table {
    const children: Data[] = this.builders.map((b) => b.finish());
    const length = this.length;
    this.length = 0;
    const data = makeData({ type: new Struct(COLUMN_FIELDS), length, nullCount: 0, children });
    return new Table([new RecordBatch(ALERT_SCHEMA, data)]);
  }
}

/** Check the options and fill in defaults; throws a plain Error naming the bad option. */
export function withDefaults(opts: GenerateOptions): Required<GenerateOptions> {
  if (!Number.isInteger(opts.nAlerts) || opts.nAlerts < 1) throw new Error(`nAlerts must be a positive integer, got ${opts.nAlerts}`);
  nightJd(opts.night);
  if (!Number.isFinite(opts.seed)) throw new Error(`seed must be a number, got ${opts.seed}`);
  if (opts.rowGroupSize !== undefined && (!Number.isInteger(opts.rowGroupSize) || opts.rowGroupSize < 1))
    throw new Error(`rowGroupSize must be a positive integer, got ${opts.rowGroupSize}`);
  return { rowGroupSize: 10_000, cutouts: 'realistic', ...opts };
}

/** Rows wait in a small shuffle buffer so one object's alerts are not always adjacent (as in Fink's files). */
const SHUFFLE_BUFFER = 64;

/**
 * Generate the night in chunks of `rowGroupSize` alerts. Rows go into the column builders as soon as they leave
 * the shuffle buffer, so only the builders' typed arrays stay alive: memory is bounded by one chunk and the garbage
 * collector never has to trace a chunk's worth of row objects.
 */
export function* generateNightChunks(options: GenerateOptions): Generator<NightChunk> {
  const opts = withDefaults(options);
  const gen = new NightGenerator(opts);
  const shuffleRng = new Rng(opts.seed + 7919);
  const buffer: { row: Rec; truth: AlertTruth }[] = [];
  const capacity = Math.min(opts.rowGroupSize, opts.nAlerts);
  let builder = new ChunkBuilder(capacity);
  let truth: AlertTruth[] = [];
  let generated = 0;
  let emitted = 0;
  const emit = (item: { row: Rec; truth: AlertTruth }): void => {
    builder.append(item.row);
    truth.push(item.truth);
    emitted++;
  };
  while (emitted < opts.nAlerts) {
    if (generated < opts.nAlerts) {
      const next = gen.nextObjectAlerts();
      // The night ends at nAlerts: an object's later alerts past that are dropped (its earlier ones stand alone).
      const keep = Math.min(next.rows.length, opts.nAlerts - generated);
      for (let i = 0; i < keep; i++) {
        const item = { row: next.rows[i]!, truth: next.truth[i]! };
        generated++;
        if (buffer.length < SHUFFLE_BUFFER) buffer.push(item);
        else {
          const j = shuffleRng.int(0, SHUFFLE_BUFFER - 1);
          emit(buffer[j]!);
          buffer[j] = item;
        }
      }
    } else {
      // Everything generated: drain the buffer in random order.
      const j = shuffleRng.int(0, buffer.length - 1);
      emit(buffer[j]!);
      buffer[j] = buffer[buffer.length - 1]!;
      buffer.pop();
    }
    if (builder.length >= opts.rowGroupSize || (emitted === opts.nAlerts && builder.length > 0)) {
      yield { table: builder.finish(), truth };
      builder = new ChunkBuilder(Math.min(opts.rowGroupSize, opts.nAlerts - emitted));
      truth = [];
    }
  }
}

/** Generate a whole night in memory (fine up to tens of thousands of alerts; use writeSampleNight beyond). */
export function generateNight(opts: GenerateOptions): GeneratedNight {
  const tables: Table[] = [];
  const truth: AlertTruth[] = [];
  for (const c of generateNightChunks(opts)) {
    tables.push(c.table);
    truth.push(...c.truth);
  }
  const batches = tables.flatMap((t) => t.batches);
  return { table: new Table(ALERT_SCHEMA, batches), truth };
}
