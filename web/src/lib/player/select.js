// Which live player a tile tries, in order. MSE over the go2rtc WebSocket first when the browser has MediaSource
// and can play at least one video codec the server might send; then HLS (native or hls.js). WebRTC goes first when
// the server offers it and the browser has RTCPeerConnection, in "auto" and when picked; the WebRTC player gives up
// after a bounded time (webrtc.js) so the tile falls back to MSE then HLS. `skip` drops kinds the server refused for
// this stream (an H.265 camera answers WebRTC offers 415). `available` lists the implemented kinds.

/** Codecs go2rtc's MSE negotiation understands, in go2rtc's order (video first). */
export const MSE_CODECS = ['avc1.640029', 'avc1.64002A', 'avc1.4D401F', 'hvc1.1.6.L153.B0', 'mp4a.40.2', 'mp4a.40.5', 'flac', 'opus'];
const VIDEO_PREFIXES = ['avc1', 'hvc1', 'hev1'];

/** The value of the client's {"type":"mse","value":...} message: the supported codecs, comma-separated. */
export function mseCodecString(isTypeSupported) {
  return MSE_CODECS.filter((c) => {
    try { return isTypeSupported(`video/mp4; codecs="${c}"`); } catch { return false; }
  }).join(',');
}

/** MediaSource constructor to use: ManagedMediaSource (iOS 17+ Safari) or MediaSource, else null. */
export function getMediaSourceClass(win = globalThis) {
  return win.ManagedMediaSource || win.MediaSource || null;
}

export function hlsUrls(name) {
  const e = encodeURIComponent(name);
  return [`/go2rtc/api/stream.m3u8?src=${e}&mp4`, `/hls/${e}/index.m3u8`];
}

/**
 * @param {object} o
 * @param {string} o.name stream name (the go2rtc src)
 * @param {boolean} o.mse browser has MediaSource/ManagedMediaSource
 * @param {string} o.codecs result of mseCodecString
 * @param {boolean} o.webrtc browser has RTCPeerConnection
 * @param {object} o.server {mse_disabled, hls_disabled, webrtc_disabled, webrtc_offered}
 * @param {string[]} o.available implemented player kinds
 * @param {string} [o.preferred] user's choice ('auto'|'mse'|'hls'|'webrtc'); moved to the front when possible
 * @param {string[]} [o.skip] kinds not to try (refused by the server for this stream)
 * @returns {{kind:string, url:string}[]} attempts in order
 */
export function choosePlayers({ name, mse, codecs, webrtc = false, server = {}, available = ['mse', 'hls'], preferred = 'auto', skip = [] }) {
  const e = encodeURIComponent(name);
  const hasVideoCodec = (codecs || '').split(',').some((c) => VIDEO_PREFIXES.some((p) => c.startsWith(p)));
  const out = [];
  if (webrtc && (preferred === 'webrtc' || preferred === 'auto' || !preferred) && server.webrtc_offered &&
    !server.webrtc_disabled && available.includes('webrtc') && !skip.includes('webrtc'))
    out.push({ kind: 'webrtc', url: `/go2rtc/api/webrtc?src=${e}` });
  if (mse && hasVideoCodec && !server.mse_disabled && available.includes('mse') && !skip.includes('mse'))
    out.push({ kind: 'mse', url: `/go2rtc/api/ws?src=${e}` });
  if (!server.hls_disabled && available.includes('hls')) for (const url of hlsUrls(name)) out.push({ kind: 'hls', url });
  if (preferred && preferred !== 'auto') {
    const picked = out.filter((a) => a.kind === preferred);
    return [...picked, ...out.filter((a) => a.kind !== preferred)];
  }
  return out;
}

/** Browser capabilities for choosePlayers. */
export function detectCapabilities(win = globalThis) {
  const MS = getMediaSourceClass(win);
  return {
    mse: !!MS,
    codecs: MS ? mseCodecString((t) => MS.isTypeSupported(t)) : '',
    webrtc: typeof win.RTCPeerConnection === 'function',
  };
}

/** ws:// or wss:// URL on the page's own origin. */
export function wsUrl(path, loc = globalThis.location) {
  return `${loc.protocol === 'https:' ? 'wss' : 'ws'}://${loc.host}${path}`;
}
