// The live tile's imaging sliders (issue 16): ONVIF streams, operators only; one slider per value the camera's
// options offer, with its range; releasing a slider sends that value alone.
import { describe, it, expect, vi, beforeEach, afterEach } from 'vitest';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { AuthContext } from '../src/lib/auth.js';
import { ImagingPanel } from '../src/components/ImagingPanel.jsx';

vi.mock('../src/lib/player/select.js', () => ({ choosePlayers: () => [] })); // no player: the tile's controls only
const { VideoTile } = await import('../src/components/VideoTile.jsx');

let root;
const flush = async () => { for (let i = 0; i < 5; i++) await act(() => new Promise((r) => setTimeout(r, 0))); };
const q = (sel) => root.querySelector(sel);
const withUser = (role, node) => <AuthContext.Provider value={{ user: { username: 'x', role }, setUser: () => {} }}>{node}</AuthContext.Provider>;

const OPTIONS = { success: true, options: { video_source_token: 'vs0', brightness: { min: 0, max: 100 }, contrast: { min: 0, max: 100 },
  color_saturation: { min: 0, max: 255 }, sharpness: { min: 0, max: 100 }, noise_reduction: { min: 0, max: 1 }, ir_cut_filter_modes: ['ON', 'OFF', 'AUTO'] } };
const SETTINGS = { success: true, settings: { video_source_token: 'vs0', brightness: 50, contrast: 40, color_saturation: 128, sharpness: 60, noise_reduction: 0.5 } };

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
const release = (el, value) => act(() => {
  el.value = String(value);
  el.dispatchEvent(new Event('input', { bubbles: true }));
  el.dispatchEvent(new Event('change', { bubbles: true }));
});

beforeEach(() => { root = document.createElement('div'); document.body.appendChild(root); });
afterEach(() => { render(null, root); root.remove(); vi.unstubAllGlobals(); });

describe('ImagingPanel', () => {
  it('shows a slider per offered value with the camera range and sends one value on release', async () => {
    const calls = server({ 'GET /api/streams/yard/imaging/options': [200, OPTIONS], 'GET /api/streams/yard/imaging/settings': [200, SETTINGS] });
    await act(() => render(<ImagingPanel stream={{ name: 'yard', isOnvif: true }} />, root));
    await flush();
    const sliders = [...root.querySelectorAll('input[type=range]')];
    expect(sliders.map((s) => s.dataset.testid)).toEqual(['imaging-brightness', 'imaging-contrast', 'imaging-color_saturation', 'imaging-sharpness', 'imaging-noise_reduction']);
    expect([q('[data-testid=imaging-color_saturation]').min, q('[data-testid=imaging-color_saturation]').max]).toEqual(['0', '255']);
    expect(q('[data-testid=imaging-noise_reduction]').step).toBe('0.01');
    expect(q('[data-testid=imaging-value-contrast]').textContent).toBe('40');

    await release(q('[data-testid=imaging-brightness]'), 70);
    await flush();
    expect(calls.filter((c) => c.method === 'PUT')).toEqual([{ method: 'PUT', path: '/api/streams/yard/imaging/settings', body: { brightness: 70 } }]);
    expect(q('[data-testid=imaging-value-brightness]').textContent).toBe('70');
    expect(q('[data-testid=imaging-saved]').textContent).toContain('Brightness 70');
  });

  it('offers only what the camera offers and shows the server refusal', async () => {
    server({
      'GET /api/streams/yard/imaging/options': [200, { success: true, options: { video_source_token: 'vs0', brightness: { min: -10, max: 10 } } }],
      'GET /api/streams/yard/imaging/settings': [200, { success: true, settings: { brightness: 0 } }],
      'PUT /api/streams/yard/imaging/settings': [400, { success: false, error: 'brightness must be between -10 and 10 (the camera\'s range)' }],
    });
    await act(() => render(<ImagingPanel stream={{ name: 'yard', isOnvif: true }} />, root));
    await flush();
    expect(root.querySelectorAll('input[type=range]').length).toBe(1);
    await release(q('[data-testid=imaging-brightness]'), 5);
    await flush();
    expect(q('[data-testid=imaging-error]').textContent).toContain('between -10 and 10');
  });

  it('is offered on the tile of an ONVIF stream to operators, not to viewers nor for other streams', async () => {
    server({ 'GET /api/streams/yard/imaging/options': [200, OPTIONS], 'GET /api/streams/yard/imaging/settings': [200, SETTINGS] });
    await act(() => render(withUser('user', <VideoTile stream={{ name: 'yard', isOnvif: true }} caps={{}} />), root));
    await flush();
    expect(q('[data-testid=imaging-panel]')).toBeNull();
    await act(() => q('[data-testid=tile-imaging]').click());
    await flush();
    expect(q('[data-testid=imaging-panel]')).not.toBeNull();
    render(null, root);
    await act(() => render(withUser('viewer', <VideoTile stream={{ name: 'yard', isOnvif: true }} caps={{}} />), root));
    expect(q('[data-testid=tile-imaging]')).toBeNull();
    render(null, root);
    await act(() => render(withUser('admin', <VideoTile stream={{ name: 'plain' }} caps={{}} />), root));
    expect(q('[data-testid=tile-imaging]')).toBeNull();
  });
});
