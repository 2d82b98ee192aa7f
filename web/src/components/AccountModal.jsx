// The logged-in user's own account: change password (every role), new API key (admin and user roles; upstream
// refuses api/viewer roles even for themselves).
import { useState } from 'preact/hooks';
import { api } from '../lib/api.js';
import { roleName } from '../lib/auth.js';
import { PasswordForm } from '../pages/Users.jsx';
import { ErrorBox, Modal } from './ui.jsx';

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
      {key && (
        <div class="mt-3">
          <p class="mb-1 text-sm">Your new API key (shown once; the old key stops working):</p>
          <input class="input font-mono" readOnly value={key} onFocus={(e) => e.currentTarget.select()} data-testid="apikey-value" />
        </div>
      )}
    </Modal>
  );
}
