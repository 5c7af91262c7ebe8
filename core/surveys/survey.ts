/**
 * A survey whose alerts Fink distributes (ZTF, Rubin/LSST): everything that differs between them sits behind this
 * interface — how a file is recognised, its ids, its photometry model, its bands, its features, its card fields, its
 * weak-label columns and its broker links. The LSST side is in ./lsst; the ZTF side in ./ztf (over core/alerts,
 * core/features, core/weak and core/urls.ts). registry.ts lists them; file-survey.ts tells a file's survey.
 */

export type SurveyId = 'ztf' | 'lsst';

/** A file's schema as the recogniser sees it, parquet (Arrow) or avro alike. */
export interface SchemaShape {
  /** Top-level field names. */
  fields: string[];
  /** Child names of the top-level structs (records), by top-level name. */
  children: Record<string, string[]>;
}

/** How a survey's light curve is measured: ZTF sends magnitudes with upper limits, LSST difference fluxes in nJy. */
export type PhotometryModel = 'magnitude' | 'flux-nJy';

/** The fields a row of the survey's alerts is keyed by, as dotted paths in its files. */
export interface SurveyIds {
  /** The astrophysical object (ZTF `objectId`, LSST `diaObject.diaObjectId`): kept as an exact string. */
  object: string;
  /** One alert (ZTF `candid`, LSST `diaSourceId`): a 64-bit integer kept as an exact decimal string. */
  alert: string;
}

/** What the links of one alert are built from (ids as exact strings; null when absent). */
export interface LinkSubject {
  objectId: string | null;
  /** LSST solar-system sources: the packed designation of the matched known object. */
  solarSystemDesignation?: string | null;
}

export interface SurveyLinks {
  /** Lasair's object page, or null when Lasair has none for this alert. */
  lasair(subject: LinkSubject): string | null;
  /** Fink's portal page, or null. */
  fink(subject: LinkSubject): string | null;
  /** Hosts a side pane showing these pages may navigate within. */
  paneHosts: readonly string[];
}

export interface Survey {
  id: SurveyId;
  /** For people: "ZTF", "Rubin/LSST". */
  label: string;
  /** True when a file with this schema holds this survey's alerts. */
  recognise(shape: SchemaShape): boolean;
  ids: SurveyIds;
  bands: readonly string[];
  photometry: PhotometryModel;
  /** Names of the feature sets the survey offers, and the columns of each. */
  featureSets: Readonly<Record<string, readonly string[]>>;
  /** Alert fields shown on the labelling card, as dotted paths. */
  cardFields: readonly string[];
  /** Columns the weak-label step may read, as dotted paths. */
  weakLabelColumns: readonly string[];
  links: SurveyLinks;
}
