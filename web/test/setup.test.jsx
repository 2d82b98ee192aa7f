// The first-start page (issue 17 item 6): real Preact rendering in happy-dom with a scripted fetch that answers as the
// server documents (GET/POST /api/setup/status, the password change, the stream test and create).
import { describe, it, expect, vi, beforeEach, afterEach } from 'vitest';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { AuthContext } from '../src/lib/auth.js';
import { SetupPage } from '../src/pages/Setup.jsx';

let root;
const flush = async () => { for (let i = 0; i < 5; i++) await act(() => new Promise((r) => setTimeout(r, 0))); };
const q = (sel) => root.querySelector(sel);
const type = (el, v) => act(() => { el.value = v; el.dispatchEvent(new Event('input', { bubbles: true })); });
const click = (sel) => act(() => q(sel).click());

function server(routes) {
  const calls = [];
  vi.stubGlobal('fetch', vi.fn(async (url, init = {}) => {
    const method = init.method || 'GET';
    calls.push({ method, url, body: init.body ? JSON.parse(init.body) : undefined });
    const key = Object.keys(routes).find((k) => { const [m, p] = k.split(' '); return m === method && url.startsWith(p); });
    const [status, body] = key ? routes[key](url, init) : [404, { error: 'Not Found' }];
    return { status, ok: status < 300, text: async () => JSON.stringify(body) };
  }));
  return calls;
}

const STATUS = { complete: false, setup_completed_at: 0, checks: { storage: { path: '/var/lib/lightnvr/recordings', exists: true,
  writable: true, free_bytes: 50e9, total_bytes: 100e9, problem: null }, streams: 0 } };

async function mount() {
  history.replaceState(null, '', '/setup');
  render(<AuthContext.Provider value={{ user: { id: 1, username: 'admin', role: 'admin' }, setUser: () => {} }}><SetupPage /></AuthContext.Provider>, root);
  await flush();
}

beforeEach(() => { root = document.createElement('div'); document.body.appendChild(root); });
afterEach(() => { render(null, root); root.remove(); vi.unstubAllGlobals(); });

describe('Setup page', () => {
  it('changes the password, shows the storage check, adds the first camera and marks setup done', async () => {
    const calls = server({
      'GET /api/setup/status': () => [200, STATUS],
      'PUT /api/auth/users/1/password': () => [200, { success: true }],
      'POST /api/streams': () => [200, { success: true }],
      'POST /api/setup/status': () => [200, { success: true, complete: true, setup_completed_at: 1 }],
    });
    await mount();
    await type(q('#setup-old'), 'generated-pass-123');
    await type(q('#setup-new'), 'my-own-password');
    await type(q('#setup-again'), 'my-own-passwordX');
    await act(() => q('[data-testid=setup-password]').dispatchEvent(new Event('submit', { bubbles: true, cancelable: true })));
    expect(q('[data-testid=setup-password]').textContent).toContain('The two new passwords differ');
    expect(calls.some((c) => c.method === 'PUT')).toBe(false);

    await type(q('#setup-again'), 'my-own-password');
    await act(() => q('[data-testid=setup-password]').dispatchEvent(new Event('submit', { bubbles: true, cancelable: true })));
    await flush();
    expect(calls.find((c) => c.method === 'PUT').body).toEqual({ old_password: 'generated-pass-123', new_password: 'my-own-password' });

    expect(q('[data-testid=setup-storage-result]').textContent).toMatch(/^Writable; 46\.6 GB free of 93\.1 GB\.$/);
    await click('[data-testid=setup-storage-next]');
    await type(q('#setup-cam-name'), 'porch');
    await type(q('#setup-cam-url'), 'rtsp://cam/1');
    await act(() => q('[data-testid=setup-camera]').dispatchEvent(new Event('submit', { bubbles: true, cancelable: true })));
    await flush();
    expect(calls.find((c) => c.method === 'POST' && c.url === '/api/streams').body).toEqual({ name: 'porch', url: 'rtsp://cam/1', enabled: true, record: true });

    await click('[data-testid=setup-finish]');
    await flush();
    expect(calls.find((c) => c.method === 'POST' && c.url === '/api/setup/status').body).toEqual({ complete: true });
    expect(window.location.pathname).toBe('/live');
  });

  it('says so when the storage path cannot be written', async () => {
    server({ 'GET /api/setup/status': () => [200, { ...STATUS, checks: { storage: { ...STATUS.checks.storage, writable: false,
      problem: 'cannot write to /mnt/x: Permission denied' }, streams: 0 } }] });
    await mount();
    await click('[data-testid=setup-password-keep]');
    expect(q('[data-testid=setup-storage-result]').textContent).toContain('Not writable. cannot write to /mnt/x');
    expect(q('[data-testid=setup-storage-next]').textContent).toBe('Continue anyway');
  });
});
