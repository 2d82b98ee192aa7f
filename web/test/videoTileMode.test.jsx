// The live tile's player order and fallback with scripted players (the real ones are tested in webrtcPlayer.test.js,
// player.test.js and in chromium): WebRTC first in auto when the server offers it; a 415 (H.265) falls back to MSE at
// once, is remembered for the stream and shown on the tile; the tile's own mode selector overrides the page's.
import { describe, it, expect, vi, beforeEach, afterEach } from 'vitest';
import { render } from 'preact';
import { act } from 'preact/test-utils';

const started = [];
const talkCalls = [];
const behaviour = { webrtc: 'refuse415', mse: 'play', hls: 'play' };
vi.mock('../src/lib/player/index.js', () => {
  const make = (kind) => (video, url, { onError, onPlaying, talk }) => ({
    kind,
    talk,
    setTalking: async (on) => { talkCalls.push(on); return true; },
    start: async () => {
      started.push(kind);
      const b = behaviour[kind];
      if (b === 'play') onPlaying();
      else if (b === 'refuse415') onError(Object.assign(new Error('WebRTC refused (415): the stream carries H265: not playable over WebRTC'), { status: 415, unplayable: true }));
      else onError(new Error('WebRTC: no picture within 4 s'));
    },
    stop: () => {},
  });
  return { PLAYERS: { webrtc: make('webrtc'), mse: make('mse'), hls: make('hls') }, AVAILABLE: ['mse', 'hls', 'webrtc'] };
});
const { VideoTile } = await import('../src/components/VideoTile.jsx');
const { AuthContext } = await import('../src/lib/auth.js');

let root;
const flush = async () => { for (let i = 0; i < 5; i++) await act(() => new Promise((r) => setTimeout(r, 0))); };
const q = (s) => root.querySelector(s);
const caps = { mse: true, codecs: 'avc1.640029', webrtc: true };
const server = { webrtc_offered: true };

beforeEach(() => {
  started.length = 0;
  localStorage.clear();
  vi.stubGlobal('fetch', vi.fn(async () => ({ status: 200, ok: true, text: async () => '[]' })));
  root = document.createElement('div');
  document.body.appendChild(root);
});
afterEach(() => { render(null, root); root.remove(); vi.unstubAllGlobals(); });

describe('Live tile player', () => {
  it('tries WebRTC first in auto and falls back to MSE at once on a 415, showing why and not retrying WebRTC', async () => {
    behaviour.webrtc = 'refuse415';
    await act(() => render(<VideoTile stream={{ name: 'h265cam' }} caps={caps} server={server} preferred="auto" />, root));
    await flush();
    expect(started).toEqual(['webrtc', 'mse']);
    const tile = q('[data-testid=live-tile]');
    expect(tile.dataset.status).toBe('playing');
    expect(tile.dataset.player).toBe('mse');
    expect(q('[data-testid=tile-status]').textContent).toBe('Live · MSE');
    expect(q('[data-testid=tile-note]').title).toContain('not playable over WebRTC');

    // Mounted again (another page visit): the refusal is remembered, MSE straight away.
    render(null, root);
    started.length = 0;
    await act(() => render(<VideoTile stream={{ name: 'h265cam' }} caps={caps} server={server} preferred="auto" />, root));
    await flush();
    expect(started).toEqual(['mse']);
  });

  it('plays over WebRTC when it works and says so on the tile; a timeout falls back without blacklisting', async () => {
    behaviour.webrtc = 'play';
    await act(() => render(<VideoTile stream={{ name: 'cam1' }} caps={caps} server={server} preferred="auto" />, root));
    await flush();
    expect(started).toEqual(['webrtc']);
    expect(q('[data-testid=tile-status]').textContent).toBe('Live · WebRTC');

    render(null, root);
    started.length = 0;
    behaviour.webrtc = 'timeout';
    await act(() => render(<VideoTile stream={{ name: 'cam2' }} caps={caps} server={server} preferred="auto" />, root));
    await flush();
    expect(started).toEqual(['webrtc', 'mse']);
    expect(q('[data-testid=tile-note]')).toBeNull();
  });

  it('has its own mode selector (Auto, WebRTC, MSE, HLS) that overrides the page and is remembered per stream', async () => {
    behaviour.webrtc = 'play';
    await act(() => render(<VideoTile stream={{ name: 'porch' }} caps={caps} server={server} preferred="auto" />, root));
    await flush();
    const select = q('[data-testid=tile-mode]');
    expect([...select.options].map((o) => o.value)).toEqual(['auto', 'webrtc', 'mse', 'hls']);
    expect(select.value).toBe('auto');
    started.length = 0;
    await act(() => { select.value = 'hls'; select.dispatchEvent(new Event('change')); });
    await flush();
    expect(started).toEqual(['hls']);
    expect(localStorage.getItem('lightnvr.player.porch')).toBe('hls');
    expect(q('[data-testid=tile-status]').textContent).toBe('Live · HLS');

    // No WebRTC on the server: the selector does not offer it.
    render(null, root);
    await act(() => render(<VideoTile stream={{ name: 'yard' }} caps={caps} server={{}} preferred="auto" />, root));
    await flush();
    expect([...q('[data-testid=tile-mode]').options].map((o) => o.value)).toEqual(['auto', 'mse', 'hls']);
  });

  it('shows a push-to-talk button only for backchannel streams, roles that may control cameras, over WebRTC', async () => {
    behaviour.webrtc = 'play';
    talkCalls.length = 0;
    const tile = (role, stream) => (
      <AuthContext.Provider value={{ user: { role }, setUser: () => {} }}>
        <VideoTile stream={stream} caps={caps} server={server} preferred="auto" />
      </AuthContext.Provider>
    );
    await act(() => render(tile('user', { name: 'door', backchannel_enabled: true }), root));
    await flush();
    const button = q('[data-testid=tile-talk]');
    expect(button).not.toBeNull();
    await act(() => { button.dispatchEvent(new Event('pointerdown', { bubbles: true })); });
    expect(q('[data-testid=tile-talk]').getAttribute('aria-pressed')).toBe('true');
    await act(() => { button.dispatchEvent(new Event('pointerup', { bubbles: true })); });
    expect(talkCalls).toEqual([true, false]);
    expect(q('[data-testid=tile-talk]').getAttribute('aria-pressed')).toBe('false');

    render(null, root);
    await act(() => render(tile('viewer', { name: 'door2', backchannel_enabled: true }), root));
    await flush();
    expect(q('[data-testid=tile-talk]')).toBeNull(); // a viewer may not talk

    render(null, root);
    await act(() => render(tile('admin', { name: 'door3' }), root));
    await flush();
    expect(q('[data-testid=tile-talk]')).toBeNull(); // no backchannel on this stream

    render(null, root);
    await act(() => render(tile('admin', { name: 'door4', backchannel_enabled: true }), root));
    await flush();
    await act(() => { const s = q('[data-testid=tile-mode]'); s.value = 'mse'; s.dispatchEvent(new Event('change')); });
    await flush();
    expect(q('[data-testid=tile-talk]')).toBeNull(); // MSE carries no microphone
  });
});
