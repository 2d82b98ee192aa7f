// One live tile: picks a player (WebRTC → MSE → HLS fallback, or the tile's own mode), reconnects with backoff,
// watches for stalls, stops when scrolled out of view or the tab is hidden, and offers snapshot + fullscreen.
import { useEffect, useRef, useState } from 'preact/hooks';
import { choosePlayers } from '../lib/player/select.js';
import { PLAYERS, AVAILABLE } from '../lib/player/index.js';
import { afterFailure } from '../lib/player/retry.js';
import { loadIceServers } from '../lib/player/iceServers.js';
import { IconCamera, IconExpand, IconFullscreen, IconImaging, IconMic, IconPtz } from './icons.jsx';
import { ImagingPanel } from './ImagingPanel.jsx';
import { PtzPad } from './PtzPad.jsx';
import { useAuth, can } from '../lib/auth.js';
import { useVideoZoom } from './useVideoZoom.js';
import { activeLabel } from '../lib/events.js';
import { RecordButton } from './RecordButton.jsx';
import { DetectionOverlay } from './DetectionOverlay.jsx';
import { useLiveDetections } from './useDetections.js';
import { isObjectModel } from '../lib/detectionBoxes.js';

const STALL_MS = 10000; // no currentTime progress for this long while "playing" → reconnect
const STALL_SHOW_MS = 3000; // ...and for this long → show "Stalled" on the tile
const NAME_BAR_PX = 30; // the name/status bar over the top of the tile: detection labels stay below it
const TILE_MODE_KEY = 'lightnvr.player.'; // + stream name: the tile's own player mode ('' follows the page's)
export const TILE_MODES = [['auto', 'Auto'], ['webrtc', 'WebRTC'], ['mse', 'MSE'], ['hls', 'HLS']];
/** Streams whose WebRTC offer the server refused as unplayable (415, e.g. H.265): name → the server's message. */
const webrtcRefused = new Map();

function useVisible(ref) {
  const [inView, setInView] = useState(true);
  const [docVisible, setDocVisible] = useState(!document.hidden);
  useEffect(() => {
    const onVis = () => setDocVisible(!document.hidden);
    document.addEventListener('visibilitychange', onVis);
    let io;
    if (typeof IntersectionObserver === 'function' && ref.current) {
      io = new IntersectionObserver(([e]) => setInView(e.isIntersecting), { threshold: 0.05 });
      io.observe(ref.current);
    }
    return () => { document.removeEventListener('visibilitychange', onVis); io?.disconnect(); };
  }, []);
  return inView && docVisible;
}

export function statusLabel(s) {
  return { connecting: 'Connecting…', playing: 'Live', stalled: 'Stalled…', reconnecting: 'Reconnecting…', paused: 'Paused', error: 'Error', disabled: 'Disabled', privacy: 'Privacy mode' }[s] || s;
}

export function VideoTile({ stream, caps, server, preferred = 'auto', onExpand, expanded = false, events = [], showBoxes = true }) {
  const boxRef = useRef(null);
  const videoRef = useRef(null);
  const visible = useVisible(boxRef);
  const [status, setStatus] = useState('connecting');
  const [kind, setKind] = useState('');
  const [detail, setDetail] = useState('');
  const [ptzOpen, setPtzOpen] = useState(false);
  const [note, setNote] = useState('');
  const [imagingOpen, setImagingOpen] = useState(false);
  const { user } = useAuth();
  const name = stream.name;
  const [ownMode, setOwnMode] = useState(() => localStorage.getItem(TILE_MODE_KEY + name) || '');
  const mode = ownMode || preferred;
  const pickMode = (m) => {
    const own = m === preferred ? '' : m; // the page's choice again: follow the page from now on
    setOwnMode(own);
    if (own) localStorage.setItem(TILE_MODE_KEY + name, own); else localStorage.removeItem(TILE_MODE_KEY + name);
  };
  // PTZ controls: streams with ptz_enabled, for roles that may move cameras (the server checks the same).
  const ptz = !!stream.ptz_enabled && can(user, 'edit');
  // Push-to-talk (two-way audio over WebRTC): streams with backchannel_enabled, for the same roles (the server checks too).
  const talkable = !!stream.backchannel_enabled && can(user, 'edit');
  const playerRef = useRef(null);
  const [talking, setTalking] = useState(false);
  const talk = (on) => {
    if (!playerRef.current?.setTalking) return;
    setTalking(on);
    playerRef.current.setTalking(on).catch((e) => { setTalking(false); setDetail(`Microphone: ${e.message}`); });
  };
  // Imaging sliders: ONVIF streams, same roles (changing the picture is controlling the camera).
  const imaging = !!stream.isOnvif && can(user, 'edit');
  const zoom = useVideoZoom(expanded); // digital zoom in the expanded view (wheel, pinch, drag; double-click resets)
  // Grid tiles use the sub-stream when there is one (registered as NAME_sub); expanded/fullscreen use the main stream.
  const src = stream.has_sub_stream && !expanded ? `${name}_sub` : name;
  const off = stream.enabled === false || stream.streaming_enabled === false ? 'disabled' : stream.privacy_mode ? 'privacy' : null;

  useEffect(() => {
    if (off) { setStatus(off); return undefined; }
    if (!visible) { setStatus('paused'); return undefined; }
    let attempts = choosePlayers({ name: src, ...caps, server, available: AVAILABLE, preferred: mode, skip: webrtcRefused.has(src) ? ['webrtc'] : [] });
    setNote(webrtcRefused.get(src) || '');
    if (!attempts.length) { setStatus('error'); setDetail('This browser cannot play any offered format'); return undefined; }
    let idx = 0, failures = 0, player = null, timer = null, stallTimer = null, lastT = -1, lastMove = Date.now(), dead = false;

    const run = () => {
      if (dead) return;
      const a = attempts[idx];
      setKind(a.kind);
      setStatus(failures ? 'reconnecting' : 'connecting');
      player = PLAYERS[a.kind](videoRef.current, a.url, {
        onPlaying: () => { failures = 0; setStatus('playing'); setDetail(''); lastMove = Date.now(); },
        onError: (e) => retry(e.message, e),
        talk: talkable,
        iceServers: loadIceServers,
      });
      playerRef.current = player;
      Promise.resolve(player.start()).catch((e) => retry(e.message, e));
    };
    const retry = (msg, err) => {
      if (dead) return;
      player?.stop(); player = null; playerRef.current = null; setTalking(false);
      setDetail(msg || '');
      if (err?.unplayable && attempts[idx]?.kind === 'webrtc') {
        // Not playable over WebRTC (415): never again for this stream in this page; the next kind at once.
        webrtcRefused.set(src, msg);
        setNote(msg);
        attempts = attempts.filter((a) => a.kind !== 'webrtc');
        idx = 0;
        if (!attempts.length) { setStatus('error'); return; }
        clearTimeout(timer);
        timer = setTimeout(run, 0);
        return;
      }
      const n = afterFailure({ idx, failures }, attempts.length);
      idx = n.idx; failures = n.failures;
      setStatus('reconnecting');
      clearTimeout(timer);
      timer = setTimeout(run, n.delay);
    };
    stallTimer = setInterval(() => {
      const v = videoRef.current;
      if (!v || !player) return;
      if (v.currentTime !== lastT) {
        lastT = v.currentTime; lastMove = Date.now();
        setStatus((st) => (st === 'stalled' ? 'playing' : st));
        return;
      }
      const idle = Date.now() - lastMove;
      if (idle > STALL_MS) { lastMove = Date.now(); retry('Stream stalled'); }
      else if (idle > STALL_SHOW_MS) setStatus((st) => (st === 'playing' ? 'stalled' : st));
    }, 1000);
    run();
    return () => { dead = true; clearTimeout(timer); clearInterval(stallTimer); player?.stop(); };
  }, [src, visible, off, caps, server, mode, talkable]);

  // Object detection boxes (GET /api/detection/results) while the tile plays a stream with an object model, unless the
  // Live page's "Boxes" switch is off (then nothing is polled).
  const boxes = useLiveDetections(name, stream.detection_interval, showBoxes && status === 'playing' && isObjectModel(stream.detection_model));

  const snapshot = () => {
    const v = videoRef.current;
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    const a = document.createElement('a');
    a.download = `${name}_${stamp}.jpg`;
    if (v && v.videoWidth) {
      const c = document.createElement('canvas');
      c.width = v.videoWidth; c.height = v.videoHeight;
      c.getContext('2d').drawImage(v, 0, 0);
      a.href = c.toDataURL('image/jpeg', 0.92);
    } else {
      a.href = `/go2rtc/api/frame.jpeg?src=${encodeURIComponent(name)}`;
    }
    a.click();
  };
  const fullscreen = () => {
    const el = boxRef.current;
    if (document.fullscreenElement) document.exitFullscreen();
    else if (el.requestFullscreen) el.requestFullscreen().catch(() => onExpand?.());
    else onExpand?.();
  };

  const dot = status === 'playing' ? 'bg-green-500' : status === 'error' ? 'bg-red-500' : status === 'disabled' || status === 'privacy' || status === 'paused' ? 'bg-zinc-400' : 'bg-amber-400 animate-pulse';
  return (
    <div ref={boxRef} class="group relative aspect-video overflow-hidden rounded-md bg-black" data-testid="live-tile" data-stream={name} data-status={status} data-player={kind}>
      <video ref={videoRef} class="h-full w-full object-contain" muted playsInline autoPlay data-testid="live-video"
        style={zoom.style} {...zoom.handlers} onDblClick={expanded ? zoom.handlers.onDblClick : fullscreen} />
      {boxes.length > 0 && <DetectionOverlay videoRef={videoRef} rows={boxes} style={zoom.style} topInset={NAME_BAR_PX} />}
      {zoom.zoomed && <button class="btn btn-sm absolute bottom-1 left-1 border-0 bg-black/60 text-white" onClick={zoom.reset} data-testid="tile-zoom-reset">1×</button>}
      <div class="pointer-events-none absolute inset-x-0 top-0 flex items-center gap-2 bg-gradient-to-b from-black/70 to-transparent px-2 py-1.5 text-xs text-white" data-testid="tile-namebar">
        <span class={`inline-block h-2 w-2 rounded-full ${dot}`} />
        <span class="truncate font-medium">{name}</span>
        {events.length > 0 && (
          <span class="badge animate-pulse bg-red-600 text-white" title={`${events.length} active event(s)`} data-testid="tile-event" data-label={activeLabel(events, name)}>
            {activeLabel(events, name) || 'event'}{events.length > 1 ? ` +${events.length - 1}` : ''}
          </span>
        )}
        {note && <span class="opacity-70" title={note} data-testid="tile-note">WebRTC n/a</span>}
        <span class="ml-auto opacity-80" data-testid="tile-status">{statusLabel(status)}{kind && status === 'playing' ? ` · ${kind === 'webrtc' ? 'WebRTC' : kind.toUpperCase()}` : ''}</span>
      </div>
      {status !== 'playing' && (
        <div class="absolute inset-0 flex items-center justify-center p-4 text-center text-sm text-zinc-300">
          <div>
            <div>{statusLabel(status)}</div>
            {detail && <div class="mt-1 hidden text-xs opacity-70 sm:block">{detail}</div>}
          </div>
        </div>
      )}
      {ptz && ptzOpen && <PtzPad stream={stream} />}
      {imaging && imagingOpen && <ImagingPanel stream={stream} />}
      <div data-testid="tile-buttons" class="absolute bottom-1 right-1 flex gap-1 opacity-100 sm:opacity-0 sm:group-hover:opacity-100 sm:focus-within:opacity-100">
        {ptz && <button class={`btn btn-sm border-0 text-white ${ptzOpen ? 'bg-blue-600' : 'bg-black/60 hover:bg-black/80'}`} onClick={() => setPtzOpen((o) => !o)}
          aria-label={`PTZ controls: ${name}`} aria-pressed={ptzOpen} title="PTZ controls" data-testid="tile-ptz"><IconPtz /></button>}
        <select class="btn btn-sm border-0 bg-black/60 px-1 text-white hover:bg-black/80" value={mode} aria-label={`Player for ${name}`}
          title="Player for this tile" data-testid="tile-mode" onChange={(e) => pickMode(e.currentTarget.value)}>
          {TILE_MODES.filter(([m]) => m !== 'webrtc' || server?.webrtc_offered).map(([m, label]) => <option key={m} value={m}>{label}</option>)}
        </select>
        {talkable && kind === 'webrtc' && status === 'playing' && (
          <button class={`btn btn-sm min-h-11 min-w-11 touch-none select-none border-0 text-white ${talking ? 'bg-red-600' : 'bg-black/60 hover:bg-black/80'}`}
            aria-label={`Push to talk: ${name}`} aria-pressed={talking} title="Hold to talk" data-testid="tile-talk"
            onPointerDown={(e) => { e.preventDefault(); talk(true); }} onPointerUp={() => talk(false)}
            onPointerLeave={() => talking && talk(false)} onPointerCancel={() => talk(false)}
            onContextMenu={(e) => e.preventDefault()}><IconMic /></button>
        )}
        {imaging && <button class={`btn btn-sm border-0 text-white ${imagingOpen ? 'bg-blue-600' : 'bg-black/60 hover:bg-black/80'}`} onClick={() => setImagingOpen((o) => !o)}
          aria-label={`Imaging controls: ${name}`} aria-pressed={imagingOpen} title="Imaging (brightness, contrast…)" data-testid="tile-imaging"><IconImaging /></button>}
        <RecordButton name={name} />
        <button class="btn btn-sm border-0 bg-black/60 text-white hover:bg-black/80" onClick={snapshot} aria-label={`Snapshot of ${name}`} title="Snapshot" data-testid="tile-snapshot"><IconCamera /></button>
        {onExpand && <button class="btn btn-sm border-0 bg-black/60 text-white hover:bg-black/80" onClick={onExpand} aria-label={`Expand ${name}`} title="Expand" data-testid="tile-expand"><IconExpand /></button>}
        <button class="btn btn-sm border-0 bg-black/60 text-white hover:bg-black/80" onClick={fullscreen} aria-label={`Fullscreen ${name}`} title="Fullscreen" data-testid="tile-fullscreen"><IconFullscreen /></button>
      </div>
    </div>
  );
}
