// The WebRTC player's ICE servers: /api/ice-servers' JSON mapped to RTCIceServer entries, asked once and kept,
// a failure giving [] and asked again; the player hands them to its RTCPeerConnection.
import { describe, it, expect, beforeEach } from 'vitest';
import { toIceServers, loadIceServers, resetIceServers, CACHE_MS } from '../src/lib/player/iceServers.js';
import { createWebRtcPlayer } from '../src/lib/player/webrtc.js';

const reply = { ice_servers: [
  { urls: ['stun:stun.example.org:3478'] },
  { urls: ['turn:turn.example.org:3478'], username: '1765100000:alice', credential: 'c2VjcmV0' },
  { username: 'no-urls' },
  { urls: [] },
] };

function server(status = 200, body = reply) {
  const calls = [];
  return { calls, win: { fetch: async (url, init) => { calls.push({ url, init }); return { ok: status < 300, status, json: async () => body }; } } };
}

describe('ICE servers for the WebRTC player', () => {
  beforeEach(() => resetIceServers());

  it('keeps entries with urls and their TURN credentials', () => {
    expect(toIceServers(reply)).toEqual([
      { urls: ['stun:stun.example.org:3478'] },
      { urls: ['turn:turn.example.org:3478'], username: '1765100000:alice', credential: 'c2VjcmV0' },
    ]);
    expect(toIceServers(null)).toEqual([]);
    expect(toIceServers({ ice_servers: 'x' })).toEqual([]);
  });

  it('asks /api/ice-servers once within the cache time, again after it', async () => {
    const s = server();
    const first = await loadIceServers(s.win, 1000);
    await loadIceServers(s.win, 1000 + CACHE_MS - 1);
    expect(s.calls.map((c) => c.url)).toEqual(['/api/ice-servers']);
    expect(s.calls[0].init.credentials).toBe('same-origin');
    expect(first).toHaveLength(2);
    await loadIceServers(s.win, 1000 + CACHE_MS);
    expect(s.calls).toHaveLength(2);
  });

  it('gives [] on a refusal or a network error and asks again next time', async () => {
    const refused = server(401);
    expect(await loadIceServers(refused.win, 0)).toEqual([]);
    await Promise.resolve();
    expect(await loadIceServers(refused.win, 1)).toEqual([]);
    expect(refused.calls).toHaveLength(2);
    resetIceServers();
    const broken = { fetch: async () => { throw new Error('offline'); } };
    expect(await loadIceServers(broken, 0)).toEqual([]);
  });

  it('the player builds its peer connection with them (and without any when there are none)', async () => {
    const configs = [];
    class FakePc {
      constructor(config) { configs.push(config); this.connectionState = 'new'; }
      addTransceiver() { return { sender: {} }; }
      async createOffer() { return { type: 'offer', sdp: 'v=0' }; }
      async setLocalDescription(d) { this.localDescription = d; }
      async setRemoteDescription() {}
      close() {}
    }
    const win = { RTCPeerConnection: FakePc, fetch: async () => ({ ok: true, status: 200, text: async () => '{"type":"answer","sdp":"v=0"}' }) };
    const video = { addEventListener() {}, removeEventListener() {} };
    const servers = toIceServers(reply);
    await createWebRtcPlayer(video, '/x', { iceServers: async () => servers }, win).start();
    await createWebRtcPlayer(video, '/x', { iceServers: async () => [] }, win).start();
    await createWebRtcPlayer(video, '/x', {}, win).start();
    expect(configs).toEqual([{ iceServers: servers }, undefined, undefined]);
  });
});
