/**
 * The window: a top bar with the four screens, the current survey and the store's mix of surveys; settings are loaded
 * once and shared (label keys, the survey).
 */
import { useEffect, useState } from 'react';
import type { Settings, StoreInfo, SurveyCount } from '@core/api/types.js';
import { FEATURE_SET_SURVEY } from '@core/features/names.js';
import { SURVEY_LABELS } from '@core/surveys/registry.js';
import { call, errorText, isElectron } from './api/client.js';
import { DataScreen } from './screens/DataScreen.js';
import { LabelScreen } from './screens/LabelScreen.js';
import { ModelScreen } from './screens/ModelScreen.js';
import { SettingsScreen } from './screens/SettingsScreen.js';

const SCREENS = ['Data', 'Label', 'Model', 'Settings'] as const;
type Screen = (typeof SCREENS)[number];

function initialScreen(): Screen {
  const h = decodeURIComponent(location.hash.slice(1));
  return (SCREENS as readonly string[]).includes(h) ? (h as Screen) : 'Label';
}

export function App() {
  const [screen, setScreen] = useState<Screen>(initialScreen);
  const [settings, setSettings] = useState<Settings | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [store, setStore] = useState<StoreInfo | null>(null);
  const [mix, setMix] = useState<SurveyCount[]>([]);

  useEffect(() => {
    call('settings.get', {})
      .then(setSettings)
      .catch((err: unknown) => setError(errorText(err)));
    call('app.store', {})
      .then(setStore)
      .catch((err: unknown) => setError(errorText(err)));
  }, []);

  // The mix changes with ingests (Data screen) and is cheap to read: again on every screen change.
  useEffect(() => {
    let live = true;
    call('data.summary', {})
      .then((s) => live && setMix(s.surveys))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [screen]);

  const open = (s: Screen) => {
    setScreen(s);
    history.replaceState(null, '', `#${s}`);
  };

  return (
    <div className="app">
      <nav className="topbar">
        <span className="brand">Fink VRA</span>
        {SCREENS.map((s) => (
          <button key={s} className={s === screen ? 'tab active' : 'tab'} onClick={() => open(s)} data-testid={`tab-${s}`}>
            {s}
          </button>
        ))}
        <span className="spacer" />
        {store?.isSample && (
          <span className="badge sample-badge" data-testid="sample-badge" title={`The generated sample night: ${store.path}`}>
            sample night (synthetic)
          </span>
        )}
        {settings && (
          <span className="badge survey-badge" data-testid="survey-current" title="The survey rounds work on (Settings → Survey)">
            {SURVEY_LABELS[FEATURE_SET_SURVEY[settings.featureSet]]}
          </span>
        )}
        <span className="muted small" style={{ margin: '0 0.6rem 0 0.3rem' }} data-testid="survey-mix" title="Alerts in the store per survey">
          {mix.some((m) => m.alerts > 0) ? 'alerts: ' : ''}
          {mix
            .filter((m) => m.alerts > 0)
            .map((m) => `${SURVEY_LABELS[m.survey]} ${m.alerts}`)
            .join(' · ')}
        </span>
        <span className="muted small">{isElectron ? 'desktop' : 'web mode'}{settings ? ` · task ${settings.task}` : ''}</span>
      </nav>
      <main>
        {error ? (
          <p className="error" role="alert">Cannot reach the service: {error}</p>
        ) : !settings ? (
          <div className="screen-msg">Loading…</div>
        ) : screen === 'Data' ? (
          <DataScreen />
        ) : screen === 'Label' ? (
          <LabelScreen settings={settings} storePath={store?.path ?? null} onSettings={setSettings} />
        ) : screen === 'Model' ? (
          <ModelScreen />
        ) : (
          <SettingsScreen settings={settings} onChange={setSettings} />
        )}
      </main>
    </div>
  );
}
