// First start (issue 17 item 6): a guided page for the admin of a fresh install, shown once after the first login
// until it is finished or skipped. Steps: the admin password (the generated one printed at first start still works;
// changing it here is the ordinary password change), the storage path check, the first camera, done. Upstream's
// GET/POST /api/setup/status keeps the flag; the server adds the storage check for admins.
import { useState } from 'preact/hooks';
import { api, enc } from '../lib/api.js';
import { useAuth } from '../lib/auth.js';
import { fmtBytes } from '../lib/format.js';
import { navigate } from '../lib/router.js';
import { ErrorBox, Field, Loading, toast, useFetch } from '../components/ui.jsx';

const STEPS = ['Admin password', 'Storage', 'First camera', 'Done'];
const MIN_PASSWORD = 8;

export function SetupPage() {
  const [step, setStep] = useState(0);
  const status = useFetch(() => api.get('/api/setup/status'));
  const next = () => setStep((s) => Math.min(s + 1, STEPS.length - 1));
  const finish = async () => {
    try { await api.post('/api/setup/status', { complete: true }); navigate('/live'); }
    catch (e) { toast(e.message, 'error'); }
  };
  return (
    <div class="mx-auto max-w-xl space-y-4" data-testid="setup">
      <div class="flex items-center gap-2">
        <h1 class="mr-auto text-lg font-semibold">Welcome to LightNVR</h1>
        <button class="btn" onClick={finish} data-testid="setup-skip">Skip setup</button>
      </div>
      <ol class="flex gap-2 text-sm" aria-label="Setup steps">
        {STEPS.map((s, i) => (
          <li key={s} class={i === step ? 'font-semibold' : 'muted'} aria-current={i === step ? 'step' : undefined}>{i + 1}. {s}</li>
        ))}
      </ol>
      <div class="card space-y-3">
        {step === 0 && <PasswordStep onNext={next} />}
        {step === 1 && <StorageStep status={status} onNext={next} />}
        {step === 2 && <CameraStep onNext={next} />}
        {step === 3 && (
          <div class="space-y-3" data-testid="setup-done">
            <p>Setup is complete. Cameras record into the storage folder; backups of the database run every hour.</p>
            <button class="btn btn-primary" onClick={finish} data-testid="setup-finish">Go to the live view</button>
          </div>
        )}
      </div>
    </div>
  );
}

function PasswordStep({ onNext }) {
  const { user } = useAuth();
  const [f, setF] = useState({ old: '', pw: '', again: '' });
  const [err, setErr] = useState('');
  const set = (k) => (e) => setF({ ...f, [k]: e.currentTarget.value });
  const save = async (e) => {
    e.preventDefault();
    if (f.pw.length < MIN_PASSWORD) return setErr(`The new password needs at least ${MIN_PASSWORD} characters`);
    if (f.pw !== f.again) return setErr('The two new passwords differ');
    try {
      await api.put(`/api/auth/users/${enc(user.id)}/password`, { old_password: f.old, new_password: f.pw });
      toast('Password changed'); onNext();
    } catch (x) { setErr(x.message); }
  };
  return (
    <form class="space-y-3" onSubmit={save} data-testid="setup-password">
      <p class="text-sm">You signed in as <b>{user?.username}</b>. If you are using the password printed at the first start, choose your own now.</p>
      <Field label="Current password" id="setup-old"><input id="setup-old" class="input" type="password" autoComplete="current-password" value={f.old} onInput={set('old')} /></Field>
      <Field label="New password" id="setup-new"><input id="setup-new" class="input" type="password" autoComplete="new-password" value={f.pw} onInput={set('pw')} /></Field>
      <Field label="New password again" id="setup-again" error={err}><input id="setup-again" class="input" type="password" autoComplete="new-password" value={f.again} onInput={set('again')} /></Field>
      <div class="flex gap-2">
        <button class="btn btn-primary" type="submit" data-testid="setup-password-save">Change password</button>
        <button class="btn" type="button" onClick={onNext} data-testid="setup-password-keep">Keep the current password</button>
      </div>
    </form>
  );
}

function StorageStep({ status, onNext }) {
  if (status.error) return <ErrorBox error={status.error} onRetry={status.reload} />;
  const s = status.data?.checks?.storage;
  if (!s) return <Loading />;
  const ok = s.writable && !s.problem;
  return (
    <div class="space-y-3" data-testid="setup-storage">
      <p class="text-sm">Recordings go to <code class="font-mono">{s.path}</code> (<code>[storage] path</code> in the config file or the Settings page).</p>
      <p class={ok ? 'text-green-700 dark:text-green-400' : 'text-red-600'} data-testid="setup-storage-result">
        {s.writable ? `Writable; ${fmtBytes(s.free_bytes)} free of ${fmtBytes(s.total_bytes)}.` : 'Not writable.'}
        {s.problem ? ` ${s.problem}` : ''}
      </p>
      <div class="flex gap-2">
        <button class="btn" onClick={status.reload} data-testid="setup-storage-recheck">Check again</button>
        <button class="btn btn-primary" onClick={onNext} data-testid="setup-storage-next">{ok ? 'Next' : 'Continue anyway'}</button>
      </div>
    </div>
  );
}

function CameraStep({ onNext }) {
  const [c, setC] = useState({ name: '', url: '' });
  const [msg, setMsg] = useState('');
  const set = (k) => (e) => setC({ ...c, [k]: e.currentTarget.value });
  const test = async () => {
    setMsg('Connecting…');
    try {
      const r = await api.post('/api/streams/test', { url: c.url.trim(), protocol: 0 });
      setMsg(r?.success ? `Connected: ${r.info?.codec ?? 'video'} ${r.info?.width ?? ''}×${r.info?.height ?? ''}` : `Failed: ${r?.message ?? 'no answer'}`);
    } catch (e) { setMsg(e.message); }
  };
  const add = async (e) => {
    e.preventDefault();
    try {
      await api.post('/api/streams', { name: c.name.trim(), url: c.url.trim(), enabled: true, record: true });
      toast(`Camera ${c.name.trim()} added`); onNext();
    } catch (x) { setMsg(x.message); }
  };
  return (
    <form class="space-y-3" onSubmit={add} data-testid="setup-camera">
      <p class="text-sm">Add your first camera by its RTSP address (more, and every option, on the Streams page).</p>
      <Field label="Name" id="setup-cam-name" hint="Letters, digits, - and _"><input id="setup-cam-name" class="input" value={c.name} onInput={set('name')} /></Field>
      <Field label="RTSP URL" id="setup-cam-url" error={msg}><input id="setup-cam-url" class="input" placeholder="rtsp://user:password@192.168.1.20:554/stream1" value={c.url} onInput={set('url')} /></Field>
      <div class="flex gap-2">
        <button class="btn" type="button" onClick={test} disabled={!c.url.trim()} data-testid="setup-camera-test">Test</button>
        <button class="btn btn-primary" type="submit" disabled={!c.name.trim() || !c.url.trim()} data-testid="setup-camera-add">Add camera</button>
        <button class="btn" type="button" onClick={onNext} data-testid="setup-camera-skip">Later</button>
      </div>
    </form>
  );
}
