// MSE player speaking go2rtc's WebSocket protocol (AlexxIT/go2rtc internal/api/ws, www/video-rtc.js):
// send {"type":"mse","value":"<codecs>"}, receive {"type":"mse","value":"<mime type>"}, then binary fMP4
// (init segment, then fragments). {"type":"error","value":...} reports a server-side failure.
import { getMediaSourceClass, mseCodecString, wsUrl } from './select.js';

const MAX_QUEUE = 64; // fragments held while the SourceBuffer is busy; beyond this we drop the connection
const KEEP_SECONDS = 10; // buffer kept behind the play head
const MAX_LATENCY = 2.5; // seconds behind the live edge before we jump forward

export function createMsePlayer(video, url, { onError, onPlaying } = {}) {
  const MS = getMediaSourceClass();
  let ws = null, ms = null, sb = null, objectUrl = null, closed = false;
  const queue = [];

  const fail = (msg) => { if (!closed) { stop(); onError?.(new Error(msg)); } };

  function pump() {
    if (!sb || sb.updating || !queue.length) return;
    try { sb.appendBuffer(queue.shift()); } catch (e) { fail(`MSE append failed: ${e.message}`); }
  }

  function trim() {
    if (!sb || sb.updating || !video.buffered.length) return;
    const end = video.buffered.end(video.buffered.length - 1);
    const start = video.buffered.start(0);
    // Before the first buffered range (a stream whose timestamps do not start at 0) or too far behind: jump.
    if (video.currentTime < start || end - video.currentTime > MAX_LATENCY) video.currentTime = Math.max(start, end - 0.5);
    if (video.currentTime - start > KEEP_SECONDS * 2) {
      try { sb.remove(start, video.currentTime - KEEP_SECONDS); } catch { /* busy, next time */ }
    }
  }

  function onMimeType(mime) {
    if (!MS.isTypeSupported(mime)) return fail(`Browser cannot play ${mime}`);
    ms = new MS();
    if (globalThis.ManagedMediaSource && ms instanceof globalThis.ManagedMediaSource) {
      video.disableRemotePlayback = true;
      video.srcObject = ms;
    } else {
      objectUrl = URL.createObjectURL(ms);
      video.src = objectUrl;
    }
    ms.addEventListener('sourceopen', () => {
      if (closed) return;
      try {
        sb = ms.addSourceBuffer(mime);
        sb.mode = 'segments';
      } catch (e) { return fail(`addSourceBuffer: ${e.message}`); }
      sb.addEventListener('updateend', () => { trim(); pump(); });
      sb.addEventListener('error', () => fail('SourceBuffer error'));
      pump();
      const p = video.play();
      if (p && p.catch) p.catch(() => { /* autoplay policy: muted tiles normally allowed */ });
    }, { once: true });
  }

  function start() {
    ws = new WebSocket(wsUrl(url));
    ws.binaryType = 'arraybuffer';
    ws.onopen = () => ws.send(JSON.stringify({ type: 'mse', value: mseCodecString((t) => MS.isTypeSupported(t)) }));
    ws.onmessage = (ev) => {
      if (typeof ev.data === 'string') {
        let msg;
        try { msg = JSON.parse(ev.data); } catch { return; }
        if (msg.type === 'mse') onMimeType(msg.value);
        else if (msg.type === 'error') fail(String(msg.value || 'stream error'));
        return;
      }
      if (queue.length >= MAX_QUEUE) return fail('Player fell behind');
      queue.push(ev.data);
      pump();
    };
    ws.onerror = () => fail('WebSocket error');
    ws.onclose = () => fail('Connection closed');
    video.addEventListener('playing', onPlayingEv);
  }
  const onPlayingEv = () => onPlaying?.();

  function stop() {
    if (closed) return;
    closed = true;
    video.removeEventListener('playing', onPlayingEv);
    if (ws) { ws.onclose = ws.onerror = ws.onmessage = null; try { ws.close(); } catch { /* ignore */ } }
    try { if (ms && ms.readyState === 'open') ms.endOfStream(); } catch { /* ignore */ }
    video.removeAttribute('src');
    video.srcObject = null;
    try { video.load(); } catch { /* ignore */ }
    if (objectUrl) URL.revokeObjectURL(objectUrl);
    queue.length = 0;
  }

  return { kind: 'mse', start, stop };
}
