// PTZ controls on a live tile (issue 16): a touch-friendly pad for a stream with ptz_enabled, shown only to roles
// allowed to move cameras (operators: admin, user, api; the server refuses viewers too). Press an arrow or a zoom
// button = continuous move (POST .../ptz/move), release = stop (the server also stops a move nobody stopped after
// 10 s); Home; a presets select (goto-preset). For ONVIF streams a day/night select (PUT .../daynight).
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, enc } from '../lib/api.js';

export const PTZ_SPEED = 0.5; // velocity per press, of the generic −1..1 range

const MOVES = [
  ['up', '▲', 'Tilt up', { pan: 0, tilt: PTZ_SPEED, zoom: 0 }],
  ['left', '◀', 'Pan left', { pan: -PTZ_SPEED, tilt: 0, zoom: 0 }],
  ['right', '▶', 'Pan right', { pan: PTZ_SPEED, tilt: 0, zoom: 0 }],
  ['down', '▼', 'Tilt down', { pan: 0, tilt: -PTZ_SPEED, zoom: 0 }],
  ['zoom-in', '+', 'Zoom in', { pan: 0, tilt: 0, zoom: PTZ_SPEED }],
  ['zoom-out', '−', 'Zoom out', { pan: 0, tilt: 0, zoom: -PTZ_SPEED }],
];
// An inverted T (as keyboard arrows), home above left: two rows of finger-sized buttons, so the pad fits between
// a phone-width tile's name bar and its button row (a 3×3 diamond was taller than that space and covered the name).
const POS = { up: 'col-start-2 row-start-1', left: 'col-start-1 row-start-2', right: 'col-start-3 row-start-2', down: 'col-start-2 row-start-2' };
const BTN = 'flex h-11 w-11 select-none items-center justify-center rounded-md bg-black/60 text-lg text-white active:bg-blue-600 touch-none';

export function PtzPad({ stream }) {
  const name = stream.name;
  const base = `/api/streams/${enc(name)}`;
  const moving = useRef(false);
  const [presets, setPresets] = useState([]);
  const [dayNight, setDayNight] = useState(null);
  const [error, setError] = useState('');
  const fail = (e) => setError(e.message || String(e));

  useEffect(() => {
    api.get(`${base}/ptz/presets`).then((r) => setPresets(r.presets || [])).catch(fail);
    if (stream.isOnvif) api.get(`${base}/daynight`).then(setDayNight).catch(() => setDayNight(null));
  }, [name]);
  // Leaving (tile closed, page changed) while a button is held: stop the camera.
  useEffect(() => () => { if (moving.current) api.post(`${base}/ptz/stop`, {}).catch(() => {}); }, [name]);

  const start = (velocity) => (e) => {
    e.preventDefault();
    e.currentTarget.setPointerCapture?.(e.pointerId);
    moving.current = true;
    setError('');
    api.post(`${base}/ptz/move`, velocity).catch(fail);
  };
  const stop = () => {
    if (!moving.current) return;
    moving.current = false;
    api.post(`${base}/ptz/stop`, {}).catch(fail);
  };
  const home = () => { setError(''); api.post(`${base}/ptz/home`, {}).catch(fail); };
  const gotoPreset = (e) => {
    const token = e.currentTarget.value;
    e.currentTarget.value = '';
    if (token) api.post(`${base}/ptz/goto-preset`, { token }).catch(fail);
  };
  const setMode = (e) => {
    const mode = e.currentTarget.value;
    api.put(`${base}/daynight`, { mode }).then((r) => setDayNight((d) => ({ ...d, mode: r.mode }))).catch(fail);
  };

  const button = ([id, label, title, velocity]) => (
    <button key={id} type="button" class={`${BTN} ${POS[id] || ''}`} title={title} aria-label={`${title}: ${name}`} data-testid={`ptz-${id}`}
      onPointerDown={start(velocity)} onPointerUp={stop} onPointerCancel={stop} onLostPointerCapture={stop}
      onContextMenu={(e) => e.preventDefault()}>{label}</button>
  );
  return (
    <div class="absolute bottom-9 left-1 flex max-w-[calc(100%-0.5rem)] flex-wrap items-end gap-2 rounded-md bg-black/40 p-1.5 text-white" data-testid="ptz-pad"
      onClick={(e) => e.stopPropagation()} onDblClick={(e) => e.stopPropagation()}>
      <div class="grid grid-cols-3 grid-rows-2 gap-1">
        {MOVES.slice(0, 4).map(button)}
        <button type="button" class={`${BTN} col-start-1 row-start-1 text-xs`} title="Home" aria-label={`Home position: ${name}`} data-testid="ptz-home" onClick={home}>⌂</button>
      </div>
      <div class="flex flex-col gap-1">
        {MOVES.slice(4).map(button)}
      </div>
      <div class="flex flex-col gap-1 text-xs">
        <select class="select select-sm h-11 bg-black/60 text-white" aria-label={`Go to preset: ${name}`} data-testid="ptz-presets" onChange={gotoPreset} value="">
          <option value="">Presets…</option>
          {presets.map((p) => <option key={p.token} value={p.token}>{p.name || p.token}</option>)}
        </select>
        {dayNight && (
          <select class="select select-sm h-11 bg-black/60 text-white" aria-label={`Day/night: ${name}`} data-testid="ptz-daynight" onChange={setMode} value={dayNight.mode}>
            {dayNight.mode === 'unknown' && <option value="unknown" disabled>Day/night?</option>}
            {(dayNight.supported_modes?.length ? dayNight.supported_modes : ['auto', 'day', 'night']).map((m) => <option key={m} value={m}>{{ auto: 'Auto', day: 'Day', night: 'Night' }[m] || m}</option>)}
          </select>
        )}
        {error && <div class="max-w-40 rounded bg-red-700/90 px-1 py-0.5" role="alert" data-testid="ptz-error">{error}</div>}
      </div>
    </div>
  );
}
