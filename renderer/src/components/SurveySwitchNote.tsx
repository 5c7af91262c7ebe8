/**
 * When the current survey has no alert in the store but another survey has, says so with a button per such survey
 * that switches to it (its default feature set): an empty Label screen is then not a mystery. Otherwise shows its
 * children (the usual empty-batch message).
 */
import { useEffect, useState, type ReactNode } from 'react';
import type { Settings, SurveyCount } from '@core/api/types.js';
import { SURVEY_DEFAULT_FEATURE_SET } from '@core/settings-rules.js';
import { SURVEY_LABELS } from '@core/surveys/registry.js';
import type { SurveyId } from '@core/surveys/survey.js';
import { call, errorText } from '../api/client.js';

export function SurveySwitchNote({
  survey,
  onSwitched,
  children,
}: {
  survey: SurveyId;
  onSwitched: (s: Settings) => void;
  children?: ReactNode;
}) {
  const [counts, setCounts] = useState<SurveyCount[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    let live = true;
    call('data.summary', {})
      .then((s) => live && setCounts(s.surveys))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [survey]);

  if (!counts || (counts.find((c) => c.survey === survey)?.alerts ?? 0) > 0) return <>{children}</>;
  const others = counts.filter((c) => c.survey !== survey && c.alerts > 0);
  if (others.length === 0) return <>{children}</>;

  const switchTo = async (to: SurveyId) => {
    setBusy(true);
    setError(null);
    try {
      onSwitched(await call('settings.set', { featureSet: SURVEY_DEFAULT_FEATURE_SET[to], night: null }));
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="note" data-testid="survey-switch-note">
      <p>
        The store has no {SURVEY_LABELS[survey]} alerts, but{' '}
        {others.map((o) => `${o.alerts} ${SURVEY_LABELS[o.survey]}`).join(' and ')} alert(s).
      </p>
      {others.map((o, i) => (
        <button key={o.survey} className="primary" autoFocus={i === 0} disabled={busy} onClick={() => void switchTo(o.survey)} data-testid={`switch-survey-${o.survey}`}>
          Work on {SURVEY_LABELS[o.survey]} alerts
        </button>
      ))}
      {error && <p className="error" role="alert">{error}</p>}
    </div>
  );
}
