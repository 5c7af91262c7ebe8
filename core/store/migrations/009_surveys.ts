import type { Migration } from '../migration.js';

/**
 * A store holds alerts of several surveys. `alerts` keeps what every survey has (candid = the survey's alert id as an
 * exact decimal string: ZTF candid, LSST diaSourceId; object_id; jd; night; ra; dec); alerts written before this
 * migration are ZTF's. What only LSST alerts carry sits in `lsst_alerts`, one row per LSST alert.
 *
 * For LSST alerts: object_id is diaObjectId, or `ss:<ssObjectId>` for a solar-system source without a diaObject,
 * or `src:<diaSourceId>` when the alert has neither; fid is 0 (the band is lsst_alerts.band); jd is
 * midpointMjdTai + 2400000.5; night is Rubin's dayObs (the date at UTC−12h); magpsf/sigmapsf are the AB magnitude of
 * psfFlux when positive, else NULL; the ZTF-only columns are NULL. Their light curve in alert_lc has its own format
 * (core/surveys/lsst/packed-lc.ts).
 */
export const migration: Migration = {
  version: 9,
  name: 'surveys',
  up: `
    ALTER TABLE alerts ADD COLUMN survey TEXT NOT NULL DEFAULT 'ztf';
    CREATE INDEX alerts_survey_night ON alerts(survey, night);

    CREATE TABLE lsst_alerts (
      candid TEXT PRIMARY KEY REFERENCES alerts(candid),
      dia_object_id TEXT,
      ss_object_id TEXT,
      ss_designation TEXT,
      -- What the fields say ('7.x', '8.0/9.0', '10.0'), and what the file declares (lsst_schema_version), if anything.
      schema_version TEXT NOT NULL,
      declared_version TEXT,
      band TEXT,
      psf_flux REAL,
      psf_flux_err REAL,
      science_flux REAL,
      science_flux_err REAL,
      snr REAL,
      reliability REAL,
      extendedness REAL,
      is_dipole INTEGER,
      is_negative INTEGER,
      trail_flag_edge INTEGER,
      glint_trail INTEGER,
      trail_length REAL,
      pixel_flags_streak INTEGER,
      -- The diaObject summary fields present (per-band <b>_psfFluxMean ..., nDiaSources, ...), NaN ones left out.
      dia_object_json TEXT NOT NULL DEFAULT '{}'
    ) WITHOUT ROWID;
    CREATE INDEX lsst_alerts_object ON lsst_alerts(dia_object_id);
  `,
};
