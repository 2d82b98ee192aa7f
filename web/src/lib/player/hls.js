// HLS player: native HLS where the browser has it and no MediaSource (iPhone Safari), else hls.js, imported lazily
// so it is only downloaded when a tile actually falls back to HLS. Chromium 14x+ also answers "maybe" for HLS, but
// its native player fails on our fMP4 playlists (DEMUXER_ERROR_COULD_NOT_PARSE), so MSE browsers use hls.js.
export function useNativeHls(video, win = globalThis) {
  return !win.MediaSource && !!video.canPlayType('application/vnd.apple.mpegurl');
}

export function createHlsPlayer(video, url, { onError, onPlaying } = {}) {
  let hls = null, closed = false;
  const onPlayingEv = () => onPlaying?.();
  const onErr = () => { if (!closed) { stop(); onError?.(new Error('HLS playback error')); } };

  async function start() {
    video.addEventListener('playing', onPlayingEv);
    if (useNativeHls(video)) {
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
