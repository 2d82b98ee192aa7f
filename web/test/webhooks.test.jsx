// Settings → Webhooks against a scripted server: list with last status, add (generated secret sent once), edit without
// resending the secret, the server's 400 shown, "Send test" reporting the result, delete, and the delivery log.
import { describe, it, expect, vi, beforeEach, afterEach } from 'vitest';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { WebhooksSection } from '../src/components/WebhooksSection.jsx';
import { Toasts } from '../src/components/ui.jsx';
import { toRequest, formFor, lastStatus, generateSecret } from '../src/lib/webhooks.js';

let root;
const flush = async () => { for (let i = 0; i < 6; i++) await act(() => new Promise((r) => setTimeout(r, 0))); };
const q = (s) => root.querySelector(s);
const qa = (s) => [...root.querySelectorAll(s)];
const type = (el, v) => act(() => { el.value = v; el.dispatchEvent(new Event('input', { bubbles: true })); });
const click = (el) => act(() => { el.click(); });

function server(routes) {
  const calls = [];
  vi.stubGlobal('fetch', vi.fn(async (url, init = {}) => {
    const method = init.method || 'GET';
    const body = init.body ? JSON.parse(init.body) : undefined;
    calls.push({ method, url, body });
    const key = Object.keys(routes).sort((a, b) => b.length - a.length).find((k) => { const [m, p] = k.split(' '); return m === method && url.startsWith(p); });
    const [status, json] = key ? routes[key](url, body) : [404, { error: 'Not Found' }];
    return { status, ok: status < 300, text: async () => JSON.stringify(json) };
  }));
  return calls;
}

const now = Math.floor(Date.now() / 1000);
const HOOK = { id: 3, name: 'Home Assistant', url: 'http://ha.lan:8123/api/webhook/x', events: ['start', 'end'], streams: ['porch'], secret: 'set',
  enabled: true, last_status: 500, last_error: 'HTTP 500', last_attempt_at: now - 120, last_success_at: null, pending: 2 };

beforeEach(() => { root = document.createElement('div'); document.body.appendChild(root); });
afterEach(() => { render(null, root); root.remove(); vi.unstubAllGlobals(); });

const mount = async () => { await act(() => render(<><WebhooksSection /><Toasts /></>, root)); await flush(); };

describe('Webhooks section', () => {
  it('lists hooks with their last status and pending count', async () => {
    server({ 'GET /api/webhooks': () => [200, { webhooks: [HOOK] }] });
    await mount();
    expect(q('[data-testid=webhook-3]').textContent).toContain('Home Assistant');
    expect(q('[data-testid=webhook-status]').textContent).toBe('Failed: HTTP 500 · 2 min ago');
    expect(q('[data-testid=webhook-pending]').textContent).toBe('2 pending');
    expect(q('[data-testid=webhook-3]').textContent).toContain('start, end · porch');
  });

  it('adds a hook with a generated secret and shows the server\'s 400', async () => {
    let reply = [400, { error: "'url': the target is this NVR's own API" }];
    const calls = server({ 'GET /api/webhooks': () => [200, { webhooks: [] }], 'POST /api/webhooks': () => reply });
    await mount();
    expect(q('[data-testid=empty]')).toBeTruthy();
    await click(q('[data-testid=webhook-add]'));
    const secret = q('[data-testid=wh-secret]').value;
    expect(secret).toMatch(/^[0-9a-f]{64}$/);
    await type(q('[data-testid=wh-url]'), 'http://127.0.0.1:8080/api');
    await type(q('[data-testid=wh-streams]'), 'porch, garage ,');
    await act(() => q('[data-testid=webhook-form] form').dispatchEvent(new Event('submit', { cancelable: true })));
    await flush();
    expect(q('[data-testid=webhook-form-error]').textContent).toContain("this NVR's own API");
    const post = calls.find((c) => c.method === 'POST');
    expect(post.body).toEqual({ name: '', url: 'http://127.0.0.1:8080/api', events: ['start', 'end'], streams: ['porch', 'garage'], enabled: true, secret });

    reply = [201, { ...HOOK, id: 4 }];
    await type(q('[data-testid=wh-url]'), 'https://receiver.example/hook');
    await act(() => q('[data-testid=webhook-form] form').dispatchEvent(new Event('submit', { cancelable: true })));
    await flush();
    expect(q('[data-testid=webhook-form]')).toBeNull();
    expect(calls.filter((c) => c.method === 'GET').length).toBe(2); // reloaded after saving
  });

  it('edits without resending the secret, sends a test and deletes', async () => {
    const calls = server({
      'GET /api/webhooks': () => [200, { webhooks: [HOOK] }],
      'PUT /api/webhooks/3': (u, b) => [200, { ...HOOK, ...b }],
      'POST /api/webhooks/3/test': () => [200, { success: true, status: 204, error: null, duration_ms: 12, delivery_id: 9 }],
      'DELETE /api/webhooks/3': () => [200, { success: true }],
    });
    await mount();
    await click(q('[data-testid=webhook-edit]'));
    expect(q('[data-testid=wh-secret]').value).toBe('');
    await act(() => q('[data-testid=wh-kind-update]').click());
    await act(() => q('[data-testid=webhook-form] form').dispatchEvent(new Event('submit', { cancelable: true })));
    await flush();
    const put = calls.find((c) => c.method === 'PUT');
    expect(put.body.events).toEqual(['start', 'update', 'end']);
    expect('secret' in put.body).toBe(false);

    await click(q('[data-testid=webhook-test]'));
    await flush();
    expect(calls.some((c) => c.method === 'POST' && c.url === '/api/webhooks/3/test')).toBe(true);
    expect(document.body.textContent).toContain('Test delivered (HTTP 204, 12 ms)');

    await click(q('[data-testid=webhook-delete]'));
    await click(q('[data-testid=confirm-ok]'));
    await flush();
    expect(calls.some((c) => c.method === 'DELETE' && c.url === '/api/webhooks/3')).toBe(true);
  });

  it('shows the delivery log', async () => {
    server({
      'GET /api/webhooks/3/deliveries': () => [200, { deliveries: [
        { id: 2, type: 'event.end', stream: 'porch', state: 'pending', attempts: 2, last_status: 503, last_error: 'HTTP 503', next_attempt_at: now + 10 },
        { id: 1, type: 'test', stream: null, state: 'delivered', attempts: 1, last_status: 200, last_error: null, next_attempt_at: null },
      ] }],
      'GET /api/webhooks': () => [200, { webhooks: [HOOK] }],
    });
    await mount();
    await click(q('[data-testid=webhook-log]'));
    await flush();
    const rows = qa('[data-testid=delivery]').map((r) => r.textContent);
    expect(rows[0]).toContain('event.end');
    expect(rows[0]).toContain('pending');
    expect(rows[0]).toContain('2 attempts');
    expect(rows[1]).toContain('delivered');
  });
});

describe('webhook form model', () => {
  it('refuses what the server would refuse and keeps the secret out of an edit unless typed', () => {
    expect(toRequest({ ...formFor(null), url: 'ftp://x' }, true).error).toContain('http://');
    expect(toRequest({ ...formFor(null), url: 'http://x', events: [] }, true).error).toContain('event kind');
    expect(toRequest({ ...formFor(null), url: 'http://x', secret: 'short' }, true).error).toContain('16');
    expect(toRequest({ ...formFor(HOOK) }, false).body).toEqual({ name: 'Home Assistant', url: HOOK.url, events: ['start', 'end'], streams: ['porch'], enabled: true });
    expect(lastStatus({ last_attempt_at: null }).text).toBe('Never sent');
    expect(lastStatus({ last_attempt_at: 100, last_status: 200 }, 130).text).toBe('OK 200 · 30 s ago');
    expect(generateSecret()).not.toBe(generateSecret());
  });
});
