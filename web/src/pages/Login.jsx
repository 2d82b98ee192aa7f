import { useState } from 'preact/hooks';
import { api } from '../lib/api.js';
import { navigate, useLocation } from '../lib/router.js';
import { ErrorBox } from '../components/ui.jsx';

/** Only same-site paths are accepted as redirect targets (no open redirect). */
export function safeNext(next) {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/login')) return '/live';
  return next;
}

export function LoginPage({ onLogin }) {
  const { query } = useLocation();
  const [username, setU] = useState('');
  const [password, setP] = useState('');
  const [totp, setTotp] = useState(null); // {token} when the server asks for a second factor
  const [code, setCode] = useState('');
  const [error, setError] = useState(query.get('error') ? 'Invalid username or password' : '');
  const [busy, setBusy] = useState(false);

  const finish = async () => {
    const u = await api.get('/api/auth/verify', { noRedirect: true });
    onLogin(u);
    navigate(safeNext(query.get('next')), { replace: true });
  };

  const submit = async (e) => {
    e.preventDefault();
    setBusy(true); setError('');
    try {
      if (totp) {
        await api.post('/api/auth/login/totp', { totp_token: totp.token, code }, { noRedirect: true });
        await finish();
      } else {
        const r = await api.post('/api/auth/login', { username, password }, { noRedirect: true });
        if (r?.totp_required) setTotp({ token: r.totp_token });
        else await finish();
      }
    } catch (err) {
      setError(err.status === 401 ? (totp ? 'Invalid code' : 'Invalid username or password') : err.message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="flex min-h-screen items-center justify-center p-4">
      <form class="card w-full max-w-sm space-y-4" onSubmit={submit} data-testid="login-form">
        <h1 class="flex items-center gap-2 text-xl font-semibold"><span class="inline-block h-3 w-3 rounded-full bg-red-600" />LightNVR</h1>
        {query.get('logout') && !error && <p class="muted" role="status">You have been logged out.</p>}
        {!totp ? (
          <>
            <div>
              <label class="label" for="username">Username</label>
              <input id="username" class="input" autoComplete="username" required autoFocus value={username}
                onInput={(e) => setU(e.currentTarget.value)} data-testid="login-username" />
            </div>
            <div>
              <label class="label" for="password">Password</label>
              <input id="password" type="password" class="input" autoComplete="current-password" required value={password}
                onInput={(e) => setP(e.currentTarget.value)} data-testid="login-password" />
            </div>
          </>
        ) : (
          <div>
            <label class="label" for="totp">Authentication code</label>
            <input id="totp" class="input" inputMode="numeric" autoComplete="one-time-code" maxLength={7} required autoFocus value={code}
              onInput={(e) => setCode(e.currentTarget.value)} data-testid="login-totp" />
          </div>
        )}
        <ErrorBox error={error} testid="login-error" />
        <button class="btn btn-primary w-full" type="submit" disabled={busy} data-testid="login-submit">{busy ? 'Signing in…' : 'Sign in'}</button>
      </form>
    </div>
  );
}
