// HLS player: native HLS where the browser has it (Safari), else hls.js, imported lazily so it is only
// downloaded when a tile actually falls back to HLS.
export function createHlsPlayer(video, url, { onError, onPlaying } = {}) {
  let hls = null, closed = false;
  const onPlayingEv = () => onPlaying?.();
  const onErr = () => { if (!closed) { stop(); onError?.(new Error('HLS playback error')); } };

  async function start() {
    video.addEventListener('playing', onPlayingEv);
    if (video.canPlayType('application/vnd.apple.mpegurl')) {
      video.addEventListener('error', onErr);
      video.src = url;
      video.play().catch(() => {});
      return;
    }
    const { default: Hls } = await import('hls.js/light');
    if (closed) return;
    if (!Hls.isSupported()) return onErr();
    hls = new Hls({ lowLatencyMode: true, liveSyncDurationCount: 2, backBufferLength: 10 });
    hls.on(Hls.Events.ERROR, (_e, data) => { if (data.fatal) onErr(); });
    hls.loadSource(url);
    hls.attachMedia(video);
    hls.on(Hls.Events.MANIFEST_PARSED, () => video.play().catch(() => {}));
  }

  function stop() {
    if (closed) return;
    closed = true;
    video.removeEventListener('playing', onPlayingEv);
    video.removeEventListener('error', onErr);
    if (hls) hls.destroy();
    video.removeAttribute('src');
    try { video.load(); } catch { /* ignore */ }
  }

  return { kind: 'hls', start, stop };
}
