/** How the model improves: metrics per round, permutation importance, class balance, the runs, exports. */
import { useEffect, useMemo, useState } from 'react';
import type { RunDetail, RunSummary } from '@core/api/types.js';
import { SURVEY_LABELS } from '@core/surveys/registry.js';
import type { SurveyId } from '@core/surveys/survey.js';
import { call, errorText, saveBase64, saveText } from '../api/client.js';
import { LinePlot, type LineSeries } from '../components/LinePlot.js';
import { balanceKeyText, classNamesOf, trainingBalanceText } from '../lib/balance.js';
import { fmt } from '../lib/format.js';
import { cvHeadline } from '@core/track/headline.js';
import { KIND_TEXT, groupMetrics } from '../lib/metrics.js';

const UNIT_RANGE: [number, number] = [0, 1];
const COLOURS = { night: '#d62728', cv: '#1f77b4', holdout: '#2ca02c', train: '#ff7f0e', other: '#7f7f7f' } as const;

export function ModelScreen() {
  const [runs, setRuns] = useState<RunSummary[] | null>(null);
  const [experiment, setExperiment] = useState<string | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const [detail, setDetail] = useState<RunDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [xAxis, setXAxis] = useState<'round' | 'nTrain'>('round');

  useEffect(() => {
    call('runs.list', {})
      .then((r) => {
        setRuns(r);
        if (r.length) {
          setExperiment(r[0].experiment);
          setSelected(r[0].runId);
        }
      })
      .catch((err: unknown) => setError(errorText(err)));
  }, []);

  useEffect(() => {
    if (!selected) return;
    call('runs.get', { runId: selected })
      .then(setDetail)
      .catch((err: unknown) => setError(errorText(err)));
  }, [selected]);

  const experiments = useMemo(() => [...new Set((runs ?? []).map((r) => r.experiment))], [runs]);
  // Oldest first for the plots.
  const inExp = useMemo(
    () => (runs ?? []).filter((r) => r.experiment === experiment).slice().sort((a, b) => a.round - b.round || a.startedAt.localeCompare(b.startedAt)),
    [runs, experiment],
  );
  const x = useMemo(() => inExp.map((r) => (xAxis === 'round' ? r.round : r.nTrain)), [inExp, xAxis]);
  const groups = useMemo(
    () =>
      groupMetrics(inExp).map((g) => ({
        base: g.base,
        series: g.series.map<LineSeries>((s) => ({
          label: KIND_TEXT[s.kind] ? `${KIND_TEXT[s.kind]}` : s.key,
          values: s.values,
          colour: COLOURS[s.kind],
          dash: s.kind === 'train' || s.kind === 'cv' ? [6, 4] : undefined,
        })),
      })),
    [inExp],
  );

  // Runs are chosen by keyboard as well: ↑/↓ move the selection (and focus), Enter or Space selects the focused row.
  // Only the selected row is a Tab stop (roving tabindex): Tab passes the table in one step, however many runs.
  const runKey = (e: React.KeyboardEvent<HTMLTableRowElement>, i: number) => {
    if (!runs) return;
    const to = e.key === 'ArrowDown' ? i + 1 : e.key === 'ArrowUp' ? i - 1 : e.key === 'Enter' || e.key === ' ' ? i : -1;
    if (to < 0 || to >= runs.length) return;
    e.preventDefault();
    setSelected(runs[to].runId);
    const row = e.currentTarget.parentElement?.children[to];
    if (row instanceof HTMLElement) row.focus();
  };

  const exportRun = async (runId: string) => {
    try {
      const { filename, json } = await call('runs.export', { runId });
      await saveText(filename, json, 'application/json');
    } catch (err) {
      setError(errorText(err));
    }
  };

  // The selected run's model (else the latest of the current task) as ONNX: for scoring outside the app.
  const exportOnnx = async () => {
    try {
      const { filename, base64 } = await call('model.exportOnnx', selected ? { runId: selected } : {});
      await saveBase64(filename, base64);
    } catch (err) {
      setError(errorText(err));
    }
  };

  if (error && !runs) return <p className="error">{error}</p>;
  if (!runs) return <div className="screen-msg">Loading…</div>;
  if (runs.length === 0)
    return (
      <div className="screen-msg" data-testid="no-runs">
        <p>No model yet: label the first batch and the first round trains by itself.</p>
        <ExportButtons onError={setError} />
      </div>
    );

  return (
    <div className="model-screen">
      <div className="toolbar">
        {experiments.length > 1 && (
          <label>
            experiment{' '}
            <select value={experiment ?? ''} onChange={(e) => setExperiment(e.target.value)}>
              {experiments.map((e) => (
                <option key={e}>{e}</option>
              ))}
            </select>
          </label>
        )}
        <label>
          x axis{' '}
          <select value={xAxis} onChange={(e) => setXAxis(e.target.value as 'round' | 'nTrain')}>
            <option value="round">round</option>
            <option value="nTrain">labels used</option>
          </select>
        </label>
        <span className="muted small">
          Solid: by night (whole nights held out: what to expect on the next night) and held-out set · dashed: by
          object within the same nights and training set (optimistic).
        </span>
        <ExportButtons onError={setError} />
        <button onClick={() => void exportOnnx()} data-testid="export-onnx" title="The selected run's model, for scoring where the alerts flow (docs/deploy.md)">
          Export model (ONNX)
        </button>
      </div>
      {error && <p className="error">{error}</p>}
      {inExp.length === 1 && (
        <p className="muted small">One trained round so far: each plot gains a point per round as you label.</p>
      )}

      <section className="plots" data-testid="metric-plots">
        {groups.map((g) => (
          <div className="panel" key={g.base}>
            <LinePlot
              title={g.base.replace(/_/g, ' ')}
              x={x}
              xLabel={xAxis === 'round' ? 'round' : 'labels'}
              series={g.series}
              yRange={/log_?loss|brier/i.test(g.base) ? undefined : UNIT_RANGE}
            />
          </div>
        ))}
      </section>

      {detail && <RunDetailView detail={detail} />}

      <section>
        <h2>Runs</h2>
        <table className="grid small" data-testid="runs">
          <thead>
            <tr>
              <th>name</th><th>experiment</th><th>survey · features</th><th>round</th><th>strategy</th><th>engine</th><th>labels</th>
              <th>status</th><th>started</th><th></th>
            </tr>
          </thead>
          <tbody>
            {runs.map((r, i) => (
              <tr
                key={r.runId}
                className={r.runId === selected ? 'selected' : ''}
                onClick={() => setSelected(r.runId)}
                tabIndex={r.runId === selected ? 0 : -1}
                aria-selected={r.runId === selected}
                data-testid="run-row"
                onKeyDown={(e) => runKey(e, i)}
              >
                <td>{r.name}</td><td>{r.experiment}</td>
                <td data-testid="run-survey">{r.survey ? `${SURVEY_LABELS[r.survey]} · ${r.featureSet}` : '—'}</td><td>{r.round}</td><td>{r.strategy}</td><td>{r.engine}</td>
                <td>{r.nTrain}</td><td>{r.status}</td><td>{r.startedAt.slice(0, 19).replace('T', ' ')}</td>
                <td>
                  <button className="small" onClick={(e) => { e.stopPropagation(); void exportRun(r.runId); }}>
                    export
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </div>
  );
}

function RunDetailView({ detail }: { detail: RunDetail }) {
  const classes = classNamesOf(detail.params.task);
  const imp = [...detail.importance].sort((a, b) => b.mean - a.mean).slice(0, 20);
  const max = Math.max(1e-12, ...imp.map((i) => i.mean + i.std));
  return (
    <section className="run-detail" data-testid="run-detail">
      <h2>
        {detail.name}{' '}
        <span className="muted small" data-testid="run-detail-survey">
          ({detail.params.survey ? `${SURVEY_LABELS[detail.params.survey as SurveyId] ?? detail.params.survey}, ` : ''}
          {detail.params.feature_set ? `${detail.params.feature_set} features, ` : ''}
          {detail.engine}, {detail.nTrain} labels)
        </span>
      </h2>
      <div className="headline" data-testid="cv-headline">
        {cvHeadline(detail.metrics, detail.tags['cv_night.unit'] === 'file' ? 'file' : 'night').map((l) => (
          <p key={l} className={l.includes('optimistic') ? 'muted small' : undefined}>{l}</p>
        ))}
      </div>
      <div className="two-col">
        <div className="panel">
          <div className="panel-title">Permutation importance (held-out, mean ± std)</div>
          {imp.length === 0 ? (
            <p className="muted">Not computed for this run.</p>
          ) : (
            <div className="bars" data-testid="importance">
              {imp.map((i) => (
                <div className="bar-row" key={i.feature}>
                  <span className="bar-label">{i.feature}</span>
                  <span className="bar-track">
                    <span className="bar" style={{ width: `${(Math.max(0, i.mean) / max) * 100}%` }} />
                    <span className="bar-err" style={{ left: `${(Math.max(0, i.mean - i.std) / max) * 100}%`, width: `${((Math.min(i.mean, i.std) + i.std) / max) * 100}%` }} />
                  </span>
                  <span className="bar-value">{fmt(i.mean, 3)}</span>
                </div>
              ))}
            </div>
          )}
        </div>
        <div className="panel">
          <div className="panel-title">Class balance</div>
          {detail.balance ? (
            <div className="balance" data-testid="balance">
              <p className="balance-words" data-testid="balance-words">{trainingBalanceText(detail.balance.train, classes)}</p>
              <BalanceList title="training labels" counts={detail.balance.train} />
              <BalanceList title="this batch" counts={detail.balance.batch} />
              <BalanceList title="pool (predicted)" counts={detail.balance.poolPredicted} />
            </div>
          ) : (
            <p className="muted">Not recorded.</p>
          )}
          {detail.balance?.warnings.map((w) => <p className="warning" key={w}>{w}</p>)}
          {detail.confusion && (
            <>
              <div className="panel-title">Confusion (cross-validated by object; rows true, columns predicted)</div>
              <table className="grid small confusion" data-testid="confusion">
                <thead>
                  <tr>
                    <th scope="col">true ↓ · predicted →</th>
                    {detail.confusion[0]?.map((_, j) => <th scope="col" key={j}>{classes[j] ?? `class ${j}`}</th>)}
                  </tr>
                </thead>
                <tbody>
                  {detail.confusion.map((row, i) => (
                    <tr key={i}>
                      <th scope="row">{classes[i] ?? `class ${i}`}</th>
                      {row.map((v, j) => <td key={j}>{v}</td>)}
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          )}
          <div className="panel-title">Metrics of this run</div>
          <dl className="kv small">
            {Object.entries(detail.metrics).map(([k, v]) => (
              <KV key={k} k={k} v={fmt(v, 4)} />
            ))}
          </dl>
        </div>
      </div>
    </section>
  );
}

function BalanceList({ title, counts }: { title: string; counts: Record<string, number> }) {
  const entries = Object.entries(counts);
  return (
    <div>
      <div className="balance-title">{title}</div>
      {entries.length === 0 ? (
        <span className="muted small">—</span>
      ) : (
        <dl className="kv small">
          {entries.map(([k, v]) => (
            <KV key={k} k={balanceKeyText(k)} v={fmt(v, 3)} />
          ))}
        </dl>
      )}
    </div>
  );
}

function KV({ k, v }: { k: string; v: string }) {
  return (
    <>
      <dt>{k}</dt>
      <dd>{v}</dd>
    </>
  );
}

/** The labelled set, full or in the seed's labeled.csv layout. */
export function ExportButtons({ onError }: { onError: (e: string) => void }) {
  const exportCsv = async (format: 'full' | 'seed') => {
    try {
      const { filename, csv } = await call('labels.exportCsv', { format });
      await saveText(filename, csv);
    } catch (err) {
      onError(errorText(err));
    }
  };
  return (
    <span className="export-buttons">
      <button onClick={() => void exportCsv('full')} data-testid="export-full">Export labels CSV</button>
      <button onClick={() => void exportCsv('seed')} data-testid="export-seed">Export labeled.csv (seed)</button>
    </span>
  );
}
