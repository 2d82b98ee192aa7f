// Imaging sliders on a live tile (issue 16): for ONVIF streams, shown only to roles allowed to change the camera
// (operators: admin, user, api; the server refuses viewers too). Reads GET .../imaging/options for the ranges the
// camera offers and GET .../imaging/settings for the values; one slider per value the camera offers (brightness,
// contrast, saturation, sharpness, and noise reduction where its options list it). Releasing a slider sends that one
// value (PUT .../imaging/settings); the server checks it against the camera's options again.
import { useEffect, useState } from 'preact/hooks';
import { api, enc } from '../lib/api.js';

export const IMAGING_FIELDS = [
  ['brightness', 'Brightness'],
  ['contrast', 'Contrast'],
  ['color_saturation', 'Saturation'],
  ['sharpness', 'Sharpness'],
  ['noise_reduction', 'Noise reduction'],
];

export function ImagingPanel({ stream }) {
  const name = stream.name;
  const base = `/api/streams/${enc(name)}/imaging`;
  const [options, setOptions] = useState(null);
  const [values, setValues] = useState({});
  const [error, setError] = useState('');
  const [saved, setSaved] = useState('');

  useEffect(() => {
    let live = true;
    Promise.all([api.get(`${base}/options`), api.get(`${base}/settings`)])
      .then(([o, s]) => { if (live) { setOptions(o.options || {}); setValues(s.settings || {}); } })
      .catch((e) => live && setError(e.message || String(e)));
    return () => { live = false; };
  }, [name]);

  const send = (field, label) => (e) => {
    const value = Number(e.currentTarget.value);
    setError(''); setSaved('');
    api.put(`${base}/settings`, { [field]: value })
      .then(() => { setValues((v) => ({ ...v, [field]: value })); setSaved(`${label} ${value}`); })
      .catch((err) => setError(err.message || String(err)));
  };
  const fields = options ? IMAGING_FIELDS.filter(([f]) => options[f] && typeof options[f].min === 'number') : [];

  return (
    <div class="absolute right-1 top-8 max-h-[calc(100%-4.5rem)] w-48 max-w-[calc(100%-0.5rem)] space-y-1 overflow-y-auto rounded-md bg-black/60 p-2 text-xs text-white"
      data-testid="imaging-panel" onClick={(e) => e.stopPropagation()} onDblClick={(e) => e.stopPropagation()}>
      {!options && !error && <div>Reading the camera…</div>}
      {options && fields.length === 0 && <div data-testid="imaging-none">This camera offers no adjustable imaging values.</div>}
      {fields.map(([field, label]) => {
        const { min, max } = options[field];
        const step = max - min > 10 ? 1 : (max - min) / 100;
        const id = `imaging-${name}-${field}`;
        return (
          <label key={field} for={id} class="block">
            <span class="flex justify-between"><span>{label}</span><span data-testid={`imaging-value-${field}`}>{values[field] ?? '–'}</span></span>
            <input id={id} type="range" class="h-6 w-full touch-none accent-blue-500" min={min} max={max} step={step}
              value={values[field] ?? min} aria-label={`${label}: ${name}`} data-testid={`imaging-${field}`}
              onInput={(e) => { const v = Number(e.currentTarget.value); setValues((old) => ({ ...old, [field]: v })); }}
              onChange={send(field, label)} />
          </label>
        );
      })}
      {saved && !error && <div class="text-green-300" role="status" data-testid="imaging-saved">Set: {saved}</div>}
      {error && <div class="rounded bg-red-700/90 px-1 py-0.5" role="alert" data-testid="imaging-error">{error}</div>}
    </div>
  );
}
