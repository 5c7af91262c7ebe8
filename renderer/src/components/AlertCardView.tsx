/** One alert card: identity, model view, label buttons, Fink's information, features, light curve, cutouts. */
import { memo, useState } from 'react';
import type { CardContext, LoopState, ObjectLabel } from '@core/api/types.js';
import { FEATURE_NAMES } from '@core/features/names.js';
import { LABELS, type Label } from '@core/labels.js';
import { openExternal } from '../api/client.js';
import type { PreparedCard } from '../lib/cardCache.js';
import { BAND_NAME, FEATURE_UNITS, decDms, fmt, fmtPct, raHms } from '../lib/format.js';
import { LABEL_TEXT, type Action } from '../lib/keys.js';
import { jdDate } from '../lib/lc-readout.js';
import { Cutouts } from './Cutouts.js';
import { LightCurve, LightCurveLegend } from './LightCurve.js';
import { LsstLightCurve } from './LsstLightCurve.js';
import { LsstPanel } from './LsstPanel.js';
import { jdToMjd } from '../lib/lsst-lightcurve.js';
import { SURVEY_NAME } from '../lib/survey.js';

interface Props {
  prepared: PreparedCard;
  item: LoopState['batch'][number];
  position: number;
  total: number;
  labelKeys: Record<Label, string>;
  onLabel: (l: Label) => void;
  onAction: (a: Action) => void;
  /** The task's class 1, named in the probability (P(galactic)). */
  positiveClass?: string;
}

export const AlertCardView = memo(function AlertCardView({ prepared, item, position, total, labelKeys, onLabel, onAction, positiveClass }: Props) {
  const { card, cutouts, lc } = prepared;
  const current = item.label;
  const lsst = card.survey === 'lsst' ? card.lsst : null;
  return (
    <article className="card" data-testid="card" data-candid={card.candid}>
      <section className="card-main">
        <header className="card-head">
          <h2>
            <span className={`survey-badge ${card.survey}`} data-testid="survey-badge">{SURVEY_NAME[card.survey]}</span>{' '}
            <span data-testid="objectId">{card.objectId}</span>
            {position >= 0 && <span className="muted small"> #{position + 1} of {total}</span>}
          </h2>
          <div className="ids">
            <span>candid <code>{card.candid}</code> <Copy text={card.candid} /></span>
            <span>{card.date.replace('T', ' ').replace(/\.\d+Z$|Z$/, '')} UTC · night {card.night}</span>
          </div>
          <div className="ids">
            <span>
              RA <code>{card.ra.toFixed(6)}</code> ({raHms(card.ra)}) · Dec <code>{card.dec.toFixed(6)}</code> ({decDms(card.dec)})
              <Copy text={`${card.ra.toFixed(6)} ${card.dec.toFixed(6)}`} />
            </span>
          </div>
          {lsst ? (
            <div className="ids">
              <span>
                {lsst.band ?? '?'} = {fmt(lsst.psfFlux, 1)} ± {fmt(lsst.psfFluxErr, 1)} nJy
                {card.magpsf !== null && <> ({fmt(card.magpsf, 2)} ± {fmt(card.sigmapsf, 2)} mag)</>}
              </span>
              <span>reliability {fmt(lsst.reliability, 3)}</span>
            </div>
          ) : (
            <div className="ids">
              <span>
                {BAND_NAME[card.fid] ?? `fid ${card.fid}`} = {fmt(card.magpsf, 2)} ± {fmt(card.sigmapsf, 2)} mag
              </span>
              <span>drb {fmt(card.drb, 3)}</span>
              <span>rb {fmt(card.rb, 3)}</span>
            </div>
          )}
        </header>

        <div className="model-box" data-testid="model-box">
          <div>
            <span className="k">P({positiveClass ?? 'class 1'})</span>
            <span className="v">{item.prob === null ? 'no model yet' : fmtPct(item.prob)}</span>
          </div>
          <div>
            <span className="k">query score</span>
            <span className="v">{fmt(item.score, 3)}</span>
          </div>
          <div>
            <span className="k">strategy</span>
            <span className="v">{item.strategy}</span>
          </div>
          <div className="reason">{item.reason}</div>
        </div>

        <div className="label-buttons" role="group" aria-label="labels">
          {LABELS.map((l) => (
            <button key={l} className={current === l ? 'chosen' : ''} onClick={() => onLabel(l)} aria-pressed={current === l}>
              <kbd>{labelKeys[l]}</kbd> {LABEL_TEXT[l]}
            </button>
          ))}
          <button onClick={() => onAction({ kind: 'skip' })}><kbd>s</kbd> skip</button>
          <button onClick={() => onAction({ kind: 'undo' })}><kbd>z</kbd> undo</button>
        </div>
        <div className="current-label" data-testid="current-label">
          {current ? <>labelled <strong>{LABEL_TEXT[current]}</strong></> : <span className="muted">not labelled</span>}
          <span className="links">
            {card.links.lasair && (
              <button className="linkish" onClick={() => onAction({ kind: 'lasair' })}>Lasair (l)</button>
            )}
            {card.links.fink && (
              <button className="linkish" onClick={() => openExternal(card.links.fink as string)}>Fink (f)</button>
            )}
          </span>
        </div>
        <ObjectLabels labels={card.objectLabels} />

        {lsst && <LsstPanel lsst={lsst} />}
        <ContextPanel context={card.context} ztf={!lsst} />
        <FeatureTable features={card.features} ztf={!lsst} />
      </section>

      <section className="card-side">
        {lsst ? (
          <LsstLightCurve lsst={lsst} mjd={jdToMjd(card.jd)} />
        ) : (
          <div className="panel">
            <div className="panel-title">
              Light curve <LightCurveLegend />
            </div>
            <LightCurve series={lc} />
          </div>
        )}
        <div className="panel">
          <div className="panel-title">Cutouts (zscale)</div>
          <Cutouts cutouts={cutouts} />
        </div>
        <FinkInfo fink={card.fink} ztf={!lsst} />
      </section>
    </article>
  );
});

/** Another alert of this object was labelled: the scanner must know before judging this one. */
function ObjectLabels({ labels }: { labels: ObjectLabel[] }) {
  if (labels.length === 0) return null;
  return (
    <div className="object-labels" data-testid="object-labels" role="note">
      This object was labelled before:{' '}
      {labels.map((l, i) => (
        <span key={l.candid}>
          {i > 0 && '; '}
          <strong>{LABEL_TEXT[l.label]}</strong> (alert of {jdDate(l.jd)}, candid <code>{l.candid}</code>)
        </span>
      ))}
    </div>
  );
}

const ZTF_PIXEL_ARCSEC = 1.01;

/**
 * What a scanner judges by besides the photometry: neighbours in PS1, the reference image and Gaia, asteroids, sky.
 * Only the sky part for LSST (`ztf` false): the rest are ZTF fields, and the LSST panel has its own sign and asteroid.
 */
function ContextPanel({ context: c, ztf }: { context: CardContext; ztf: boolean }) {
  const sg = c.sgscore1 === null ? null : c.sgscore1 >= 0.5 ? 'star-like' : 'galaxy-like';
  return (
    <div className="panel context" data-testid="card-context">
      <div className="panel-title">Context</div>
      <dl className="kv">
        {ztf && (
          <>
            <dt>difference (isdiffpos)</dt>
            <dd data-testid="ctx-isdiffpos">
              {c.isdiffpos === 't' ? 'positive: brighter than the template' : c.isdiffpos === 'f' ? 'negative: fainter than the template' : '—'}
            </dd>
            <dt>PS1 nearest (sgscore1, distpsnr1)</dt>
            <dd>
              {fmt(c.sgscore1, 3)}{sg && <span className="muted"> ({sg})</span>} at {fmt(c.distpsnr1, 2)}″
            </dd>
            <dt>reference source (distnr, magnr)</dt>
            <dd>
              {c.distnr === null ? '—' : `${fmt(c.distnr, 2)} px (${fmt(c.distnr * ZTF_PIXEL_ARCSEC, 2)}″)`}, {fmt(c.magnr, 2)} mag
            </dd>
            <dt>Gaia neighbour (neargaia, maggaia)</dt>
            <dd>{c.neargaia === null ? 'none' : `${fmt(c.neargaia, 2)}″, G ${fmt(c.maggaia, 2)} mag`}</dd>
            <dt>solar system (ssnamenr, ssdistnr)</dt>
            <dd data-testid="ctx-sso">
              {c.ssnamenr === null && c.ssdistnr === null ? 'no known object near' : `${c.ssnamenr ?? '?'} at ${fmt(c.ssdistnr, 1)}″`}
            </dd>
          </>
        )}
        <dt>Galactic latitude b</dt>
        <dd data-testid="ctx-galb">{fmt(c.galB, 2)}°</dd>
        <dt>E(B-V) (SFD)</dt>
        <dd data-testid="ctx-ebv">{fmt(c.ebv, 3)} mag</dd>
      </dl>
    </div>
  );
}

/** Fink's classification; for LSST (`ztf` false) only what is filled: roid and the scores are ZTF's. */
function FinkInfo({ fink, ztf }: { fink: PreparedCard['card']['fink']; ztf: boolean }) {
  if (!ztf) return <LsstFinkInfo fink={fink} />;
  const scores = Object.entries(fink.scores).sort(([a], [b]) => a.localeCompare(b));
  return (
    <div className="panel fink" data-testid="fink-info">
      <div className="panel-title">Fink</div>
      <dl className="kv">
        <dt>cdsxmatch</dt>
        <dd>{fink.cdsxmatch ?? '—'}</dd>
        <dt>finkclass</dt>
        <dd>{fink.finkclass ?? '—'}</dd>
        <dt>tnsclass</dt>
        <dd>{fink.tnsclass ?? '—'}</dd>
        <dt>roid</dt>
        <dd>{fink.roid === null ? '—' : `${fink.roid}${fink.roid === 3 ? ' (known asteroid)' : ''}`}</dd>
        {scores.map(([k, v]) => (
          <Fragmentless key={k} k={k} v={fmt(v, 3)} />
        ))}
      </dl>
    </div>
  );
}

function LsstFinkInfo({ fink }: { fink: PreparedCard['card']['fink'] }) {
  const shown = (['cdsxmatch', 'finkclass', 'tnsclass'] as const).filter((k) => fink[k] !== null);
  if (shown.length === 0) return null;
  return (
    <div className="panel fink" data-testid="fink-info">
      <div className="panel-title">Fink</div>
      <dl className="kv">
        {shown.map((k) => (
          <Fragmentless key={k} k={k} v={fink[k] as string} />
        ))}
      </dl>
    </div>
  );
}

function Fragmentless({ k, v }: { k: string; v: string }) {
  return (
    <>
      <dt>{k}</dt>
      <dd>{v}</dd>
    </>
  );
}

/** The ZTF set's names in order, then any others; an LSST card lists the features it has. */
function FeatureTable({ features, ztf }: { features: Record<string, number | null>; ztf: boolean }) {
  const others = Object.keys(features).filter((k) => !ztf || !(FEATURE_NAMES as readonly string[]).includes(k));
  const names = ztf ? [...FEATURE_NAMES, ...others] : others;
  return (
    <div className="panel">
      <div className="panel-title">Features</div>
      <table className="stats" data-testid="features">
        <tbody>
          {names.map((n) => (
            <tr key={n}>
              <th>{n}</th>
              <td>{fmt(features[n])}</td>
              <td className="unit">{FEATURE_UNITS[n] ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Copy({ text }: { text: string }) {
  const [ok, setOk] = useState(false);
  return (
    <button
      className="copy"
      title="Copy"
      onClick={() =>
        void navigator.clipboard.writeText(text).then(() => {
          setOk(true);
          setTimeout(() => setOk(false), 1200);
        })
      }
    >
      {ok ? 'copied' : 'copy'}
    </button>
  );
}
