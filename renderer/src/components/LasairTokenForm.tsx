/**
 * The Lasair API token (Sherlock's sep_arcsec at ingest), kept in the store: typed here rather than given as a
 * command-line argument, which other users of the machine can read. The app never shows it back.
 */
import { useEffect, useState } from 'react';
import { call, errorText } from '../api/client.js';

type TokenState = { stored: boolean; fromEnvironment: boolean };

function describe(s: TokenState | null): string {
  if (!s) return '…';
  if (s.fromEnvironment) return `from LASAIR_TOKEN${s.stored ? ' (the stored one is unused)' : ''}`;
  return s.stored ? 'stored' : 'none (sep_arcsec stays missing unless the files carry it)';
}

export function LasairTokenForm() {
  const [state, setState] = useState<TokenState | null>(null);
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    call('settings.lasairToken', { action: 'show' })
      .then(setState)
      .catch((err: unknown) => setError(errorText(err)));
  }, []);

  const change = async (input: { action: 'set'; token: string } | { action: 'clear' }) => {
    setError(null);
    try {
      setState(await call('settings.lasairToken', input));
      setToken('');
    } catch (err) {
      setError(errorText(err));
    }
  };

  return (
    <section>
      <h2>Lasair token</h2>
      <p data-testid="lasair-token-state">Token: {describe(state)}</p>
      <form
        className="row"
        onSubmit={(e) => {
          e.preventDefault();
          void change({ action: 'set', token: token.trim() });
        }}
      >
        <input
          type="password"
          autoComplete="off"
          value={token}
          onChange={(e) => setToken(e.target.value)}
          aria-label="Lasair API token"
          data-testid="lasair-token-input"
        />
        <button type="submit" disabled={!token.trim()}>Save token</button>
        {state?.stored && <button type="button" onClick={() => void change({ action: 'clear' })}>Forget it</button>}
      </form>
      {error && <p className="error" role="alert">{error}</p>}
    </section>
  );
}
