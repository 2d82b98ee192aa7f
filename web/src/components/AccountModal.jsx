// The logged-in user's own account: change password (every role), new API key (admin and user roles; upstream
// refuses api/viewer roles even for themselves).
import { useState } from 'preact/hooks';
import { fmtDateTime } from '../lib/format.js';
import { api } from '../lib/api.js';
import { roleName } from '../lib/auth.js';
import { PasswordForm } from '../pages/Users.jsx';
import { ErrorBox, Modal, toast, useFetch } from './ui.jsx';

export function AccountModal({ user, onClose }) {
  const [pw, setPw] = useState(false);
  const [key, setKey] = useState('');
  const [err, setErr] = useState('');
  const r = roleName(user?.role);
  const canKey = user?.id != null && (r === 'admin' || r === 'user');
  if (pw) return <PasswordForm user={user} self onClose={onClose} />;
  const genKey = async () => {
    setErr('');
    try { setKey((await api.post(`/api/auth/users/${user.id}/api-key`)).api_key); } catch (e) { setErr(e.message); }
  };
  return (
    <Modal title="Account" onClose={onClose} testid="account-modal">
      <p class="text-sm">Signed in as <b>{user?.username}</b> ({r}).</p>
      <div class="mt-4 flex flex-wrap gap-2">
        {user?.id != null && user?.auth_enabled !== false && <button class="btn" onClick={() => setPw(true)} data-testid="account-password">Change password</button>}
        {canKey && <button class="btn" onClick={genKey} data-testid="account-apikey">New API key</button>}
      </div>
      <ErrorBox error={err} />
      {user?.id != null && user?.auth_enabled !== false && <TwoFactor userId={user.id} />}
      <Sessions />
      {key && (
        <div class="mt-3">
          <p class="mb-1 text-sm">Your new API key (shown once; the old key stops working):</p>
          <input class="input font-mono" readOnly value={key} onFocus={(e) => e.currentTarget.select()} data-testid="apikey-value" />
        </div>
      )}
    </Modal>
  );
}

/** The user's own sessions (GET /api/auth/sessions) with sign-out of the others. */
function Sessions() {
  const { data, error, reload } = useFetch(() => api.get('/api/auth/sessions').then((d) => d?.sessions || []));
  if (error) return null; // older servers: no session list
  if (!data?.length) return null;
  const revoke = async (s) => {
    try { await api.del(`/api/auth/sessions/${s.id}`); toast('Session ended'); reload(); } catch (e) { toast(e.message, 'error'); }
  };
  return (
    <div class="mt-4 border-t border-zinc-200 pt-3 dark:border-zinc-800" data-testid="sessions">
      <p class="label">Signed-in sessions</p>
      <ul class="space-y-2">
        {data.map((s) => (
          <li key={s.id} class="flex items-start gap-2 text-xs" data-testid="session-row">
            <div class="min-w-0 flex-1">
              <div class="truncate" title={s.user_agent}>{s.user_agent || 'Unknown client'}</div>
              <div class="muted text-xs">{s.ip_address || '—'} · last active {fmtDateTime(s.last_activity_at)}{s.current ? ' · this browser' : ''}</div>
            </div>
            {!s.current && <button class="btn btn-sm" onClick={() => revoke(s)} data-testid="session-revoke">Sign out</button>}
          </li>
        ))}
      </ul>
    </div>
  );
}

/** TOTP two-factor: status, setup (secret + otpauth link, no QR library), verify with a code, disable. */
function TwoFactor({ userId }) {
  const base = `/api/auth/users/${userId}/totp`;
  const { data, error, reload } = useFetch(() => api.get(`${base}/status`));
  const [setup, setSetup] = useState(null);
  const [code, setCode] = useState('');
  const [err, setErr] = useState('');
  const [disabling, setDisabling] = useState(false);
  const [proof, setProof] = useState('');
  if (error || !data) return null;
  const start = async () => { setErr(''); try { setSetup(await api.post(`${base}/setup`)); } catch (e) { setErr(e.message); } };
  const verify = async (e) => {
    e.preventDefault(); setErr('');
    try { await api.post(`${base}/verify`, { code: code.trim() }); toast('Two-factor sign-in enabled'); setSetup(null); setCode(''); reload(); }
    catch (e2) { setErr(e2.message); }
  };
  // The server wants proof beyond the session to turn it off: the current code (6 digits) or the account password.
  const disable = async (e) => {
    e.preventDefault(); setErr('');
    const v = proof.trim();
    try {
      await api.post(`${base}/disable`, /^\d{6}$/.test(v) ? { code: v } : { password: proof });
      toast('Two-factor sign-in disabled'); setDisabling(false); setProof(''); reload();
    } catch (e2) { setErr(e2.message); }
  };
  return (
    <div class="mt-4 border-t border-zinc-200 pt-3 dark:border-zinc-800" data-testid="totp">
      <p class="label">Two-factor sign-in (TOTP)</p>
      {data.totp_enabled && !disabling ? (
        <div class="flex items-center gap-2 text-sm">Enabled<button class="btn btn-sm ml-auto" onClick={() => setDisabling(true)} data-testid="totp-disable">Disable</button></div>
      ) : data.totp_enabled ? (
        <form class="flex gap-2 text-sm" onSubmit={disable}>
          <input class="input" type="password" autoComplete="current-password" placeholder="Current code or your password"
            aria-label="Current code or your password" value={proof} onInput={(e) => setProof(e.currentTarget.value)} data-testid="totp-proof" />
          <button class="btn btn-danger" disabled={!proof} data-testid="totp-disable-confirm">Disable</button>
          <button type="button" class="btn" onClick={() => { setDisabling(false); setProof(''); }}>Cancel</button>
        </form>
      ) : !setup ? (
        <button class="btn btn-sm" onClick={start} data-testid="totp-setup">Set up</button>
      ) : (
        <form class="space-y-2 text-sm" onSubmit={verify}>
          <p>Add this key to your authenticator app, or open the link on your phone:</p>
          <code class="block break-all rounded bg-zinc-100 p-2 dark:bg-zinc-800" data-testid="totp-secret">{setup.secret}</code>
          {setup.otpauth_uri && <a class="underline" href={setup.otpauth_uri}>Open in authenticator</a>}
          <div class="flex gap-2">
            <input class="input" inputMode="numeric" autoComplete="one-time-code" maxLength={7} placeholder="6-digit code" aria-label="Code"
              value={code} onInput={(e) => setCode(e.currentTarget.value)} data-testid="totp-code" />
            <button class="btn btn-primary" data-testid="totp-verify">Enable</button>
          </div>
        </form>
      )}
      <ErrorBox error={err} />
    </div>
  );
}
