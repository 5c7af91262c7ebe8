/**
 * Task, survey, night, strategy, batch sizes, engine, feature set, dust map, label keys; the database location is
 * shown. The survey is the feature set's (FEATURE_SET_SURVEY): choosing one picks its default set, and the feature
 * set, night and held-out choices list that survey's only.
 */
import { useEffect, useState } from 'react';
import type { MethodInput } from '@core/api/contract.js';
import type { HoldoutState, NightCount, Settings, SurveyCount } from '@core/api/types.js';
import { FEATURE_SET_SURVEY } from '@core/features/names.js';
import { featureSetsOf, SURVEY_DEFAULT_FEATURE_SET } from '@core/settings-rules.js';
import { SURVEY_IDS, SURVEY_LABELS } from '@core/surveys/registry.js';
import type { SurveyId } from '@core/surveys/survey.js';
import { LABELS, TASKS, TASK_CLASS_NAMES, type Label } from '@core/labels.js';
import { ENGINE_NAMES, ENGINE_TEXT, type EngineName } from '@core/learn/engines.js';
import { STRATEGIES, STRATEGY_TEXT, type Strategy } from '@core/learn/strategies.js';
import { call, errorText } from '../api/client.js';
import { ACTION_KEYS, LABEL_TEXT } from '../lib/keys.js';
import { LasairTokenForm } from '../components/LasairTokenForm.js';

const FEATURE_SET_TEXT: Record<Settings['featureSet'], string> = {
  seed: "seed (the seed's 21)",
  extended: 'extended (+ b, neighbours, g−r, rates)',
  lsst: 'lsst (Rubin/LSST alerts: per-band fluxes, reliability)',
};
const DUST_CHOICES = [
  ['auto', 'auto (fetched SFD, else bundled)'],
  ['sfd', 'fetched full-resolution SFD'],
  ['lowres', 'bundled SFD (NSIDE 64)'],
  ['none', 'none (ebv missing)'],
] as const;

type Patch = MethodInput<'settings.set'>;

export function SettingsScreen({ settings, onChange }: { settings: Settings; onChange: (s: Settings) => void }) {
  const [keys, setKeys] = useState<Record<Label, string>>(settings.labelKeys);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const [allNights, setNights] = useState<NightCount[]>([]);
  const [surveys, setSurveys] = useState<SurveyCount[]>([]);
  const survey = FEATURE_SET_SURVEY[settings.featureSet];
  const nights = allNights.filter((n) => n.survey === survey);
  const [holdout, setHoldout] = useState<HoldoutState | null>(null);
  const [heldNights, setHeldNights] = useState<string[]>([]);

  useEffect(() => {
    let live = true;
    call('data.summary', {})
      .then((s) => {
        if (!live) return;
        setNights(s.nights);
        setSurveys(s.surveys);
      })
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, []);

  // The held-out set shown is the current survey's part: read it again after a switch.
  useEffect(() => {
    let live = true;
    call('labels.holdout', { action: 'show' })
      .then((h) => live && setHoldout(h))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [survey]);

  // A night chosen for one survey means nothing to another: the switch clears it unless the new survey has it too.
  const switchSurvey = (to: SurveyId) => {
    setHeldNights([]);
    const keepsNight = settings.night === null || allNights.some((n) => n.survey === to && n.night === settings.night);
    void save({ featureSet: SURVEY_DEFAULT_FEATURE_SET[to], ...(keepsNight ? {} : { night: null }) });
  };
  const nightElsewhere = settings.night !== null && allNights.length > 0 && !nights.some((n) => n.night === settings.night);

  const changeHoldout = async (action: 'mark' | 'clear', byNight = false) => {
    setError(null);
    try {
      const input = action === 'clear' ? { action } : byNight ? { action, nights: heldNights } : { action, fraction: 0.2 };
      setHoldout(await call('labels.holdout', input));
    } catch (err) {
      setError(errorText(err));
    }
  };

  const save = async (patch: Patch) => {
    setError(null);
    setSaved(false);
    try {
      onChange(await call('settings.set', patch));
      setSaved(true);
    } catch (err) {
      setError(errorText(err));
    }
  };

  const reserved = new Set(ACTION_KEYS.map((a) => a.key));
  const keyProblems = LABELS.flatMap((l) => {
    const k = keys[l];
    if (k.length !== 1) return [`${LABEL_TEXT[l]}: one character`];
    if (reserved.has(k)) return [`${LABEL_TEXT[l]}: '${k}' is an action key`];
    if (LABELS.some((o) => o !== l && keys[o] === k)) return [`${LABEL_TEXT[l]}: '${k}' used twice`];
    return [];
  });

  return (
    <div className="settings-screen">
      <section className="form">
        <label>
          <span>Task</span>
          <select value={settings.task} onChange={(e) => void save({ task: e.target.value as Settings['task'] })} data-testid="set-task">
            {TASKS.map((t) => (
              <option key={t} value={t}>{t}: {TASK_CLASS_NAMES[t][1]} vs {TASK_CLASS_NAMES[t][0]}</option>
            ))}
          </select>
        </label>
        <label>
          <span>Survey</span>
          <select
            value={survey}
            onChange={(e) => switchSurvey(e.target.value as SurveyId)}
            data-testid="set-survey"
          >
            {SURVEY_IDS.map((id) => (
              <option key={id} value={id}>
                {SURVEY_LABELS[id]} ({surveys.find((x) => x.survey === id)?.alerts ?? 0} alerts)
              </option>
            ))}
          </select>
        </label>
        <label>
          <span>Strategy</span>
          <select value={settings.strategy} onChange={(e) => void save({ strategy: e.target.value as Strategy })} data-testid="set-strategy">
            {STRATEGIES.map((s) => <option key={s} value={s}>{s}: {STRATEGY_TEXT[s]}</option>)}
          </select>
        </label>
        <label>
          <span>Night</span>
          <select
            value={settings.night ?? ''}
            onChange={(e) => void save({ night: e.target.value === '' ? null : e.target.value })}
            data-testid="set-night"
          >
            <option value="">all {SURVEY_LABELS[survey]} nights (round 0 from the busiest)</option>
            {nights.map((n) => (
              <option key={n.night} value={n.night}>
                {n.night}: {n.pool} in the pool, {n.labelled} labelled
              </option>
            ))}
            {nightElsewhere && <option value={settings.night ?? ''}>{settings.night}: no {SURVEY_LABELS[survey]} alerts</option>}
          </select>
        </label>
        {nightElsewhere && (
          <p className="warning small" data-testid="night-elsewhere">
            Night {settings.night} has no {SURVEY_LABELS[survey]} alerts: rounds have nothing to propose. Choose one of
            its nights or all nights.
          </p>
        )}
        <label>
          <span>First batch (N0)</span>
          <NumberField value={settings.n0} onCommit={(n0) => void save({ n0 })} />
        </label>
        <label>
          <span>Later batches (N)</span>
          <NumberField value={settings.n} onCommit={(n) => void save({ n })} />
        </label>
        <label>
          <span>Engine</span>
          <select value={settings.engine} onChange={(e) => void save({ engine: e.target.value as EngineName })} data-testid="set-engine">
            {ENGINE_NAMES.map((v) => <option key={v} value={v}>{v}: {ENGINE_TEXT[v]}</option>)}
          </select>
        </label>
        <label>
          <span>Features</span>
          <select
            value={settings.featureSet}
            onChange={(e) => void save({ featureSet: e.target.value as Settings['featureSet'] })}
            data-testid="set-features"
          >
            {featureSetsOf(survey).map((v) => <option key={v} value={v}>{FEATURE_SET_TEXT[v]}</option>)}
          </select>
        </label>
        <label>
          <span>Dust map (ingest)</span>
          <select value={settings.dust} onChange={(e) => void save({ dust: e.target.value as Settings['dust'] })} data-testid="set-dust">
            {DUST_CHOICES.map(([v, t]) => <option key={v} value={v}>{t}</option>)}
          </select>
        </label>
        <label>
          <span>Headline validation</span>
          <select
            value={settings.cvGroup ?? 'night'}
            onChange={(e) => void save({ cvGroup: e.target.value as 'night' | 'file' })}
            data-testid="set-cv-group"
          >
            <option value="night">whole nights held out</option>
            <option value="file">whole source files held out</option>
          </select>
        </label>
        <label>
          <span>Seed</span>
          <NumberField value={settings.seed} min={0} onCommit={(seed) => void save({ seed })} />
        </label>
        <label>
          <span>Database</span>
          <code className="path" data-testid="db-path">{settings.dbPath}</code>
        </label>
      </section>

      <section>
        <h2>Held-out set ({SURVEY_LABELS[survey]})</h2>
        <p className="muted small">
          Labels kept aside to test each round's model on: never trained on, never proposed. Rounds then log held-out
          metrics beside the cross-validated ones. Each survey has its own part, marked and cleared here while it is
          the current survey.
        </p>
        <p data-testid="holdout-state">
          {holdout && holdout.marked > 0
            ? `${holdout.marked} alert(s) of ${holdout.objects} object(s) held out: ` +
              Object.entries(holdout.perClass)
                .map(([k, v]) => `${k} ${v}`)
                .join(', ')
            : 'none marked'}
        </p>
        {holdout && holdout.marked > 0 ? (
          <button onClick={() => void changeHoldout('clear')}>Clear the held-out set</button>
        ) : (
          <>
            <button onClick={() => void changeHoldout('mark')} data-testid="holdout-mark">
              Hold out 20% of the labels (whole objects, by class)
            </button>
            <fieldset className="holdout-nights" data-testid="holdout-nights">
              <legend className="small">or hold out every alert of these nights (tests each model on nights it never saw)</legend>
              {nights.map((n) => (
                <label key={n.night} className="small">
                  <input
                    type="checkbox"
                    checked={heldNights.includes(n.night)}
                    onChange={(e) =>
                      setHeldNights((h) => (e.target.checked ? [...h, n.night].sort() : h.filter((x) => x !== n.night)))
                    }
                  />{' '}
                  {n.night} ({n.alerts})
                </label>
              ))}
              <button disabled={heldNights.length === 0} onClick={() => void changeHoldout('mark', true)} data-testid="holdout-mark-nights">
                Hold out {heldNights.length} night(s)
              </button>
            </fieldset>
          </>
        )}
      </section>

      <section>
        <h2>Label keys</h2>
        <table className="grid small keys-table">
          <tbody>
            {LABELS.map((l) => (
              <tr key={l}>
                <td>{LABEL_TEXT[l]}</td>
                <td>
                  <input
                    className="key-input"
                    value={keys[l]}
                    maxLength={1}
                    onChange={(e) => setKeys({ ...keys, [l]: e.target.value.toLowerCase() })}
                    aria-label={`key for ${LABEL_TEXT[l]}`}
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {keyProblems.map((p) => <p className="error" key={p}>{p}</p>)}
        <button disabled={keyProblems.length > 0} onClick={() => void save({ labelKeys: keys })}>Save keys</button>
        <p className="muted small">Fixed keys: s skip, z undo, ← → move, l Lasair, f Fink, ? help.</p>
      </section>
      <LasairTokenForm />
      {error && <p className="error" role="alert">{error}</p>}
      {saved && <p className="note">Saved.</p>}
    </div>
  );
}

function NumberField({ value, onCommit, min = 1 }: { value: number; onCommit: (n: number) => void; min?: number }) {
  const [text, setText] = useState(String(value));
  const commit = () => {
    const n = Number(text);
    if (Number.isInteger(n) && n >= min && n !== value) onCommit(n);
    else setText(String(value));
  };
  return (
    <input
      type="number"
      min={min}
      value={text}
      onChange={(e) => setText(e.target.value)}
      onBlur={commit}
      onKeyDown={(e) => e.key === 'Enter' && commit()}
    />
  );
}
