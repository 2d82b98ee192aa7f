import { useRef, useState } from 'preact/hooks';
import { api, enc } from '../lib/api.js';
import { GROUPS, newStreamDefaults, fromServer, validateStream, toRequestBody, fieldForError } from '../lib/streamForm.js';
import { ErrorBox, Modal, toast } from './ui.jsx';
import { ScheduleGrid } from './ScheduleGrid.jsx';
import { ZoneEditor } from './ZoneEditor.jsx';

export function StreamForm({ stream, onClose, onSaved }) {
  const creating = !stream;
  const [s, setS] = useState(() => (stream ? fromServer(stream) : newStreamDefaults()));
  const [tab, setTab] = useState('basic');
  const [errors, setErrors] = useState({});
  const [formError, setFormError] = useState('');
  const [busy, setBusy] = useState(false);
  const [test, setTest] = useState(null); // {ok, text}
  const zonesShown = useRef(false); // the zone editor mounts when its tab is first opened, then stays (keeps its drawing)
  if (tab === 'detection') zonesShown.current = true;
  const pendingZones = useRef(null); // saves unsaved zone changes, or null

  const upd = (k, v) => { setS((x) => ({ ...x, [k]: v })); if (errors[k]) setErrors((e) => ({ ...e, [k]: undefined })); };
  const groupOf = (key) => GROUPS.find((g) => g.fields.some((f) => f.key === key))?.id;

  const save = async (e) => {
    e.preventDefault();
    const v = validateStream(s, creating);
    setErrors(v); setFormError('');
    const firstBad = Object.keys(v)[0];
    if (firstBad) { setTab(groupOf(firstBad)); return; }
    setBusy(true);
    try {
      const body = toRequestBody(s, creating);
      if (creating) await api.post('/api/streams', body);
      else await api.put(`/api/streams/${enc(stream.name)}`, body);
      if (pendingZones.current && !(await pendingZones.current())) {
        setTab('detection');
        setFormError('The stream was saved, the zones were not: see the message under the zones.');
        return;
      }
      toast(creating ? `Stream ${s.name} added` : `Stream ${stream.name} saved`);
      onSaved();
    } catch (err) {
      const k = fieldForError(err.message);
      if (k) { setErrors({ [k]: err.message }); setTab(groupOf(k)); }
      setFormError(err.message);
    } finally { setBusy(false); }
  };

  const testConn = async () => {
    setTest({ ok: null, text: 'Testing…' });
    try {
      const r = await api.post('/api/streams/test', { url: s.url.trim(), protocol: Number(s.protocol), onvif_username: s.isOnvif ? s.onvif_username : undefined, onvif_password: s.isOnvif ? s.onvif_password : undefined });
      if (r?.success) {
        const i = r.info || {};
        setTest({ ok: true, text: `Connected${i.codec ? `: ${i.codec}` : ''}${i.width ? ` ${i.width}×${i.height}` : ''}${i.fps ? ` @ ${i.fps} fps` : ''}` });
      } else setTest({ ok: false, text: r?.message || 'Connection failed' });
    } catch (err) { setTest({ ok: false, text: err.message }); }
  };

  const renderField = (f) => {
    if (f.showIf && !f.showIf(s)) return null;
    if (f.createOnly && !creating) return null;
    const id = `sf-${f.key}`;
    const tid = `stream-field-${f.key}`;
    const err = errors[f.key];
    const cls = `input ${err ? 'border-red-500' : ''}`;
    let control;
    if (f.type === 'bool') {
      return (
        <label key={f.key} class="flex min-h-10 items-center gap-2 text-sm sm:col-span-1">
          <input id={id} type="checkbox" class="h-5 w-5 accent-blue-600" checked={!!s[f.key]} onChange={(e) => upd(f.key, e.currentTarget.checked)} data-testid={tid} />{f.label}
        </label>
      );
    }
    if (f.type === 'schedule') {
      return <div key={f.key} class="sm:col-span-2"><p class="label">{f.label}</p><ScheduleGrid value={s[f.key]} onChange={(v) => upd(f.key, v)} testid={tid} /></div>;
    }
    if (f.type === 'select') {
      control = (
        <select id={id} class={cls} value={s[f.key]} onChange={(e) => upd(f.key, f.num ? Number(e.currentTarget.value) : e.currentTarget.value)} data-testid={tid}>
          {f.options.map(([v, l]) => <option key={v} value={v}>{l}</option>)}
        </select>
      );
    } else if (f.type === 'textarea') {
      control = <textarea id={id} class={`${cls} font-mono`} rows={4} value={s[f.key]} onInput={(e) => upd(f.key, e.currentTarget.value)} data-testid={tid} />;
    } else if (f.type === 'number') {
      control = <input id={id} type="number" class={cls} min={f.min} max={f.max} step={f.step || 1} value={s[f.key]} inputMode="decimal"
        onInput={(e) => upd(f.key, e.currentTarget.value === '' ? '' : Number(e.currentTarget.value))} data-testid={tid} />;
    } else {
      control = <input id={id} type={f.type === 'password' ? 'password' : 'text'} class={cls} value={s[f.key]} required={f.required} autoComplete="off" spellcheck={false}
        onInput={(e) => upd(f.key, e.currentTarget.value)} data-testid={tid} aria-invalid={!!err} aria-describedby={err ? `${id}-err` : undefined} />;
    }
    return (
      <div key={f.key} class={f.type === 'textarea' || f.key === 'url' ? 'sm:col-span-2' : ''}>
        <label class="label" for={id}>{f.label}{f.required && ' *'}</label>
        {control}
        {f.hint && !err && <p class="mt-1 text-xs text-zinc-500">{f.hint}</p>}
        {err && <p id={`${id}-err`} class="mt-1 text-xs text-red-600" data-testid={`stream-error-${f.key}`}>{err}</p>}
      </div>
    );
  };

  return (
    <Modal title={creating ? 'Add stream' : `Edit ${stream.name}`} wide onClose={onClose} testid="stream-form">
      <form onSubmit={save} noValidate>
        <div class="mb-3 flex flex-wrap gap-1 border-b border-zinc-200 pb-2 dark:border-zinc-800" role="tablist">
          {GROUPS.map((g) => {
            const bad = g.fields.some((f) => errors[f.key]);
            return (
              <button key={g.id} type="button" role="tab" aria-selected={tab === g.id} onClick={() => setTab(g.id)} data-testid={`stream-tab-${g.id}`}
                class={`rounded-md px-3 py-1.5 text-sm ${tab === g.id ? 'bg-blue-600 text-white' : 'hover:bg-zinc-100 dark:hover:bg-zinc-800'} ${bad ? 'ring-2 ring-red-500' : ''}`}>{g.label}</button>
            );
          })}
        </div>
        {GROUPS.map((g) => (
          <div key={g.id} role="tabpanel" hidden={tab !== g.id} class="grid grid-cols-1 gap-3 sm:grid-cols-2">
            {g.fields.map(renderField)}
            {g.id === 'detection' && (creating
              ? <p class="muted sm:col-span-2" data-testid="zone-after-create">Detection zones can be drawn once the stream is saved.</p>
              : zonesShown.current && <ZoneEditor stream={stream.name} onPending={(fn) => { pendingZones.current = fn; }} />)}
          </div>
        ))}
        {test && <p class={`mt-3 text-sm ${test.ok ? 'text-green-700 dark:text-green-400' : test.ok === false ? 'text-red-600' : 'text-zinc-500'}`} role="status" data-testid="stream-test-result">{test.text}</p>}
        <ErrorBox error={formError} testid="stream-form-error" />
        <div class="mt-4 flex flex-wrap justify-end gap-2">
          <button type="button" class="btn mr-auto" onClick={testConn} disabled={!s.url.trim()} data-testid="stream-test">Test connection</button>
          <button type="button" class="btn" onClick={onClose}>Cancel</button>
          <button type="submit" class="btn btn-primary" disabled={busy} data-testid="stream-save">{busy ? 'Saving…' : 'Save'}</button>
        </div>
      </form>
    </Modal>
  );
}
