/**
 * What an LSST alert carries besides the common fields: the diaSource's measurements and flags, its diaObject's
 * per-band summary, the solar-system match, and the ids as exact strings.
 */
import type { LsstCard } from '@core/api/types.js';
import { fmt } from '../lib/format.js';
import { diaObjectRows, setFlags, yesNo } from '../lib/lsst-card.js';

export function LsstPanel({ lsst: l }: { lsst: LsstCard }) {
  const flags = setFlags(l.flags);
  return (
    <div className="panel lsst" data-testid="lsst-panel">
      <div className="panel-title">Rubin/LSST source</div>
      <dl className="kv">
        <dt>diaSourceId</dt>
        <dd><code data-testid="lsst-diaSourceId">{l.diaSourceId}</code></dd>
        <dt>diaObjectId</dt>
        <dd><code data-testid="lsst-diaObjectId">{l.diaObjectId ?? '—'}</code></dd>
        <dt>band, psfFlux</dt>
        <dd data-testid="lsst-psfFlux">
          {l.band ?? '?'} {fmt(l.psfFlux, 1)} ± {fmt(l.psfFluxErr, 1)} nJy
          {l.isNegative ? <span className="muted"> (negative difference)</span> : null}
        </dd>
        <dt>snr</dt>
        <dd data-testid="lsst-snr">{fmt(l.snr, 1)}</dd>
        <dt>reliability</dt>
        <dd data-testid="lsst-reliability">{fmt(l.reliability, 3)}</dd>
        <dt>extendedness</dt>
        <dd data-testid="lsst-extendedness">{fmt(l.extendedness, 3)}</dd>
        <dt>isDipole</dt>
        <dd data-testid="lsst-isDipole">{yesNo(l.isDipole)}</dd>
        <dt>isNegative</dt>
        <dd data-testid="lsst-isNegative">{yesNo(l.isNegative)}</dd>
        <dt>trail / streak flags</dt>
        <dd data-testid="lsst-flags">
          {flags.set.length ? flags.set.join(', ') : 'none set'}
          {flags.unknown.length > 0 && <span className="muted"> ({flags.unknown.join(', ')}: not in this schema)</span>}
          {l.trailLength !== null && <span className="muted"> · trailLength {fmt(l.trailLength, 2)}</span>}
        </dd>
        <dt>solar system</dt>
        <dd data-testid="lsst-sso">
          {l.ssObjectId || l.ssDesignation ? (
            <>
              {l.ssDesignation ?? '?'} (ssObjectId <code>{l.ssObjectId ?? '—'}</code>)
            </>
          ) : (
            'no known object matched'
          )}
        </dd>
        <dt>schema</dt>
        <dd data-testid="lsst-schema">
          {l.schemaVersion}
          {l.declaredVersion && <span className="muted"> (file says {l.declaredVersion})</span>}
        </dd>
      </dl>
      <DiaObjectTable diaObject={l.diaObject} />
    </div>
  );
}

function DiaObjectTable({ diaObject }: { diaObject: Record<string, number> }) {
  const { rows, nDiaSources } = diaObjectRows(diaObject);
  return (
    <div className="lsst-diaobject">
      <div className="small">
        {nDiaSources === null && rows.length === 0 ? (
          <span className="muted">no diaObject summary</span>
        ) : (
          <>diaObject: <span data-testid="lsst-nDiaSources">{nDiaSources ?? '—'}</span> diaSources</>
        )}
      </div>
      {rows.length > 0 && (
        <table className="stats" data-testid="lsst-diaobject">
          <thead>
            <tr>
              <th>band</th>
              <th>psfFluxMean</th>
              <th>psfFluxSigma</th>
              <th>psfFluxNdata</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.band} data-band={r.band}>
                <th>{r.band}</th>
                <td>{fmt(r.mean, 1)}</td>
                <td>{fmt(r.sigma, 1)}</td>
                <td>{fmt(r.ndata)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {rows.length > 0 && <div className="muted small">fluxes in nJy</div>}
    </div>
  );
}
