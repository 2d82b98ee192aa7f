// The WebRTC player against a scripted RTCPeerConnection and server: the offer it posts, the answer it applies,
// the tracks it shows, and the errors that make the tile fall back (refusal, failed connection).
import { describe, it, expect } from 'vitest';
import { createWebRtcPlayer } from '../src/lib/player/webrtc.js';

function fakeWindow({ status = 200, reply = { type: 'answer', sdp: 'v=0 answer' } } = {}) {
  const log = { posts: [], transceivers: [], remote: null, closed: false, pc: null };
  class FakePc {
    constructor() { log.pc = this; this.connectionState = 'new'; }
    addTransceiver(kind, init) {
      log.transceivers.push([kind, init.direction]);
      return { sender: { replaceTrack: async (t) => { (log.replaced = log.replaced || []).push(t); } } };
    }
    async createOffer() { return { type: 'offer', sdp: 'v=0 offer' }; }
    async setLocalDescription(d) { this.localDescription = d; }
    async setRemoteDescription(d) { log.remote = d; }
    close() { log.closed = true; }
  }
  class FakeStream { constructor() { this.tracks = []; } addTrack(t) { this.tracks.push(t); } }
  const fetch = async (url, init) => {
    log.posts.push({ url, init });
    return { ok: status < 300, status, text: async () => (typeof reply === 'string' ? reply : JSON.stringify(reply)) };
  };
  return { win: { RTCPeerConnection: FakePc, MediaStream: FakeStream, fetch }, log };
}

function fakeVideo() {
  const listeners = {};
  return {
    srcObject: null, plays: 0,
    addEventListener: (k, f) => { listeners[k] = f; }, removeEventListener: (k) => { delete listeners[k]; },
    play() { this.plays++; return Promise.resolve(); }, fire: (k) => listeners[k]?.(),
  };
}

describe('WebRTC player', () => {
  it('asks for video only by default (the live tile is muted), audio too when asked', async () => {
    const muted = fakeWindow();
    await createWebRtcPlayer(fakeVideo(), '/x', {}, muted.win).start();
    expect(muted.log.transceivers).toEqual([['video', 'recvonly']]);
    const listening = fakeWindow();
    await createWebRtcPlayer(fakeVideo(), '/x', { audio: true }, listening.win).start();
    expect(listening.log.transceivers).toEqual([['video', 'recvonly'], ['audio', 'recvonly']]);
  });

  it('posts a receive-only offer as go2rtc JSON, applies the answer and shows the tracks it gets', async () => {
    const { win, log } = fakeWindow();
    const video = fakeVideo();
    let playing = 0;
    const p = createWebRtcPlayer(video, '/go2rtc/api/webrtc?src=porch', { onPlaying: () => playing++, audio: true }, win);
    await p.start();
    expect(log.transceivers).toEqual([['video', 'recvonly'], ['audio', 'recvonly']]);
    expect(log.posts[0].url).toBe('/go2rtc/api/webrtc?src=porch');
    expect(log.posts[0].init.method).toBe('POST');
    expect(JSON.parse(log.posts[0].init.body)).toEqual({ type: 'offer', sdp: 'v=0 offer' });
    expect(log.remote).toEqual({ type: 'answer', sdp: 'v=0 answer' });
    log.pc.ontrack({ track: 'v', streams: [] });
    log.pc.ontrack({ track: 'a', streams: [] });
    expect(video.srcObject.tracks).toEqual(['v', 'a']);
    video.fire('playing');
    expect(playing).toBe(1);
    p.stop();
    expect(log.closed).toBe(true);
    expect(video.srcObject).toBeNull();
  });

  it('reports a refusal with the server message, and a failed connection, so the tile falls back', async () => {
    const refused = fakeWindow({ status: 415, reply: { error: 'the offer has no H.264' } });
    const errors = [];
    await createWebRtcPlayer(fakeVideo(), '/x', { onError: (e) => errors.push(e.message) }, refused.win).start();
    expect(errors).toEqual(['WebRTC refused (415): the offer has no H.264']);
    expect(refused.log.closed).toBe(true);

    const ok = fakeWindow();
    await createWebRtcPlayer(fakeVideo(), '/x', { onError: (e) => errors.push(e.message) }, ok.win).start();
    ok.log.pc.connectionState = 'failed';
    ok.log.pc.onconnectionstatechange();
    expect(errors[1]).toBe('WebRTC connection failed');
    expect(ok.log.closed).toBe(true);
  });

  it('marks a 415 refusal unplayable (the tile stops trying WebRTC) and a 503 not', async () => {
    const errs = [];
    const h265 = fakeWindow({ status: 415, reply: { error: "the stream carries H265: not playable over WebRTC in this browser (use MSE or HLS)" } });
    await createWebRtcPlayer(fakeVideo(), '/x', { onError: (e) => errs.push(e) }, h265.win).start();
    expect(errs[0].unplayable).toBe(true);
    expect(errs[0].status).toBe(415);
    expect(errs[0].message).toContain('not playable over WebRTC');
    const busy = fakeWindow({ status: 503, reply: { error: 'too many WebRTC sessions (128)' } });
    await createWebRtcPlayer(fakeVideo(), '/x', { onError: (e) => errs.push(e) }, busy.win).start();
    expect(errs[1].unplayable).toBe(false);
  });

  it('gives up when no picture comes within the bounded time, so the tile falls back', async () => {
    const { win, log } = fakeWindow();
    const timers = [];
    win.setTimeout = (f, ms) => { timers.push({ f, ms }); return timers.length; };
    win.clearTimeout = (id) => { if (timers[id - 1]) timers[id - 1].cleared = true; };
    const errors = [];
    const p = createWebRtcPlayer(fakeVideo(), '/x', { onError: (e) => errors.push(e.message), firstFrameMs: 4000 }, win);
    await p.start();
    expect(timers[0].ms).toBe(4000);
    timers[0].f();
    expect(errors).toEqual(['WebRTC: no picture within 4 s']);
    expect(log.closed).toBe(true);

    // A picture in time clears the timer.
    const second = fakeWindow();
    const t2 = [];
    second.win.setTimeout = (f, ms) => { t2.push({ f, ms }); return t2.length; };
    second.win.clearTimeout = (id) => { if (t2[id - 1]) t2[id - 1].cleared = true; };
    const video = fakeVideo();
    await createWebRtcPlayer(video, '/x', { onError: (e) => errors.push(e.message) }, second.win).start();
    video.fire('playing');
    expect(t2[0].cleared).toBe(true);
    expect(errors.length).toBe(1);
  });

  it('push-to-talk: offers sendrecv audio and puts the microphone on and off the sender', async () => {
    const { win, log } = fakeWindow();
    const stopped = [];
    const track = { kind: 'audio', stop: () => stopped.push('mic') };
    let asked = 0;
    win.navigator = { mediaDevices: { getUserMedia: async (c) => { asked++; log.constraints = c; return { getAudioTracks: () => [track], getTracks: () => [track] }; } } };
    const p = createWebRtcPlayer(fakeVideo(), '/x', { talk: true }, win);
    await p.start();
    expect(log.transceivers).toEqual([['video', 'recvonly'], ['audio', 'sendrecv']]);
    expect(await p.setTalking(true)).toBe(true);
    expect(await p.setTalking(false)).toBe(true);
    expect(await p.setTalking(true)).toBe(true);
    expect(asked).toBe(1); // the microphone is asked for once
    expect(log.replaced).toEqual([track, null, track]);
    p.stop();
    expect(stopped).toEqual(['mic']);

    const plain = fakeWindow();
    const q = createWebRtcPlayer(fakeVideo(), '/x', {}, plain.win);
    await q.start();
    expect(plain.log.transceivers).toEqual([['video', 'recvonly']]);
    expect(await q.setTalking(true)).toBe(false);
  });

  it('push-to-talk while another viewer holds the stream\'s two-way audio rejects with the server\'s reason', async () => {
    const reason = 'another viewer of this stream is using two-way audio';
    const { win, log } = fakeWindow({ reply: { type: 'answer', sdp: 'v=0 answer', talk_refused: reason } });
    let asked = 0;
    win.navigator = { mediaDevices: { getUserMedia: async () => { asked++; return null; } } };
    const p = createWebRtcPlayer(fakeVideo(), '/x', { talk: true }, win);
    await p.start();
    await expect(p.setTalking(true)).rejects.toThrow(reason);
    expect(asked).toBe(0); // the microphone is not even asked for
    expect(log.replaced).toBeUndefined();
    expect(await p.setTalking(false)).toBe(true);
    p.stop();
  });
  it('stop() while the offer is on its way aborts the request; start ends quietly and reports nothing', async () => {
    const { win, log } = fakeWindow();
    let signal = null;
    win.AbortController = AbortController;
    win.fetch = (url, init) => new Promise((resolve, reject) => {
      log.posts.push({ url, init });
      signal = init.signal;
      init.signal.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
    });
    const errors = [];
    const p = createWebRtcPlayer(fakeVideo(), '/x', { onError: (e) => errors.push(e) }, win);
    const started = p.start();
    await new Promise((r) => setTimeout(r, 0));
    expect(log.posts).toHaveLength(1);
    expect(signal.aborted).toBe(false);
    p.stop();
    expect(signal.aborted).toBe(true);
    await expect(started).resolves.toBeUndefined();
    expect(errors).toEqual([]);
    expect(log.remote).toBeNull();
  });

  it('a player stopped before its offer is made posts nothing', async () => {
    const { win, log } = fakeWindow();
    const p = createWebRtcPlayer(fakeVideo(), '/x', {}, win);
    const started = p.start();
    p.stop();
    await started;
    expect(log.posts).toEqual([]);
  });
});
