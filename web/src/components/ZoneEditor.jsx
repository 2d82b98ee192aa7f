// Detection zones of one stream, drawn over a fresh snapshot: tap/click adds points to the zone being drawn, the
// first point (or "Finish") closes it, points drag with mouse or finger (pointer events + capture), a tapped point
// can be deleted. Saved with POST /api/streams/{name}/zones (all zones at once); the server's 400 message is shown.
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, enc } from '../lib/api.js';
import { MAX_POINTS, MAX_ZONES, fromServerZone, newZone, pointFromClient, pointInPolygon, svgPoints, toZonesBody, validateZones, closingCrosses } from '../lib/zones.js';
import { ErrorBox, toast } from './ui.jsx';

const DOUBLE_TAP = 0.01; // a tap within 1 % of the picture from the previous point adds nothing (double tap or double click)
const noEnter = (e) => { if (e.key === 'Enter') e.preventDefault(); }; // Enter in a zone field must not submit the stream form

/**
 * `onPending(fn)`: called with a function that saves the unsaved changes (resolving to true when saved) while there
 * are any, and with null when there are none, so the stream form's Save can save the zones too.
 */
export function ZoneEditor({ stream, onPending }) {
  const [zones, setZones] = useState(null); // null = loading
  const [state, setState] = useState('loading'); // loading | ready | unavailable | error
  const [loadError, setLoadError] = useState('');
  const [sel, setSel] = useState(-1); // selected zone index
  const [point, setPoint] = useState(-1); // selected point index in the selected zone
  const [drawing, setDrawing] = useState(false);
  const [dirty, setDirty] = useState(false);
  const [shown, setShown] = useState(null); // validation result shown after a save attempt
  const [saveError, setSaveError] = useState('');
  const [busy, setBusy] = useState(false);
  const [shot, setShot] = useState(() => Date.now());
  const [pic, setPic] = useState({ ok: null, w: 16, h: 9 });
  const overlay = useRef(null);
  const drag = useRef(null);

  const load = () => {
    setState('loading');
    api.get(`/api/streams/${enc(stream)}/zones`).then((d) => {
      setZones((d?.zones || []).map(fromServerZone)); setState('ready'); setSel(-1); setPoint(-1); setDrawing(false); setDirty(false); setShown(null);
    }, (e) => { if (e.status === 404) setState('unavailable'); else { setLoadError(e.message); setState('error'); } });
  };
  useEffect(load, [stream]);
  const saveRef = useRef(null);
  useEffect(() => { onPending?.(dirty ? () => saveRef.current() : null); }, [dirty]);
  useEffect(() => () => onPending?.(null), []);

  if (state === 'unavailable') return <p class="muted sm:col-span-2" data-testid="zone-unavailable">Detection zones: this server does not support them yet.</p>;
  if (state === 'error') return <div class="sm:col-span-2"><ErrorBox error={loadError} onRetry={load} testid="zone-load-error" /></div>;
  if (!zones) return <p class="muted sm:col-span-2">Loading zones…</p>;

  const zone = zones[sel];
  const change = (next) => { setZones(next); setDirty(true); setShown(null); setSaveError(''); };
  const updZone = (i, patch) => change(zones.map((z, k) => (k === i ? { ...z, ...patch } : z)));
  const setPoly = (i, poly) => updZone(i, { polygon: poly });
  const at = (e) => pointFromClient(e.clientX, e.clientY, overlay.current.getBoundingClientRect());

  const onOverlayDown = (e) => {
    if (e.button > 0) return;
    const p = at(e);
    if (drawing && zone) {
      e.preventDefault();
      const last = zone.polygon[zone.polygon.length - 1];
      if (last && Math.abs(last.x - p.x) < DOUBLE_TAP && Math.abs(last.y - p.y) < DOUBLE_TAP) return; // a double tap is one point
      if (zone.polygon.length >= MAX_POINTS) { toast(`A zone may have at most ${MAX_POINTS} points`, 'error'); return; }
      setPoly(sel, [...zone.polygon, p]);
      setPoint(zone.polygon.length);
      return;
    }
    const hit = zones.map((z, i) => i).reverse().find((i) => zones[i].polygon.length >= 3 && pointInPolygon(p, zones[i].polygon));
    setSel(hit ?? -1); setPoint(-1);
  };
  const onHandleDown = (e, zi, pi) => {
    e.stopPropagation(); e.preventDefault();
    if (drawing && zi === sel && pi === 0 && zones[zi].polygon.length >= 3) { setDrawing(false); setPoint(-1); return; }
    setSel(zi); setPoint(pi);
    drag.current = { zi, pi, id: e.pointerId };
    e.currentTarget.setPointerCapture?.(e.pointerId);
  };
  const onHandleMove = (e) => {
    const d = drag.current;
    if (!d || d.id !== e.pointerId) return;
    const p = at(e);
    setZones((zs) => zs.map((z, k) => (k === d.zi ? { ...z, polygon: z.polygon.map((q, j) => (j === d.pi ? p : q)) } : z)));
    setDirty(true); setShown(null);
  };
  const onHandleUp = () => { drag.current = null; };

  const add = () => {
    if (zones.length >= MAX_ZONES) { toast(`At most ${MAX_ZONES} zones per stream`, 'error'); return; }
    change([...zones, newZone(zones)]);
    setSel(zones.length); setPoint(-1); setDrawing(true);
  };
  const removeZone = () => { change(zones.filter((_, k) => k !== sel)); setSel(-1); setPoint(-1); setDrawing(false); };
  const removePoint = () => { setPoly(sel, zone.polygon.filter((_, j) => j !== point)); setPoint(-1); };

  const save = async () => {
    const v = validateZones(zones);
    setShown(v); setSaveError('');
    if (!v.ok) { const bad = v.zones.findIndex((x) => x.length); if (bad >= 0) setSel(bad); return false; }
    setBusy(true);
    try {
      if (zones.length) await api.post(`/api/streams/${enc(stream)}/zones`, toZonesBody(zones, stream));
      else await api.del(`/api/streams/${enc(stream)}/zones`);
      toast(`Zones of ${stream} saved`);
      setDirty(false); setDrawing(false); setShown(null);
      return true;
    } catch (err) { setSaveError(err.message); return false; } finally { setBusy(false); }
  };

  saveRef.current = save;
  const crossing = drawing && zone && closingCrosses(zone.polygon);
  const messages = shown ? [...shown.general, ...shown.zones.flatMap((errs, i) => errs.map((m) => `${zones[i].name || zones[i].id}: ${m}`))] : [];
  const src = `/go2rtc/api/frame.jpeg?src=${enc(stream)}&t=${shot}`;

  return (
    <div class="sm:col-span-2" data-testid="zone-editor" data-count={zones.length} data-dirty={dirty ? 'true' : 'false'}>
      <div class="mb-2 flex flex-wrap items-center gap-2">
        <p class="label mb-0 mr-auto">Detection zones {dirty && <span class="text-xs font-normal text-amber-600">(unsaved)</span>}</p>
        <button type="button" class="btn btn-sm" onClick={() => { setShot(Date.now()); setPic((p) => ({ ...p, ok: null })); }} data-testid="zone-refresh">New picture</button>
        <button type="button" class="btn btn-sm" onClick={add} disabled={drawing} data-testid="zone-add">Add zone</button>
      </div>
      {/* At most 55 % of the screen height, so the whole picture and the buttons under it fit without scrolling. */}
      <div class="relative mx-auto w-full overflow-hidden rounded bg-zinc-800" style={{ aspectRatio: `${pic.w} / ${pic.h}`, maxWidth: `calc(55vh * ${pic.w / pic.h})` }}>
        <img src={src} alt={`Snapshot of ${stream}`} class="absolute inset-0 h-full w-full" draggable={false} data-testid="zone-snapshot"
          onLoad={(e) => setPic({ ok: true, w: e.currentTarget.naturalWidth || 16, h: e.currentTarget.naturalHeight || 9 })}
          onError={() => setPic((p) => ({ ...p, ok: false }))} />
        {pic.ok === false && <p class="absolute inset-x-0 top-2 text-center text-xs text-zinc-300">No picture from the camera right now; zones can still be drawn.</p>}
        <div ref={overlay} class={`absolute inset-0 touch-none select-none ${drawing ? 'cursor-crosshair' : 'cursor-pointer'}`} onPointerDown={onOverlayDown} data-testid="zone-canvas">
          <svg class="absolute inset-0 h-full w-full" viewBox="0 0 1 1" preserveAspectRatio="none" aria-hidden="true">
            {zones.map((z, i) => {
              const closed = !(drawing && i === sel);
              const Shape = closed ? 'polygon' : 'polyline';
              return (
                <Shape key={z.id + i} points={svgPoints(z.polygon)} fill={closed ? z.color : 'none'} fill-opacity={z.enabled ? 0.3 : 0.1}
                  stroke={z.color} stroke-width={i === sel ? 3 : 2} stroke-dasharray={z.enabled ? undefined : '6 4'} vector-effect="non-scaling-stroke" data-testid="zone-shape" data-id={z.id} />
              );
            })}
          </svg>
          {zone && zone.polygon.map((p, j) => (
            <span key={j} class="absolute flex h-7 w-7 -translate-x-1/2 -translate-y-1/2 touch-none items-center justify-center" style={{ left: `${p.x * 100}%`, top: `${p.y * 100}%` }}
              onPointerDown={(e) => onHandleDown(e, sel, j)} onPointerMove={onHandleMove} onPointerUp={onHandleUp} onPointerCancel={onHandleUp}
              data-testid="zone-point" data-index={j}>
              <span class={`block rounded-full border-2 border-white ${j === point ? 'h-4 w-4' : 'h-3 w-3'} ${drawing && j === 0 && zone.polygon.length >= 3 ? 'ring-2 ring-white' : ''}`} style={{ background: zone.color }} />
            </span>
          ))}
        </div>
      </div>
      <p class="muted mt-1 text-xs">
        {drawing ? `Tap or click to add points (${zone?.polygon.length || 0}/${MAX_POINTS}); tap the first point or Finish to close.` : 'Tap a zone to select it; drag its points to move them.'}
        {crossing && <span class="text-amber-600"> Closing now would make the outline cross itself.</span>}
      </p>

      <div class="mt-2 flex flex-wrap gap-1">
        {zones.map((z, i) => (
          <button key={z.id + i} type="button" class={`btn btn-sm ${i === sel ? 'btn-primary' : ''}`} onClick={() => { setSel(i); setPoint(-1); if (drawing && i !== sel) setDrawing(false); }} data-testid="zone-item" data-id={z.id}>
            <span class="inline-block h-2.5 w-2.5 rounded-full" style={{ background: z.color }} />{z.name || z.id}
          </button>
        ))}
        {zones.length === 0 && <span class="muted text-xs">No zones: motion anywhere in the picture counts.</span>}
      </div>

      {zone && (
        <div class="mt-3 grid grid-cols-1 gap-3 rounded-md border border-zinc-200 p-3 sm:grid-cols-2 dark:border-zinc-800" data-testid="zone-fields">
          <div><label class="label" for="zone-name">Zone name</label>
            <input id="zone-name" class="input" value={zone.name} maxLength={63} onInput={(e) => updZone(sel, { name: e.currentTarget.value })} onKeyDown={noEnter} data-testid="zone-name" /></div>
          <div class="flex items-end gap-3">
            <label class="flex min-h-10 items-center gap-2 text-sm"><input type="checkbox" class="h-5 w-5 accent-blue-600" checked={zone.enabled} onChange={(e) => updZone(sel, { enabled: e.currentTarget.checked })} data-testid="zone-enabled" />Enabled</label>
            <label class="flex min-h-10 items-center gap-2 text-sm">Colour<input type="color" class="h-9 w-12 cursor-pointer rounded border border-zinc-300" value={zone.color} onInput={(e) => updZone(sel, { color: e.currentTarget.value })} data-testid="zone-color" /></label>
          </div>
          <div><label class="label" for="zone-classes">Object classes</label>
            <input id="zone-classes" class="input" value={zone.filter_classes} placeholder="all (e.g. person,car)" onInput={(e) => updZone(sel, { filter_classes: e.currentTarget.value })} onKeyDown={noEnter} data-testid="zone-classes" /></div>
          <div><label class="label" for="zone-conf">Minimum confidence (0–1)</label>
            <input id="zone-conf" type="number" class="input" min="0" max="1" step="0.05" inputMode="decimal" value={zone.min_confidence}
              onInput={(e) => updZone(sel, { min_confidence: e.currentTarget.value === '' ? 0 : Number(e.currentTarget.value) })} onKeyDown={noEnter} data-testid="zone-confidence" /></div>
          <div class="flex flex-wrap gap-2 sm:col-span-2">
            {drawing
              ? <button type="button" class="btn btn-sm btn-primary" disabled={zone.polygon.length < 3} onClick={() => { setDrawing(false); setPoint(-1); }} data-testid="zone-close">Finish outline</button>
              : <button type="button" class="btn btn-sm" onClick={() => { setPoly(sel, []); setDrawing(true); setPoint(-1); }} data-testid="zone-redraw">Redraw</button>}
            {drawing && zone.polygon.length > 0 && <button type="button" class="btn btn-sm" onClick={() => { setPoly(sel, zone.polygon.slice(0, -1)); setPoint(-1); }} data-testid="zone-undo">Undo point</button>}
            <button type="button" class="btn btn-sm" disabled={point < 0} onClick={removePoint} data-testid="zone-point-delete">Delete point</button>
            <button type="button" class="btn btn-sm btn-danger ml-auto" onClick={removeZone} data-testid="zone-delete">Delete zone</button>
          </div>
        </div>
      )}

      {messages.length > 0 && (
        <ul class="mt-2 list-disc rounded-md border border-red-300 bg-red-50 py-2 pl-6 pr-3 text-sm text-red-800 dark:border-red-800 dark:bg-red-950 dark:text-red-200" role="alert" data-testid="zone-errors">
          {messages.map((m) => <li key={m}>{m}</li>)}
        </ul>
      )}
      <ErrorBox error={saveError} testid="zone-save-error" />
      <div class="mt-2 flex justify-end gap-2">
        {dirty && <button type="button" class="btn btn-sm" onClick={load} data-testid="zone-revert">Discard changes</button>}
        <button type="button" class="btn btn-sm btn-primary" onClick={save} disabled={busy || !dirty} data-testid="zone-save">{busy ? 'Saving…' : 'Save zones'}</button>
      </div>
    </div>
  );
}
