import { useState } from 'preact/hooks';
import { ApiError, client, errorText, unwrap, withKey } from '../api';
import { PageTitle } from '../components/ui';
import { whoAmI } from '../portal/portal-api';
import { saveSession, Session } from '../session';

const LABELS = { admin: 'Administrator', analyst: 'Risk analyst' } as const;

/** What a key may do, as the API says (GET /v1/me); a supplier's label is its company name. */
async function identify(key: string): Promise<Session> {
  const me = await unwrap(client.GET('/v1/me', withKey(key)));
  if (me.role !== 'supplier') return { key, role: me.role, supplierId: null, label: LABELS[me.role] };
  const profile = await whoAmI(key);
  return { key, role: 'supplier', supplierId: profile.supplierId, label: profile.name ?? profile.supplierId };
}

export function SignInPage({ reason }: { reason?: string }) {
  const [key, setKey] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: Event) => {
    e.preventDefault();
    const trimmed = key.trim();
    if (!trimmed) {
      setError('Enter the API key you were given.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const session = await identify(trimmed);
      saveSession(session);
      location.hash = session.role === 'supplier' ? '#/portal/sites' : '#/dashboard';
    } catch (err) {
      setError(err instanceof ApiError && err.status === 401 ? 'This key is unknown or has been revoked.' : errorText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="sign-in">
      <PageTitle>Sign in</PageTitle>
      <p>
        Risk analysts and suppliers sign in with the API key their administrator gave them. The key stays in this browser tab only and is sent to the API with
        each request.
      </p>
      {reason && <p class="status">{reason}</p>}
      <form onSubmit={submit} class="stack" aria-describedby={error ? 'sign-in-error' : undefined}>
        <label for="api-key">API key</label>
        <input
          id="api-key"
          name="api-key"
          type="password"
          autoComplete="off"
          spellcheck={false}
          value={key}
          onInput={(e) => setKey((e.target as HTMLInputElement).value)}
          aria-invalid={error ? true : undefined}
        />
        <button type="submit" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
        {error && (
          <p id="sign-in-error" class="error-note" role="alert">
            {error}
          </p>
        )}
      </form>
    </section>
  );
}
