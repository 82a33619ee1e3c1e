import { useState } from 'preact/hooks';
import { api, ApiError, errorText } from '../api';
import { PageTitle } from '../components/ui';
import { whoAmI } from '../portal/portal-api';
import { saveSession, Session } from '../session';

/** Finds what a key may do by asking the API: analyst routes first, then the supplier portal. */
async function identify(key: string): Promise<Session> {
  try {
    await api('/v1/exposures', { key, query: { limit: 1 } });
    const admin = await api('/v1/admin/keys', { key, query: { limit: 1 } }).then(
      () => true,
      () => false,
    );
    return { key, role: admin ? 'admin' : 'analyst', supplierId: null, label: admin ? 'Administrator' : 'Risk analyst' };
  } catch (error) {
    if (!(error instanceof ApiError) || error.status !== 403) throw error;
  }
  const me = await whoAmI(key);
  return { key, role: 'supplier', supplierId: me.supplierId, label: me.name ?? me.supplierId };
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
        Risk analysts and suppliers sign in with the API key their administrator gave them. The key stays in this browser tab only and is sent
        to the API with each request.
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
