/** One alert card: identity, model view, label buttons, Fink's information, features, light curve, cutouts. */
import { memo, useState } from 'react';
import type { LoopState } from '../../../core/api/types.js';
import { FEATURE_NAMES } from '../../../core/features/names.js';
import { LABELS, type Label } from '../../../core/labels.js';
import { openExternal } from '../api/client.js';
import type { PreparedCard } from '../lib/cardCache.js';
import { BAND_NAME, FEATURE_UNITS, decDms, fmt, fmtPct, raHms } from '../lib/format.js';
import { LABEL_TEXT, type Action } from '../lib/keys.js';
import { Cutouts } from './Cutouts.js';
import { LightCurve, LightCurveLegend } from './LightCurve.js';

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
  return (
    <article className="card" data-testid="card" data-candid={card.candid}>
      <section className="card-main">
        <header className="card-head">
          <h2>
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
          <div className="ids">
            <span>
              {BAND_NAME[card.fid] ?? `fid ${card.fid}`} = {fmt(card.magpsf, 2)} ± {fmt(card.sigmapsf, 2)} mag
            </span>
            <span>drb {fmt(card.drb, 3)}</span>
            <span>rb {fmt(card.rb, 3)}</span>
          </div>
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
            <button className="linkish" onClick={() => onAction({ kind: 'lasair' })}>Lasair (l)</button>
            <button className="linkish" onClick={() => openExternal(card.links.fink)}>Fink (f)</button>
          </span>
        </div>

        <FeatureTable features={card.features} />
      </section>

      <section className="card-side">
        <div className="panel">
          <div className="panel-title">
            Light curve <LightCurveLegend />
          </div>
          <LightCurve series={lc} />
        </div>
        <div className="panel">
          <div className="panel-title">Cutouts (zscale)</div>
          <Cutouts cutouts={cutouts} />
        </div>
        <FinkInfo fink={card.fink} />
      </section>
    </article>
  );
});

function FinkInfo({ fink }: { fink: PreparedCard['card']['fink'] }) {
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

function Fragmentless({ k, v }: { k: string; v: string }) {
  return (
    <>
      <dt>{k}</dt>
      <dd>{v}</dd>
    </>
  );
}

function FeatureTable({ features }: { features: Record<string, number | null> }) {
  const names = [...FEATURE_NAMES, ...Object.keys(features).filter((k) => !(FEATURE_NAMES as readonly string[]).includes(k))];
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
