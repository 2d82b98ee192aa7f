// Settings → Webhooks: list with last status, add/edit/delete, "Send test" and the delivery log (docs/webhooks.md).
import { useState } from 'preact/hooks';
import { api } from '../lib/api.js';
import { KINDS, formFor, toRequest, lastStatus, generateSecret } from '../lib/webhooks.js';
import { Confirm, Empty, ErrorBox, Field, Loading, Modal, Toggle, toast, useFetch } from './ui.jsx';

const TONES = {
  ok: 'bg-green-100 text-green-800 dark:bg-green-950 dark:text-green-200',
  bad: 'bg-red-100 text-red-800 dark:bg-red-950 dark:text-red-200',
  idle: 'bg-zinc-100 text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300',
};

export function WebhooksSection() {
  const { data, error, loading, reload } = useFetch(() => api.get('/api/webhooks'));
  const [editing, setEditing] = useState(null); // {} = new, hook = edit
  const [deleting, setDeleting] = useState(null);
  const [log, setLog] = useState(null);
  const [testing, setTesting] = useState(null);

  const test = async (hook) => {
    setTesting(hook.id);
    try {
      const r = await api.post(`/api/webhooks/${hook.id}/test`);
      toast(r.success ? `Test delivered (HTTP ${r.status}, ${r.duration_ms} ms)` : `Test failed: ${r.error || `HTTP ${r.status}`}`, r.success ? 'ok' : 'error');
    } catch (e) { toast(e.message, 'error'); } finally { setTesting(null); reload(); }
  };

  const hooks = data?.webhooks || [];
  return (
    <section class="mt-6" data-testid="webhooks">
      <div class="mb-2 flex flex-wrap items-center gap-2">
        <h2 class="mr-auto text-base font-semibold">Webhooks</h2>
        <button type="button" class="btn btn-primary" onClick={() => setEditing({})} data-testid="webhook-add">Add webhook</button>
      </div>
      <p class="muted mb-3 text-sm">Signed JSON POSTs on event start, update and end. Receivers check the <code>X-LightNVR-Signature</code> header (see docs/webhooks.md).</p>
      {loading && !data ? <Loading /> : <ErrorBox error={error} onRetry={reload} />}
      {data && !hooks.length && <Empty>No webhooks yet.</Empty>}
      <ul class="flex flex-col gap-2">
        {hooks.map((h) => {
          const st = lastStatus(h);
          return (
            <li key={h.id} class="card flex flex-col gap-2 sm:flex-row sm:items-center" data-testid={`webhook-${h.id}`}>
              <div class="min-w-0 flex-1">
                <div class="flex flex-wrap items-center gap-2">
                  <span class="font-medium">{h.name || `Webhook ${h.id}`}</span>
                  {!h.enabled && <span class="rounded bg-zinc-200 px-1.5 text-xs dark:bg-zinc-700">disabled</span>}
                  <span class={`rounded px-1.5 text-xs ${TONES[st.tone]}`} data-testid="webhook-status">{st.text}</span>
                  {h.pending > 0 && <span class="text-xs text-amber-600" data-testid="webhook-pending">{h.pending} pending</span>}
                </div>
                <div class="truncate font-mono text-xs text-zinc-500" title={h.url}>{h.url}</div>
                <div class="text-xs text-zinc-500">{h.events.join(', ')} · {h.streams.length ? h.streams.join(', ') : 'all streams'}</div>
              </div>
              <div class="flex flex-wrap gap-1">
                <button type="button" class="btn btn-sm" disabled={testing === h.id} onClick={() => test(h)} data-testid="webhook-test">{testing === h.id ? 'Sending…' : 'Send test'}</button>
                <button type="button" class="btn btn-sm" onClick={() => setLog(h)} data-testid="webhook-log">Log</button>
                <button type="button" class="btn btn-sm" onClick={() => setEditing(h)} data-testid="webhook-edit">Edit</button>
                <button type="button" class="btn btn-sm btn-danger" onClick={() => setDeleting(h)} data-testid="webhook-delete">Delete</button>
              </div>
            </li>
          );
        })}
      </ul>
      {editing && <WebhookForm hook={editing.id ? editing : null} onClose={() => setEditing(null)} onSaved={() => { setEditing(null); reload(); }} />}
      {deleting && <Confirm title="Delete webhook" message={`Delete ${deleting.name || deleting.url}? Its queue and log go too.`}
        onConfirm={async () => { await api.del(`/api/webhooks/${deleting.id}`); toast('Webhook deleted'); reload(); }} onClose={() => setDeleting(null)} />}
      {log && <DeliveryLog hook={log} onClose={() => setLog(null)} />}
    </section>
  );
}

function WebhookForm({ hook, onClose, onSaved }) {
  const [form, setForm] = useState(() => formFor(hook));
  const [err, setErr] = useState('');
  const [busy, setBusy] = useState(false);
  const set = (k, v) => setForm({ ...form, [k]: v });
  const toggleKind = (k, on) => set('events', on ? [...form.events, k] : form.events.filter((x) => x !== k));

  const save = async (e) => {
    e.preventDefault();
    const { body, error } = toRequest(form, !hook);
    if (error) { setErr(error); return; }
    setBusy(true); setErr('');
    try {
      if (hook) await api.put(`/api/webhooks/${hook.id}`, body); else await api.post('/api/webhooks', body);
      toast(hook ? 'Webhook saved' : 'Webhook added');
      onSaved();
    } catch (e2) { setErr(e2.message); } finally { setBusy(false); }
  };

  return (
    <Modal title={hook ? 'Edit webhook' : 'Add webhook'} onClose={onClose} testid="webhook-form">
      <form class="flex flex-col gap-3" onSubmit={save}>
        <Field label="Name" id="wh-name"><input id="wh-name" class="input" value={form.name} maxLength={64} onInput={(e) => set('name', e.currentTarget.value)} data-testid="wh-name" /></Field>
        <Field label="URL" id="wh-url" hint="http:// or https://; redirects are followed only on the same host.">
          <input id="wh-url" class="input font-mono" type="url" inputMode="url" required value={form.url} onInput={(e) => set('url', e.currentTarget.value)} data-testid="wh-url" />
        </Field>
        <fieldset>
          <legend class="label">Events</legend>
          <div class="flex flex-wrap gap-x-4">
            {KINDS.map(([k, label]) => <Toggle key={k} label={label} checked={form.events.includes(k)} onChange={(on) => toggleKind(k, on)} testid={`wh-kind-${k}`} />)}
          </div>
        </fieldset>
        <Field label="Streams" id="wh-streams" hint="Comma-separated names; empty = every stream.">
          <input id="wh-streams" class="input" value={form.streams} onInput={(e) => set('streams', e.currentTarget.value)} data-testid="wh-streams" />
        </Field>
        <Field label="Secret" id="wh-secret" hint={hook ? 'A secret is set. Leave empty to keep it, or enter a new one.' : 'Copy it to the receiver now: it is never shown again.'}>
          <div class="flex gap-2">
            <input id="wh-secret" class="input min-w-0 flex-1 font-mono" autoComplete="off" value={form.secret} placeholder={hook ? 'set (unchanged)' : ''}
              onInput={(e) => set('secret', e.currentTarget.value)} data-testid="wh-secret" />
            <button type="button" class="btn btn-sm" onClick={() => set('secret', generateSecret())} data-testid="wh-generate">Generate</button>
          </div>
        </Field>
        <Toggle label="Enabled" checked={form.enabled} onChange={(v) => set('enabled', v)} testid="wh-enabled" />
        <ErrorBox error={err} testid="webhook-form-error" />
        <div class="flex justify-end gap-2">
          <button type="button" class="btn" onClick={onClose}>Cancel</button>
          <button type="submit" class="btn btn-primary" disabled={busy} data-testid="wh-save">{busy ? 'Saving…' : 'Save'}</button>
        </div>
      </form>
    </Modal>
  );
}

function DeliveryLog({ hook, onClose }) {
  const { data, error, loading, reload } = useFetch(() => api.get(`/api/webhooks/${hook.id}/deliveries?limit=50`), [hook.id]);
  const rows = data?.deliveries || [];
  return (
    <Modal title={`Deliveries: ${hook.name || hook.url}`} onClose={onClose} wide testid="webhook-deliveries">
      {loading && !data ? <Loading /> : <ErrorBox error={error} onRetry={reload} />}
      {data && !rows.length && <Empty>Nothing sent yet.</Empty>}
      <ul class="flex flex-col divide-y divide-zinc-200 text-sm dark:divide-zinc-800">
        {rows.map((d) => (
          <li key={d.id} class="flex flex-wrap gap-x-3 py-1.5" data-testid="delivery">
            <span class="font-mono">{d.type}</span>
            {d.stream && <span>{d.stream}</span>}
            <span class={d.state === 'delivered' ? 'text-green-700' : d.state === 'pending' ? 'text-amber-600' : 'text-red-700'}>{d.state}</span>
            <span class="text-zinc-500">{d.last_status ? `HTTP ${d.last_status}` : ''} {d.last_error || ''}</span>
            <span class="text-zinc-500">{d.attempts} attempt{d.attempts === 1 ? '' : 's'}</span>
            {d.next_attempt_at && <span class="text-zinc-500">next {new Date(d.next_attempt_at * 1000).toLocaleTimeString()}</span>}
          </li>
        ))}
      </ul>
    </Modal>
  );
}
