import { useState } from 'preact/hooks';
import { api, handleUnauthorized } from '../lib/api.js';
import { ROLE_NAMES, roleName, useAuth } from '../lib/auth.js';
import { fmtDateTime } from '../lib/format.js';
import { Confirm, Empty, ErrorBox, Loading, Modal, toast, useFetch } from '../components/ui.jsx';

export function UsersPage() {
  const { user: me } = useAuth();
  const { data, error, loading, reload } = useFetch(() => api.get('/api/auth/users').then((d) => d?.users || []));
  const [editing, setEditing] = useState(null); // 'new' | user
  const [pw, setPw] = useState(null);
  const [del, setDel] = useState(null);
  const [apiKey, setApiKey] = useState(null); // {user, key}

  const action = async (url, method, body, okMsg) => {
    try { await api[method](url, body); toast(okMsg); reload(); } catch (e) { toast(e.message, 'error'); }
  };
  const genKey = async (u) => {
    try { const r = await api.post(`/api/auth/users/${u.id}/api-key`); setApiKey({ user: u, key: r.api_key }); }
    catch (e) { toast(e.message, 'error'); }
  };

  return (
    <div>
      <div class="mb-3 flex items-center gap-2">
        <h1 class="mr-auto text-lg font-semibold">Users</h1>
        <button class="btn btn-primary" onClick={() => setEditing('new')} data-testid="user-add">Add user</button>
      </div>
      {loading && !data ? <Loading /> : error ? <ErrorBox error={error} onRetry={reload} /> : !data.length ? <Empty>No users.</Empty> : (
        <div class="overflow-x-auto rounded-lg border border-zinc-200 dark:border-zinc-800">
          <table class="w-full min-w-[640px]" data-testid="users-table">
            <thead class="bg-zinc-100 dark:bg-zinc-900"><tr><th class="th">User</th><th class="th">Role</th><th class="th">Status</th><th class="th">Last login</th><th class="th text-right">Actions</th></tr></thead>
            <tbody class="divide-y divide-zinc-200 dark:divide-zinc-800">
              {data.map((u) => (
                <tr key={u.id} data-testid="user-row" data-username={u.username}>
                  <td class="td"><div class="font-medium">{u.username}</div><div class="muted text-xs">{u.email}</div></td>
                  <td class="td"><span class="badge bg-zinc-200 dark:bg-zinc-800">{u.role_name || roleName(u.role)}</span></td>
                  <td class="td">{u.is_active ? 'Active' : <span class="text-red-600">Inactive</span>}{u.totp_enabled && <span class="badge ml-1 bg-green-100 dark:bg-green-950">MFA</span>}</td>
                  <td class="td whitespace-nowrap">{u.last_login ? fmtDateTime(u.last_login) : 'Never'}</td>
                  <td class="td"><div class="flex flex-wrap justify-end gap-1">
                    <button class="btn btn-sm" onClick={() => setEditing(u)} data-testid="user-edit">Edit</button>
                    <button class="btn btn-sm" onClick={() => setPw(u)} data-testid="user-password">Password</button>
                    <button class="btn btn-sm" onClick={() => genKey(u)} data-testid="user-apikey">API key</button>
                    <button class="btn btn-sm" onClick={() => action(`/api/auth/users/${u.id}/login-lockout/clear`, 'post', {}, 'Login lockout cleared')} title="Clear failed-login lockout" data-testid="user-unlock">Unlock</button>
                    {u.id !== me?.id && <button class="btn btn-sm" aria-pressed={!!u.password_change_locked} title="Stop this user changing their password"
                      onClick={() => action(`/api/auth/users/${u.id}/password-lock`, 'put', { locked: !u.password_change_locked }, u.password_change_locked ? 'Password changes allowed' : 'Password changes locked')} data-testid="user-password-lock">{u.password_change_locked ? 'Unlock password' : 'Lock password'}</button>}
                    {u.id !== me?.id && <button class="btn btn-sm btn-danger" onClick={() => setDel(u)} data-testid="user-delete">Delete</button>}
                  </div></td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {editing && <UserForm user={editing === 'new' ? null : editing} onClose={() => setEditing(null)} onSaved={() => { setEditing(null); reload(); }} />}
      {pw && <PasswordForm user={pw} self={pw.id === me?.id} onClose={() => setPw(null)} />}
      {del && <Confirm title={`Delete ${del.username}`} message="The user and their sessions are removed." onClose={() => setDel(null)}
        onConfirm={async () => { await api.del(`/api/auth/users/${del.id}`); toast('User deleted'); reload(); }} />}
      {apiKey && (
        <Modal title={`API key for ${apiKey.user.username}`} onClose={() => setApiKey(null)} testid="apikey-modal">
          <p class="mb-2 text-sm">Copy it now: it replaces the old key and is not shown again here.</p>
          <div class="flex gap-2">
            <input class="input font-mono" readOnly value={apiKey.key} onFocus={(e) => e.currentTarget.select()} data-testid="apikey-value" />
            <button class="btn" onClick={() => navigator.clipboard?.writeText(apiKey.key).then(() => toast('Copied'), () => {})}>Copy</button>
          </div>
          <p class="muted mt-2 text-xs">Send it as <code>X-API-Key: …</code> or <code>Authorization: Bearer …</code>.</p>
        </Modal>
      )}
    </div>
  );
}

export function UserForm({ user, onClose, onSaved }) {
  const creating = !user;
  const [f, setF] = useState({
    username: user?.username || '', email: user?.email || '', password: '', role: typeof user?.role === 'number' ? user.role : ROLE_NAMES.indexOf(roleName(user?.role ?? 1)),
    is_active: user ? !!user.is_active : true, allowed_tags: user?.allowed_tags || '', allowed_login_cidrs: user?.allowed_login_cidrs || '',
  });
  const [err, setErr] = useState('');
  const [busy, setBusy] = useState(false);
  const upd = (k) => (e) => setF({ ...f, [k]: e.currentTarget.type === 'checkbox' ? e.currentTarget.checked : e.currentTarget.value });
  const submit = async (e) => {
    e.preventDefault();
    if (f.username.length < 3 || f.username.length > 32) return setErr('Username must be between 3 and 32 characters');
    if (creating && f.password.length < 8) return setErr('Password must be at least 8 characters');
    setBusy(true); setErr('');
    const body = { username: f.username, email: f.email, role: Number(f.role), is_active: f.is_active,
      allowed_tags: f.allowed_tags.trim() || null, allowed_login_cidrs: f.allowed_login_cidrs.trim() || null };
    if (f.password) body.password = f.password;
    try {
      if (creating) await api.post('/api/auth/users', body);
      else await api.put(`/api/auth/users/${user.id}`, body);
      toast(creating ? 'User created' : 'User saved');
      onSaved();
    } catch (e2) { setErr(e2.message); setBusy(false); }
  };
  return (
    <Modal title={creating ? 'Add user' : `Edit ${user.username}`} onClose={onClose} testid="user-form">
      <form class="space-y-3" onSubmit={submit} noValidate>
        <div><label class="label" for="u-name">Username</label><input id="u-name" class="input" value={f.username} onInput={upd('username')} autoComplete="off" data-testid="user-username" /></div>
        <div><label class="label" for="u-email">Email</label><input id="u-email" type="email" class="input" value={f.email} onInput={upd('email')} data-testid="user-email" /></div>
        <div><label class="label" for="u-pass">{creating ? 'Password' : 'New password (leave empty to keep)'}</label><input id="u-pass" type="password" class="input" autoComplete="new-password" value={f.password} onInput={upd('password')} data-testid="user-password-input" /></div>
        <div><label class="label" for="u-role">Role</label>
          <select id="u-role" class="input" value={f.role} onChange={upd('role')} data-testid="user-role">
            {ROLE_NAMES.map((r, i) => <option key={r} value={i}>{r}</option>)}
          </select></div>
        <label class="flex min-h-10 items-center gap-2 text-sm"><input type="checkbox" class="h-5 w-5" checked={f.is_active} onChange={upd('is_active')} data-testid="user-active" />Active</label>
        <div><label class="label" for="u-tags">Allowed camera tags</label><input id="u-tags" class="input" value={f.allowed_tags} onInput={upd('allowed_tags')} placeholder="empty = all cameras" data-testid="user-tags" /></div>
        <div><label class="label" for="u-cidrs">Allowed login networks</label><textarea id="u-cidrs" rows={2} class="input font-mono" value={f.allowed_login_cidrs} onInput={upd('allowed_login_cidrs')} placeholder="one CIDR per line; empty = anywhere" data-testid="user-cidrs" /></div>
        <ErrorBox error={err} testid="user-form-error" />
        <div class="flex justify-end gap-2"><button type="button" class="btn" onClick={onClose}>Cancel</button><button class="btn btn-primary" disabled={busy} data-testid="user-save">{busy ? 'Saving…' : 'Save'}</button></div>
      </form>
    </Modal>
  );
}

export function PasswordForm({ user, self, onClose }) {
  const [oldPw, setOld] = useState('');
  const [pw, setPw] = useState('');
  const [pw2, setPw2] = useState('');
  const [err, setErr] = useState('');
  const submit = async (e) => {
    e.preventDefault();
    if (pw.length < 8) return setErr('Password must be at least 8 characters');
    if (pw !== pw2) return setErr('The passwords do not match');
    try {
      await api.put(`/api/auth/users/${user.id}/password`, self ? { old_password: oldPw, new_password: pw } : { new_password: pw });
      onClose();
      // The server ends every session of a user whose password changed, ours included when it is our own.
      if (self) { toast('Password changed: please sign in again'); handleUnauthorized(); }
      else toast('Password changed');
    } catch (e2) { setErr(e2.message); }
  };
  return (
    <Modal title={`Change password: ${user.username}`} onClose={onClose} testid="password-form">
      <form class="space-y-3" onSubmit={submit} noValidate>
        <input type="text" name="username" autoComplete="username" value={user.username} readOnly hidden />
        {self && <div><label class="label" for="p-old">Current password</label><input id="p-old" type="password" class="input" autoComplete="current-password" value={oldPw} onInput={(e) => setOld(e.currentTarget.value)} data-testid="password-old" /></div>}
        <div><label class="label" for="p-new">New password</label><input id="p-new" type="password" class="input" autoComplete="new-password" value={pw} onInput={(e) => setPw(e.currentTarget.value)} data-testid="password-new" /></div>
        <div><label class="label" for="p-new2">Repeat new password</label><input id="p-new2" type="password" class="input" autoComplete="new-password" value={pw2} onInput={(e) => setPw2(e.currentTarget.value)} data-testid="password-repeat" /></div>
        <ErrorBox error={err} />
        <div class="flex justify-end gap-2"><button type="button" class="btn" onClick={onClose}>Cancel</button><button class="btn btn-primary" data-testid="password-save">Change password</button></div>
      </form>
    </Modal>
  );
}
