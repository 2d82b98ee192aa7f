// Live page layout behaviour. Tiles are in privacy mode so no player starts (players are tested in player.test.js
// and in chromium); this checks the grid, paging, persistence and tag filter against a scripted /api/streams.
import { describe, it, expect, vi, beforeEach, afterEach } from 'vitest';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { LivePage } from '../src/pages/Live.jsx';
import { FakeEventSource } from './fakeEventSource.js';

let root;
const flush = async () => { for (let i = 0; i < 5; i++) await act(() => new Promise((r) => setTimeout(r, 0))); };
const q = (s) => root.querySelector(s);
const qa = (s) => [...root.querySelectorAll(s)];
const streams = Array.from({ length: 7 }, (_, i) => ({ name: `cam${i + 1}`, enabled: true, privacy_mode: true, tags: i < 2 ? 'yard' : 'inside' }));

beforeEach(() => {
  localStorage.clear();
  window.innerWidth = 1400;
  vi.stubGlobal('EventSource', FakeEventSource);
  vi.stubGlobal('fetch', vi.fn(async (url) => ({ status: 200, ok: true, text: async () => JSON.stringify(url.startsWith('/api/streams') ? streams : {}) })));
  root = document.createElement('div');
  document.body.appendChild(root);
});
afterEach(() => { render(null, root); root.remove(); vi.unstubAllGlobals(); });

describe('Live page', () => {
  it('shows a 2×2 page by default with a pager, then a saved 3×3 layout', async () => {
    history.replaceState(null, '', '/live');
    await act(() => render(<LivePage />, root));
    await flush();
    expect(qa('[data-testid=live-tile]').map((t) => t.dataset.stream)).toEqual(['cam1', 'cam2', 'cam3', 'cam4']);
    expect(q('[data-testid=live-grid]').dataset.cols).toBe('2');
    expect(q('[data-testid=live-pager]').textContent).toContain('1 / 2');
    expect(qa('[data-testid=tile-status]')[0].textContent).toBe('Privacy mode');

    await act(() => q('[data-testid=layout-3x3]').click());
    expect(localStorage.getItem('lightnvr.grid')).toBe('3x3');
    expect(qa('[data-testid=live-tile]')).toHaveLength(7);
    expect(q('[data-testid=live-grid]').dataset.cols).toBe('3');
    expect(q('[data-testid=live-pager]')).toBeNull();
  });

  it('keeps a custom cols×rows and filters by tag from the URL', async () => {
    localStorage.setItem('lightnvr.grid', '5x1');
    history.replaceState(null, '', '/live?tag=yard');
    await act(() => render(<LivePage />, root));
    await flush();
    expect(q('[data-testid=layout-cols]').value).toBe('5');
    expect(qa('[data-testid=live-tile]').map((t) => t.dataset.stream)).toEqual(['cam1', 'cam2']);
    expect(q('[data-testid=live-grid]').dataset.cols).toBe('2'); // never more columns than tiles
  });

  it('remembers the Boxes switch: on by default, off after a click and after a reload', async () => {
    history.replaceState(null, '', '/live');
    await act(() => render(<LivePage />, root));
    await flush();
    expect(q('[data-testid=live-boxes]').getAttribute('aria-pressed')).toBe('true');
    await act(() => q('[data-testid=live-boxes]').click());
    expect(localStorage.getItem('lightnvr.boxes')).toBe('off');
    render(null, root);
    await act(() => render(<LivePage />, root));
    await flush();
    expect(q('[data-testid=live-boxes]').getAttribute('aria-pressed')).toBe('false');
  });
});
