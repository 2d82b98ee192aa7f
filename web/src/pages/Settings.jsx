import { useEffect, useState } from 'preact/hooks';
import { api } from '../lib/api.js';
import { tabsFor, changedSettings, label, SELECTS, MULTILINE, schemaByKey, fieldNote } from '../lib/settingsTabs.js';
import { ErrorBox, Loading, toast, useFetch } from '../components/ui.jsx';
import { WebhooksSection } from '../components/WebhooksSection.jsx';

export function SettingsPage() {
  const { data, error, loading, reload } = useFetch(() => api.get('/api/settings'));
  // Per key: applies live or after a restart, or does nothing yet. An older server without it: no notes.
  const { data: schema } = useFetch(() => api.get('/api/settings/schema').catch(() => null));
  const [edited, setEdited] = useState(null);
  const [tab, setTab] = useState('general');
  const [busy, setBusy] = useState(false);
  const [saveError, setSaveError] = useState('');
  useEffect(() => { if (data) setEdited({ ...data }); }, [data]);

  if (loading && !data) return <Loading />;
  if (error) return <ErrorBox error={error} onRetry={reload} />;
  if (!edited) return null;
  const tabs = tabsFor(data);
  const cur = tabs.find((t) => t.id === tab) || tabs[0];
  const changes = changedSettings(data, edited);
  const rows = schemaByKey(schema);
  const note = (k) => {
    const n = fieldNote(rows[k]);
    if (!n) return null;
    const color = n.kind === 'inert' ? 'text-amber-700 dark:text-amber-400' : 'text-zinc-500';
    return <p class={`mt-0.5 text-xs ${color}`} data-testid={`setting-note-${k}`} data-kind={n.kind}>{n.text}</p>;
  };
  const dirty = Object.keys(changes).length > 0;

  const save = async (e) => {
    e.preventDefault();
    setBusy(true); setSaveError('');
    try {
      const r = await api.post('/api/settings', changes);
      toast(r?.restart_required ? (r.restart_required_message || 'Saved — restart required') : 'Settings saved');
      reload();
    } catch (err) { setSaveError(err.message); } finally { setBusy(false); }
  };

  const input = (k) => {
    const v = edited[k], orig = data[k];
    const set = (x) => setEdited({ ...edited, [k]: x });
    const id = `set-${k}`, tid = `setting-${k}`;
    if (typeof orig === 'boolean') {
      return <div key={k}><label class="flex min-h-10 items-center gap-2 text-sm"><input id={id} type="checkbox" class="h-5 w-5 accent-blue-600" checked={!!v} onChange={(e) => set(e.currentTarget.checked)} data-testid={tid} />{label(k)}</label>{note(k)}</div>;
    }
    let control;
    if (SELECTS[k]) {
      control = <select id={id} class="input" value={v} onChange={(e) => set(typeof orig === 'number' ? Number(e.currentTarget.value) : e.currentTarget.value)} data-testid={tid}>{SELECTS[k].map(([o, l]) => <option key={o} value={o}>{l}</option>)}</select>;
    } else if (typeof orig === 'number') {
      control = <input id={id} type="number" step="any" class="input" value={v} onInput={(e) => set(e.currentTarget.value === '' ? 0 : Number(e.currentTarget.value))} data-testid={tid} />;
    } else if (MULTILINE.has(k)) {
      control = <textarea id={id} rows={5} class="input font-mono" value={v ?? ''} onInput={(e) => set(e.currentTarget.value)} data-testid={tid} />;
    } else {
      control = <input id={id} type={/password/.test(k) ? 'password' : 'text'} class="input" value={v ?? ''} autoComplete="off" onInput={(e) => set(e.currentTarget.value)} data-testid={tid} />;
    }
    return <div key={k} class={MULTILINE.has(k) ? 'sm:col-span-2' : ''}><label class="label" for={id}>{label(k)}</label>{control}{note(k)}</div>;
  };

  return (
    <>
    <form onSubmit={save}>
      <div class="mb-3 flex items-center gap-2">
        <h1 class="mr-auto text-lg font-semibold">Settings</h1>
        {dirty && <button type="button" class="btn btn-sm" onClick={() => setEdited({ ...data })}>Discard</button>}
        <button type="submit" class="btn btn-primary" disabled={!dirty || busy} data-testid="settings-save">{busy ? 'Saving…' : dirty ? `Save (${Object.keys(changes).length})` : 'Saved'}</button>
      </div>
      <ErrorBox error={saveError} testid="settings-error" />
      <div class="mb-3 flex flex-wrap gap-1" role="tablist">
        {tabs.map((t) => (
          <button key={t.id} type="button" role="tab" aria-selected={cur.id === t.id} onClick={() => setTab(t.id)} data-testid={`settings-tab-${t.id}`}
            class={`rounded-md px-3 py-1.5 text-sm ${cur.id === t.id ? 'bg-blue-600 text-white' : 'bg-white hover:bg-zinc-100 dark:bg-zinc-900 dark:hover:bg-zinc-800'}`}>{t.label}</button>
        ))}
      </div>
      <div class="card grid grid-cols-1 gap-3 sm:grid-cols-2" role="tabpanel">{cur.keys.map(input)}</div>
    </form>
    <WebhooksSection />
    </>
  );
}
