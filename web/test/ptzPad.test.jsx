// The live tile's PTZ pad (issue 16): shown for ptz_enabled streams to operators only; press = continuous move,
// release = stop; home; presets select; day/night select for ONVIF streams.
import { describe, it, expect, vi, beforeEach, afterEach } from 'vitest';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { AuthContext } from '../src/lib/auth.js';
import { PtzPad, PTZ_SPEED } from '../src/components/PtzPad.jsx';

vi.mock('../src/lib/player/select.js', () => ({ choosePlayers: () => [] })); // no player: the tile's controls only
const { VideoTile } = await import('../src/components/VideoTile.jsx');

let root;
const flush = async () => { for (let i = 0; i < 5; i++) await act(() => new Promise((r) => setTimeout(r, 0))); };
const q = (sel) => root.querySelector(sel);
const withUser = (role, node) => <AuthContext.Provider value={{ user: { username: 'x', role }, setUser: () => {} }}>{node}</AuthContext.Provider>;

function server(replies = {}) {
  const calls = [];
  vi.stubGlobal('fetch', vi.fn(async (url, init = {}) => {
    const method = init.method || 'GET';
    const path = new URL(url, 'http://x').pathname;
    calls.push({ method, path, body: init.body ? JSON.parse(init.body) : undefined });
    const [status, body] = replies[`${method} ${path}`] ?? [200, { success: true }];
    return { status, ok: status < 300, text: async () => JSON.stringify(body) };
  }));
  return calls;
}
const writes = (calls) => calls.filter((c) => c.method !== 'GET').map((c) => [c.method, c.path.split('/').slice(4).join('/'), c.body]);
const pointer = (el, type) => act(() => { el.dispatchEvent(new PointerEvent(type, { bubbles: true, pointerId: 1 })); });

beforeEach(() => { root = document.createElement('div'); document.body.appendChild(root); });
afterEach(() => { render(null, root); root.remove(); vi.unstubAllGlobals(); });

describe('PtzPad', () => {
  it('moves while an arrow is held, stops on release, goes home and to a preset', async () => {
    const calls = server({ 'GET /api/streams/dome/ptz/presets': [200, { presets: [{ token: '1', name: 'Gate' }], count: 1 }] });
    await act(() => render(<PtzPad stream={{ name: 'dome', ptz_enabled: true }} />, root));
    await flush();
    expect([...q('[data-testid=ptz-presets]').options].map((o) => o.textContent)).toEqual(['Presets…', 'Gate']);

    await pointer(q('[data-testid=ptz-up]'), 'pointerdown');
    await flush();
    expect(writes(calls)).toEqual([['POST', 'ptz/move', { pan: 0, tilt: PTZ_SPEED, zoom: 0 }]]);
    await pointer(q('[data-testid=ptz-up]'), 'pointerup');
    await pointer(q('[data-testid=ptz-up]'), 'pointercancel'); // a second end event sends nothing more
    await flush();
    await pointer(q('[data-testid=ptz-zoom-out]'), 'pointerdown');
    await pointer(q('[data-testid=ptz-zoom-out]'), 'pointercancel');
    await act(() => q('[data-testid=ptz-home]').click());
    const select = q('[data-testid=ptz-presets]');
    select.value = '1';
    await act(() => select.dispatchEvent(new Event('change', { bubbles: true })));
    await flush();
    expect(writes(calls)).toEqual([
      ['POST', 'ptz/move', { pan: 0, tilt: PTZ_SPEED, zoom: 0 }], ['POST', 'ptz/stop', {}],
      ['POST', 'ptz/move', { pan: 0, tilt: 0, zoom: -PTZ_SPEED }], ['POST', 'ptz/stop', {}],
      ['POST', 'ptz/home', {}], ['POST', 'ptz/goto-preset', { token: '1' }],
    ]);
    expect(q('[data-testid=ptz-daynight]')).toBeNull(); // not an ONVIF stream: no day/night call
    expect(calls.some((c) => c.path.endsWith('/daynight'))).toBe(false);
  });

  it('shows the camera error and switches day/night on ONVIF streams', async () => {
    const calls = server({
      'GET /api/streams/dome/ptz/presets': [502, { error: 'not supported by this camera: this camera has no PTZ service' }],
      'GET /api/streams/dome/daynight': [200, { success: true, mode: 'auto', supported_modes: ['day', 'night', 'auto'] }],
      'PUT /api/streams/dome/daynight': [200, { success: true, mode: 'night', ir_cut_filter: 'Off' }],
    });
    await act(() => render(<PtzPad stream={{ name: 'dome', ptz_enabled: true, isOnvif: true }} />, root));
    await flush();
    expect(q('[data-testid=ptz-error]').textContent).toContain('no PTZ service');
    const dn = q('[data-testid=ptz-daynight]');
    expect(dn.value).toBe('auto');
    dn.value = 'night';
    await act(() => dn.dispatchEvent(new Event('change', { bubbles: true })));
    await flush();
    expect(writes(calls)).toEqual([['PUT', 'daynight', { mode: 'night' }]]);
    expect(q('[data-testid=ptz-daynight]').value).toBe('night');
  });

  it('stops a held move when the pad goes away', async () => {
    const calls = server();
    await act(() => render(<PtzPad stream={{ name: 'dome', ptz_enabled: true }} />, root));
    await pointer(q('[data-testid=ptz-left]'), 'pointerdown');
    await act(() => render(null, root));
    await flush();
    expect(writes(calls)).toEqual([['POST', 'ptz/move', { pan: -PTZ_SPEED, tilt: 0, zoom: 0 }], ['POST', 'ptz/stop', {}]]);
  });
});

describe('VideoTile PTZ button', () => {
  const stream = { name: 'dome', ptz_enabled: true };
  it('is offered to operators on ptz_enabled streams and opens the pad', async () => {
    server();
    await act(() => render(withUser('user', <VideoTile stream={stream} caps={{}} server={{}} />), root));
    await flush();
    expect(q('[data-testid=ptz-pad]')).toBeNull();
    await act(() => q('[data-testid=tile-ptz]').click());
    await flush();
    expect(q('[data-testid=ptz-pad]')).not.toBeNull();
  });

  it('is not offered to viewers, nor on streams without PTZ', async () => {
    server();
    await act(() => render(withUser('viewer', <VideoTile stream={stream} caps={{}} server={{}} />), root));
    expect(q('[data-testid=tile-ptz]')).toBeNull();
    await act(() => render(withUser('admin', <VideoTile stream={{ name: 'fixed' }} caps={{}} server={{}} />), root));
    expect(q('[data-testid=tile-ptz]')).toBeNull();
  });
});
