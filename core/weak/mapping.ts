/**
 * Weak labels from Fink's catalogue columns: ONE data table per vocabulary (SIMBAD object types, TNS classes, Fink
 * classes, sentinels). Every value the shared data holds is listed here, either with a label or as explicitly
 * unlabelled ('none': no information) or 'ambiguous' (informative, but not one of our classes); an unlisted value is
 * 'unseen', and the coverage test fails on it.
 *
 * Labels (core/labels.ts): gal = galactic non-periodic sources (stars, CVs, novae, X-ray binaries, planetary nebulae,
 * emission-line stars); varstar = catalogued variable stars (pulsating, eclipsing, rotating, long-period, YSO
 * variables); extragal = galaxies and extragalactic transients (SN, SLSN, TDE, kilonova, GRB afterglow, ULX);
 * agn = QSO / AGN / Seyfert / LINER / BL Lac / blazar. The gal task maps gal and varstar to 1, extragal and agn to 0.
 *
 * SIMBAD renamed its types in 2021 (e.g. RRLyr -> RRLyrae, EB* -> EclBin, LPV* -> LongPeriodV*, Candidate_CV* ->
 * CataclyV*_Candidate, PN -> PlanetaryNeb); both spellings are listed. "(TNS) x" and "(SIMBAD) x" strings (the
 * hostless file writes them into cdsxmatch) are looked up without their prefix in the TNS or SIMBAD table.
 */
import type { Label } from '../labels.js';

export type WeakVerdict = Label | 'none' | 'ambiguous';

/** The columns weak labels come from, in precedence order (first wins when columns disagree). */
export const WEAK_COLUMNS = ['tnsclass', 'cdsxmatch', 'finkclass'] as const;
export type WeakColumn = (typeof WEAK_COLUMNS)[number];

/**
 * Why this precedence: a TNS class is a spectroscopic classification of the transient itself; a SIMBAD type is a
 * positional association with a catalogued source (a SN on a catalogued galaxy is still extragalactic, but a chance
 * alignment can mislead); a Fink class is Fink's own machine classification, partly derived from the same cdsxmatch.
 */
export const PRECEDENCE_NOTE =
  'tnsclass (spectroscopic, of the transient) > cdsxmatch (SIMBAD positional association) > finkclass (Fink machine class)';

/** Values that carry no information in any column (matched exactly, case-sensitive). */
export const SENTINELS: Record<string, 'none'> = {
  '': 'none',
  Unknown: 'none',
  nan: 'none',
  NaN: 'none',
  None: 'none',
  null: 'none',
  Inexistent: 'none',
  Fail: 'none',
  'Fail 500': 'none',
  'Fail 503': 'none',
  'Fail 504': 'none',
};

/** Any "Fail…" string is a failed crossmatch call (status codes vary). */
export const SENTINEL_PREFIXES = ['Fail'] as const;

/** SIMBAD object types (cdsxmatch; also the SIMBAD-type values of finkclass), old and new names. */
export const SIMBAD_TYPES: Record<string, WeakVerdict> = {
  // --- extragalactic: galaxies and their transients
  Galaxy: 'extragal',
  G: 'extragal',
  GinPair: 'extragal',
  GinCl: 'extragal',
  GinGroup: 'extragal',
  LensedImage: 'extragal',
  Supernova: 'extragal',
  SN: 'extragal',
  Supernova_Candidate: 'extragal',
  'SN*': 'extragal',
  'Candidate_SN*': 'extragal',
  ULX: 'extragal',
  'ULX?': 'extragal',
  ULX_Candidate: 'extragal',
  // --- AGN family
  QSO: 'agn',
  QSO_Candidate: 'agn',
  QSO_CandidateSeyfert: 'agn', // two AGN types run together by a writer: AGN either way
  AGN: 'agn',
  AGN_Candidate: 'agn',
  Seyfert: 'agn',
  Seyfert1: 'agn',
  Seyfert2: 'agn',
  Seyfert_1: 'agn',
  Seyfert_2: 'agn',
  LINER: 'agn',
  BLLac: 'agn',
  BLLac_Candidate: 'agn',
  Blazar: 'agn',
  Blazar_Candidate: 'agn',
  // --- catalogued variable stars -> varstar
  'V*': 'varstar',
  'Variable*': 'varstar',
  'Variable*_Candidate': 'varstar',
  'PulsV*': 'varstar',
  'PulsV*WVir': 'varstar',
  'PulsV*delSct': 'varstar',
  RRLyr: 'varstar',
  RRLyrae: 'varstar',
  RRLyrae_Candidate: 'varstar',
  'EB*': 'varstar',
  'EB*_Candidate': 'varstar',
  EclBin: 'varstar',
  EclBin_Candidate: 'varstar',
  'LPV*': 'varstar',
  'LP*_Candidate': 'varstar',
  'LongPeriodV*': 'varstar',
  'LongPeriodV*_Candidate': 'varstar',
  Mira: 'varstar',
  'Candidate_Mi*': 'varstar',
  Cepheid: 'varstar',
  Type2Cep: 'varstar',
  'delSctV*': 'varstar',
  'gammaDorV*': 'varstar',
  'bCepV*': 'varstar',
  'BYDraV*': 'varstar',
  'RSCVnV*': 'varstar',
  'RotV*': 'varstar',
  'IrregularV*': 'varstar',
  'OrionV*': 'varstar',
  'TTauri*': 'varstar',
  'TTauri*_Candidate': 'varstar',
  YSO: 'varstar',
  YSO_Candidate: 'varstar',
  // --- other galactic sources -> gal
  'CataclyV*': 'gal',
  'CataclyV*_Candidate': 'gal',
  'Candidate_CV*': 'gal',
  Nova: 'gal',
  Candidate_Nova: 'gal',
  'Symbiotic*': 'gal',
  'Eruptive*': 'gal',
  XB: 'gal',
  XrayBin: 'gal',
  HMXB: 'gal',
  HighMassXBin: 'gal',
  LMXB: 'gal',
  LowMassXBin: 'gal',
  Candidate_NS: 'gal',
  Star: 'gal',
  '*': 'gal',
  '**': 'gal',
  'S*': 'gal',
  'C*': 'gal',
  'SB*': 'gal',
  'Be*': 'gal',
  'Ae*': 'gal',
  'Em*': 'gal',
  'PM*': 'gal',
  'HighPM*': 'gal',
  'Low-Mass*': 'gal',
  'WD*': 'gal',
  WhiteDwarf: 'gal',
  WhiteDwarf_Candidate: 'gal',
  'Candidate_WD*': 'gal',
  HotSubdwarf: 'gal',
  HotSubdwarf_Candidate: 'gal',
  'AGB*': 'gal',
  'AGB*_Candidate': 'gal',
  'Candidate_AGB*': 'gal',
  'post-AGB*': 'gal',
  'HorBranch*': 'gal',
  'HorBranch*_Candidate': 'gal',
  'Candidate_HB*': 'gal',
  RedSG: 'gal',
  'RedSG*': 'gal',
  RedSG_Candidate: 'gal',
  'Candidate_RSG*': 'gal',
  BlueSG: 'gal',
  'BlueSG*': 'gal',
  BlueSG_Candidate: 'gal',
  YellowSG: 'gal',
  'WolfRayet*': 'gal',
  'WR*': 'gal',
  'OH/IR': 'gal',
  'OH/IR*': 'gal',
  PN: 'gal',
  PlanetaryNeb: 'gal',
  PlanetaryNeb_Candidate: 'gal',
  'Cluster*': 'gal', // star cluster: galactic for ZTF's depth
  'GlCl?': 'gal',
  GlobCluster: 'gal',
  Planet_Candidate: 'gal', // an exoplanet host star
  // --- informative but not one of our classes
  Blue: 'ambiguous', // colour-selected object: star or QSO
  blue: 'ambiguous',
  IR: 'ambiguous',
  NIR: 'ambiguous',
  NearIR: 'ambiguous',
  Radio: 'ambiguous',
  EmObj: 'ambiguous', // emission-line object: star, nebula or galaxy
  Transient: 'ambiguous',
};

/** TNS classes (tnsclass and "(TNS) x" strings), without the "(TNS) " prefix. */
export const TNS_CLASSES: Record<string, WeakVerdict> = {
  SN: 'extragal',
  'SN I': 'extragal',
  'SN Ia': 'extragal',
  'SN Ia-pec': 'extragal',
  'SN Ia-91T-like': 'extragal',
  'SN Ia-91bg-like': 'extragal',
  'SN Ia-CSM': 'extragal',
  'SN Iax[02cx-like]': 'extragal',
  'SN Ib': 'extragal',
  'SN Ib/c': 'extragal',
  'SN Ibn': 'extragal',
  'SN Ic': 'extragal',
  'SN Ic-pec': 'extragal',
  'SN Ic-BL': 'extragal',
  'SN Icn': 'extragal',
  'SN II': 'extragal',
  'SN IIP': 'extragal',
  'SN IIL': 'extragal',
  'SN IIb': 'extragal',
  'SN IIn': 'extragal',
  'SN II-pec': 'extragal',
  'SLSN-I': 'extragal',
  'SLSN-II': 'extragal',
  'SLSN-R': 'extragal',
  TDE: 'extragal',
  'TDE-H': 'extragal',
  'TDE-He': 'extragal',
  'TDE-H-He': 'extragal',
  Kilonova: 'extragal',
  Afterglow: 'extragal',
  'Impostor-SN': 'extragal', // SN impostors reported to TNS are eruptions in other galaxies
  Galaxy: 'extragal',
  AGN: 'agn',
  QSO: 'agn',
  Blazar: 'agn',
  Nova: 'gal',
  CV: 'gal',
  'M dwarf': 'gal',
  'Varstar': 'varstar',
  // Not one of our classes, or galactic and extragalactic alike.
  FRB: 'ambiguous',
  LBV: 'ambiguous',
  LRN: 'ambiguous',
  ILRT: 'ambiguous',
  'Light-Echo': 'ambiguous',
  Other: 'ambiguous',
};

/** Fink's own classes (finkclass, and some cdsxmatch strings of the hostless file); SIMBAD-type values fall through. */
export const FINK_CLASSES: Record<string, WeakVerdict> = {
  'SN candidate': 'extragal',
  'Early SN Ia candidate': 'extragal',
  'Kilonova candidate': 'extragal',
  'Microlensing candidate': 'gal',
  Ambiguous: 'ambiguous',
  'Solar System MPC': 'none', // asteroids: excluded like roid = 3
  'Solar System candidate': 'none',
  Tracklet: 'none', // satellite glints
  Anomaly: 'none',
};

export type WeakRule = 'sentinel' | 'tns' | 'simbad' | 'fink' | 'unseen';

export interface WeakLookup {
  verdict: WeakVerdict | 'unseen';
  /** Which table decided. */
  rule: WeakRule;
  /** The key looked up (the value without its prefix). */
  key: string;
}

const PREFIXED: { prefix: string; table: Record<string, WeakVerdict>; rule: WeakRule }[] = [
  { prefix: '(TNS) ', table: TNS_CLASSES, rule: 'tns' },
  { prefix: '(SIMBAD) ', table: SIMBAD_TYPES, rule: 'simbad' },
];

/** Tables tried in order for an unprefixed value of each column. */
const TABLES: Record<WeakColumn, { table: Record<string, WeakVerdict>; rule: WeakRule }[]> = {
  tnsclass: [{ table: TNS_CLASSES, rule: 'tns' }],
  cdsxmatch: [
    { table: SIMBAD_TYPES, rule: 'simbad' },
    { table: FINK_CLASSES, rule: 'fink' },
  ],
  finkclass: [
    { table: FINK_CLASSES, rule: 'fink' },
    { table: SIMBAD_TYPES, rule: 'simbad' },
  ],
};

const has = (t: Record<string, unknown>, k: string): boolean => Object.prototype.hasOwnProperty.call(t, k);

/** Look a column value up in the tables. null / undefined count as the empty string. */
export function lookupWeak(column: WeakColumn, value: string | null | undefined): WeakLookup {
  const v = (value ?? '').trim();
  if (has(SENTINELS, v)) return { verdict: 'none', rule: 'sentinel', key: v };
  if (SENTINEL_PREFIXES.some((p) => v.startsWith(p))) return { verdict: 'none', rule: 'sentinel', key: v };
  for (const { prefix, table, rule } of PREFIXED) {
    if (!v.startsWith(prefix)) continue;
    const key = v.slice(prefix.length).trim();
    if (has(SENTINELS, key)) return { verdict: 'none', rule: 'sentinel', key };
    return has(table, key) ? { verdict: table[key], rule, key } : { verdict: 'unseen', rule: 'unseen', key };
  }
  for (const { table, rule } of TABLES[column]) if (has(table, v)) return { verdict: table[v], rule, key: v };
  return { verdict: 'unseen', rule: 'unseen', key: v };
}

/** The label a value gives (null for none, ambiguous and unseen values). */
export function weakLabelOf(column: WeakColumn, value: string | null | undefined): Label | null {
  const { verdict } = lookupWeak(column, value);
  return verdict === 'none' || verdict === 'ambiguous' || verdict === 'unseen' ? null : verdict;
}

/** roid = 3: a known solar-system object; such alerts get no weak label from any column. */
export const EXCLUDED_ROID = 3;
