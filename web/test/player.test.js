import { describe, it, expect, vi, afterEach } from 'vitest';
import { MSE_CODECS, mseCodecString, choosePlayers, detectCapabilities, wsUrl } from '../src/lib/player/select.js';
import { createMsePlayer } from '../src/lib/player/mse.js';
import { backoffDelay } from '../src/lib/backoff.js';

const chromeLike = (t) => !t.includes('hvc1') && !t.includes('flac'); // plays everything but HEVC and FLAC

describe('MSE codec negotiation string', () => {
  it('lists the supported codecs in go2rtc order, comma-separated without spaces', () => {
    expect(mseCodecString(() => true)).toBe('avc1.640029,avc1.64002A,avc1.4D401F,hvc1.1.6.L153.B0,mp4a.40.2,mp4a.40.5,flac,opus');
    expect(mseCodecString(chromeLike)).toBe('avc1.640029,avc1.64002A,avc1.4D401F,mp4a.40.2,mp4a.40.5,opus');
  });
  it('asks the browser with a full MIME type per codec and survives a throwing check', () => {
    const seen = [];
    expect(mseCodecString((t) => { seen.push(t); if (t.includes('opus')) throw new Error('x'); return true; })).not.toContain('opus');
    expect(seen[0]).toBe('video/mp4; codecs="avc1.640029"');
    expect(seen).toHaveLength(MSE_CODECS.length);
  });
});

describe('player selection', () => {
  const base = { name: 'front door', mse: true, codecs: mseCodecString(chromeLike) };
  it('prefers MSE over the go2rtc WebSocket, then both HLS sources', () => {
    expect(choosePlayers(base)).toEqual([
      { kind: 'mse', url: '/go2rtc/api/ws?src=front%20door' },
      { kind: 'hls', url: '/go2rtc/api/stream.m3u8?src=front%20door&mp4' },
      { kind: 'hls', url: '/hls/front%20door/index.m3u8' },
    ]);
  });
  it('falls back to HLS when there is no MediaSource (older iPhone) or no video codec', () => {
    expect(choosePlayers({ ...base, mse: false }).map((a) => a.kind)).toEqual(['hls', 'hls']);
    expect(choosePlayers({ ...base, codecs: 'mp4a.40.2,opus' }).map((a) => a.kind)).toEqual(['hls', 'hls']);
  });
  it('honours modes the server switched off', () => {
    expect(choosePlayers({ ...base, server: { mse_disabled: true } }).map((a) => a.kind)).toEqual(['hls', 'hls']);
    expect(choosePlayers({ ...base, server: { hls_disabled: true } }).map((a) => a.kind)).toEqual(['mse']);
    expect(choosePlayers({ ...base, mse: false, server: { hls_disabled: true } })).toEqual([]);
  });
  it('puts WebRTC first in auto and when picked, when the server offers it and a WebRTC player exists', () => {
    const offered = { ...base, webrtc: true, server: { webrtc_offered: true }, available: ['webrtc', 'mse', 'hls'] };
    expect(choosePlayers(offered).map((a) => a.kind)).toEqual(['webrtc', 'mse', 'hls', 'hls']); // auto
    expect(choosePlayers({ ...offered, preferred: 'mse' }).map((a) => a.kind)).toEqual(['mse', 'hls', 'hls']);
    expect(choosePlayers({ ...offered, preferred: 'hls' }).map((a) => a.kind)).toEqual(['hls', 'hls', 'mse']);
    expect(choosePlayers({ ...offered, server: {} })[0].kind).toBe('mse'); // server has WebRTC off
    expect(choosePlayers({ ...offered, skip: ['webrtc'] }).map((a) => a.kind)).toEqual(['mse', 'hls', 'hls']); // refused 415
    expect(choosePlayers({ ...offered, preferred: 'webrtc', skip: ['webrtc'] })[0].kind).toBe('mse');
    expect(choosePlayers({ ...offered, preferred: 'webrtc' }).map((a) => a.kind)).toEqual(['webrtc', 'mse', 'hls', 'hls']);
    expect(choosePlayers({ ...offered, preferred: 'webrtc' })[0].url).toBe('/go2rtc/api/webrtc?src=front%20door');
    expect(choosePlayers({ ...offered, preferred: 'webrtc', available: ['mse', 'hls'] })[0].kind).toBe('mse');
    expect(choosePlayers({ ...offered, preferred: 'webrtc', server: { webrtc_offered: true, webrtc_disabled: true } })[0].kind).toBe('mse');
    expect(choosePlayers({ ...offered, preferred: 'webrtc', webrtc: false })[0].kind).toBe('mse'); // no RTCPeerConnection
  });
  it('moves the user-preferred kind to the front but keeps the others as fallback', () => {
    expect(choosePlayers({ ...base, preferred: 'hls' }).map((a) => a.kind)).toEqual(['hls', 'hls', 'mse']);
  });
  it('detects capabilities from the window, preferring ManagedMediaSource', () => {
    const win = { ManagedMediaSource: { isTypeSupported: (t) => t.includes('avc1.640029') }, MediaSource: { isTypeSupported: () => true } };
    expect(detectCapabilities(win)).toEqual({ mse: true, codecs: 'avc1.640029', webrtc: false });
    expect(detectCapabilities({})).toEqual({ mse: false, codecs: '', webrtc: false });
  });
  it('builds same-origin ws/wss URLs', () => {
    expect(wsUrl('/go2rtc/api/ws?src=a', { protocol: 'https:', host: 'nvr:8443' })).toBe('wss://nvr:8443/go2rtc/api/ws?src=a');
    expect(wsUrl('/x', { protocol: 'http:', host: 'nvr' })).toBe('ws://nvr/x');
  });
});

describe('reconnect backoff', () => {
  it('doubles from 500 ms up to the 15 s cap, with bounded jitter', () => {
    const mid = { random: () => 0.5 };
    expect([0, 1, 2, 3, 10].map((a) => backoffDelay(a, mid))).toEqual([500, 1000, 2000, 4000, 15000]);
    expect(backoffDelay(2, { random: () => 0 })).toBe(1600);
    expect(backoffDelay(2, { random: () => 1 })).toBe(2400);
  });
});

// --- MSE player against a scripted go2rtc WebSocket and a fake MediaSource -----------------------------
class FakeSourceBuffer extends EventTarget {
  constructor(mime) { super(); this.mime = mime; this.updating = false; this.appended = []; this.mode = 'sequence'; }
  appendBuffer(buf) {
    if (this.updating) throw new Error('InvalidStateError: still updating');
    this.updating = true;
    this.appended.push(new Uint8Array(buf)[0]);
  }
  finish() { this.updating = false; this.dispatchEvent(new Event('updateend')); }
  remove() {}
}
class FakeMediaSource extends EventTarget {
  static isTypeSupported(t) { return !t.includes('hvc1'); }
  constructor() { super(); this.readyState = 'closed'; FakeMediaSource.last = this; }
  addSourceBuffer(mime) { this.sb = new FakeSourceBuffer(mime); return this.sb; }
  open() { this.readyState = 'open'; this.dispatchEvent(new Event('sourceopen')); }
  endOfStream() { this.readyState = 'ended'; }
}
class FakeWebSocket {
  constructor(url) { this.url = url; this.sent = []; FakeWebSocket.last = this; }
  send(d) { this.sent.push(d); }
  close() { this.closed = true; }
}
const frame = (n) => new Uint8Array([n]).buffer;
const fakeVideo = () => Object.assign(new EventTarget(), { buffered: { length: 0 }, currentTime: 0, play: () => Promise.resolve(), removeAttribute() {}, load() {}, src: '' });

describe('MSE player (go2rtc WebSocket protocol)', () => {
  afterEach(() => vi.unstubAllGlobals());
  const setup = () => {
    vi.stubGlobal('MediaSource', FakeMediaSource);
    vi.stubGlobal('ManagedMediaSource', undefined);
    vi.stubGlobal('WebSocket', FakeWebSocket);
    vi.stubGlobal('location', { protocol: 'http:', host: 'nvr:8080' });
    URL.createObjectURL = () => 'blob:ms';
    URL.revokeObjectURL = () => {};
    const video = fakeVideo();
    const onError = vi.fn();
    const p = createMsePlayer(video, '/go2rtc/api/ws?src=cam1', { onError });
    p.start();
    return { p, video, onError, ws: FakeWebSocket.last };
  };

  it('sends the codec offer on open, opens a SourceBuffer for the answered MIME type and appends fragments in order', () => {
    const { ws, video, onError } = setup();
    expect(ws.url).toBe('ws://nvr:8080/go2rtc/api/ws?src=cam1');
    expect(ws.binaryType).toBe('arraybuffer');
    ws.onopen();
    expect(JSON.parse(ws.sent[0])).toEqual({ type: 'mse', value: 'avc1.640029,avc1.64002A,avc1.4D401F,mp4a.40.2,mp4a.40.5,flac,opus' });

    ws.onmessage({ data: JSON.stringify({ type: 'mse', value: 'video/mp4; codecs="avc1.64001F,mp4a.40.2"' }) });
    expect(video.src).toBe('blob:ms');
    ws.onmessage({ data: frame(1) }); // init segment arrives before sourceopen: queued
    const ms = FakeMediaSource.last;
    ms.open();
    expect(ms.sb.mime).toBe('video/mp4; codecs="avc1.64001F,mp4a.40.2"');
    expect(ms.sb.mode).toBe('segments');
    expect(ms.sb.appended).toEqual([1]);
    ws.onmessage({ data: frame(2) }); // busy: queued, not appended
    ws.onmessage({ data: frame(3) });
    expect(ms.sb.appended).toEqual([1]);
    ms.sb.finish();
    expect(ms.sb.appended).toEqual([1, 2]);
    ms.sb.finish();
    expect(ms.sb.appended).toEqual([1, 2, 3]);
    expect(onError).not.toHaveBeenCalled();
  });

  it('reports a server error message and a MIME type the browser cannot play', () => {
    const a = setup();
    a.ws.onmessage({ data: JSON.stringify({ type: 'error', value: 'streams: source not found' }) });
    expect(a.onError).toHaveBeenCalledTimes(1);
    expect(a.onError.mock.calls[0][0].message).toBe('streams: source not found');
    expect(a.ws.closed).toBe(true);

    const b = setup();
    b.ws.onmessage({ data: JSON.stringify({ type: 'mse', value: 'video/mp4; codecs="hvc1.1.6.L153.B0"' }) });
    expect(b.onError.mock.calls[0][0].message).toMatch(/cannot play/);
  });

  it('treats a dropped connection as an error once, and a stop() as silent', () => {
    const a = setup();
    a.ws.onclose();
    expect(a.onError).toHaveBeenCalledTimes(1);
    const b = setup();
    b.p.stop();
    expect(b.ws.closed).toBe(true);
    expect(b.ws.onclose).toBeNull();
    expect(b.onError).not.toHaveBeenCalled();
  });
});

describe('MSE live edge', () => {
  afterEach(() => vi.unstubAllGlobals());
  it('jumps to the live edge when the buffer starts later than the play head or lags too far behind', () => {
    vi.stubGlobal('MediaSource', FakeMediaSource);
    vi.stubGlobal('ManagedMediaSource', undefined);
    vi.stubGlobal('WebSocket', FakeWebSocket);
    vi.stubGlobal('location', { protocol: 'http:', host: 'nvr' });
    URL.createObjectURL = () => 'blob:ms';
    const video = fakeVideo();
    createMsePlayer(video, '/go2rtc/api/ws?src=cam1', {}).start();
    const ws = FakeWebSocket.last;
    ws.onopen();
    ws.onmessage({ data: JSON.stringify({ type: 'mse', value: 'video/mp4; codecs="avc1.64001F"' }) });
    FakeMediaSource.last.open();
    ws.onmessage({ data: frame(1) });
    const sb = FakeMediaSource.last.sb;
    // the stream's timestamps start at 1000 s: play head at 0 is before the buffer
    video.buffered = { length: 1, start: () => 1000, end: () => 1001 };
    sb.finish();
    expect(video.currentTime).toBe(1000.5);
    // 1.2 s behind: leave it
    video.buffered = { length: 1, start: () => 1000, end: () => 1001.7 };
    ws.onmessage({ data: frame(2) });
    sb.finish();
    expect(video.currentTime).toBe(1000.5);
    // 4 s behind: jump to 0.5 s before the end
    video.buffered = { length: 1, start: () => 1000, end: () => 1004.5 };
    ws.onmessage({ data: frame(3) });
    sb.finish();
    expect(video.currentTime).toBe(1004);
  });
});
