// Component tests: real Preact rendering in happy-dom with a scripted fetch (the server's documented replies).
import { describe, it, expect, vi, beforeEach, afterEach } from 'vitest';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { AuthContext } from '../src/lib/auth.js';
import { LoginPage } from '../src/pages/Login.jsx';
import { RecordingsPage } from '../src/pages/Recordings.jsx';
import { StreamForm } from '../src/components/StreamForm.jsx';
import { AccountModal } from '../src/components/AccountModal.jsx';
import { SettingsPage } from '../src/pages/Settings.jsx';
import { fieldForError, validateStream, toRequestBody, newStreamDefaults, fromServer, maskUrl } from '../src/lib/streamForm.js';

let root;
const flush = async () => { for (let i = 0; i < 5; i++) await act(() => new Promise((r) => setTimeout(r, 0))); };
const q = (sel) => root.querySelector(sel);
const qa = (sel) => [...root.querySelectorAll(sel)];
const type = (el, v) => act(() => { el.value = v; el.dispatchEvent(new Event('input', { bubbles: true })); });

/** fetch double: routes "METHOD path-prefix" to handlers, records calls. */
function server(routes) {
  const calls = [];
  const f = vi.fn(async (url, init = {}) => {
    const method = init.method || 'GET';
    calls.push({ method, url, body: init.body ? JSON.parse(init.body) : undefined });
    const key = Object.keys(routes).find((k) => { const [m, p] = k.split(' '); return m === method && url.startsWith(p); });
    const [status, body] = key ? routes[key](url, init) : [404, { error: 'Not Found' }];
    return { status, ok: status < 300, text: async () => JSON.stringify(body) };
  });
  vi.stubGlobal('fetch', f);
  return calls;
}

beforeEach(() => { root = document.createElement('div'); document.body.appendChild(root); });
afterEach(() => { render(null, root); root.remove(); vi.unstubAllGlobals(); });

describe('Login page', () => {
  it('posts the credentials, then goes to the page asked for', async () => {
    history.replaceState(null, '', '/login?next=%2Ftimeline%3Fstream%3Dcam1');
    const calls = server({
      'POST /api/auth/login': () => [200, { success: true, redirect: '/index.html' }],
      'GET /api/auth/verify': () => [200, { authenticated: true, username: 'admin', role: 'admin' }],
    });
    const onLogin = vi.fn();
    await act(() => render(<LoginPage onLogin={onLogin} />, root));
    await type(q('[data-testid=login-username]'), 'admin');
    await type(q('[data-testid=login-password]'), 'secret123');
    await act(() => q('[data-testid=login-form]').dispatchEvent(new Event('submit', { cancelable: true })));
    await flush();
    expect(calls[0]).toEqual({ method: 'POST', url: '/api/auth/login', body: { username: 'admin', password: 'secret123' } });
    expect(onLogin).toHaveBeenCalledWith(expect.objectContaining({ username: 'admin', role: 'admin' }));
    expect(location.pathname + location.search).toBe('/timeline?stream=cam1');
  });

  it('shows a clear message on bad credentials and stays on the page', async () => {
    history.replaceState(null, '', '/login');
    server({ 'POST /api/auth/login': () => [401, { error: 'Invalid credentials' }] });
    await act(() => render(<LoginPage onLogin={() => {}} />, root));
    await type(q('[data-testid=login-username]'), 'admin');
    await type(q('[data-testid=login-password]'), 'wrong');
    await act(() => q('[data-testid=login-form]').dispatchEvent(new Event('submit', { cancelable: true })));
    await flush();
    expect(q('[data-testid=login-error]').textContent).toContain('Invalid username or password');
    expect(location.pathname).toBe('/login');
  });

  it('asks for the TOTP code when the server requires it', async () => {
    history.replaceState(null, '', '/login');
    const calls = server({
      'POST /api/auth/login/totp': () => [200, { success: true }],
      'POST /api/auth/login': () => [200, { totp_required: true, totp_token: 'T'.repeat(32) }],
      'GET /api/auth/verify': () => [200, { authenticated: true, username: 'bob', role: 'user' }],
    });
    await act(() => render(<LoginPage onLogin={() => {}} />, root));
    await type(q('[data-testid=login-username]'), 'bob');
    await type(q('[data-testid=login-password]'), 'pw12345678');
    await act(() => q('[data-testid=login-form]').dispatchEvent(new Event('submit', { cancelable: true })));
    await flush();
    await type(q('[data-testid=login-totp]'), '123456');
    await act(() => q('[data-testid=login-form]').dispatchEvent(new Event('submit', { cancelable: true })));
    await flush();
    expect(calls.find((c) => c.url === '/api/auth/login/totp').body).toEqual({ totp_token: 'T'.repeat(32), code: '123456' });
    expect(location.pathname).toBe('/live');
  });
});

const RECS = {
  recordings: [
    { id: 7, stream: 'cam1', start_time: '2024-01-01T12:00:00Z', end_time: '2024-01-01T12:00:30Z', start_time_unix: 1704110400, end_time_unix: 1704110430, duration: 30, size: '4.1 MB', capture_method: 'continuous', protected: false, has_detection: false, tags: [] },
    { id: 8, stream: 'cam1', start_time: '2024-01-01T12:00:30Z', end_time: '2024-01-01T12:01:00Z', start_time_unix: 1704110430, end_time_unix: 1704110460, duration: 30, size: '4.0 MB', capture_method: 'motion', protected: true, has_detection: true, tags: ['night'] },
  ],
  pagination: { page: 2, pages: 3, total: 45, limit: 20 },
};
const recordingsServer = (extra = {}) => server({
  'GET /api/recordings/tags': () => [200, { tags: ['night'] }],
  'GET /api/recordings': () => [200, RECS],
  'GET /api/streams': () => [200, [{ name: 'cam1' }, { name: 'cam2' }]],
  ...extra,
});
const withUser = (role, node) => <AuthContext.Provider value={{ user: { username: 'x', role }, setUser: () => {} }}>{node}</AuthContext.Provider>;

describe('Recordings page', () => {
  it('queries the API from the URL state and renders rows and pagination', async () => {
    history.replaceState(null, '', '/recordings?stream=cam1&page=2&capture=motion');
    const calls = recordingsServer();
    await act(() => render(withUser('admin', <RecordingsPage />), root));
    await flush();
    const list = calls.find((c) => c.url.startsWith('/api/recordings?'));
    expect(Object.fromEntries(new URL(list.url, 'http://x').searchParams)).toMatchObject({ stream: 'cam1', page: '2', capture_method: 'motion', sort: 'start_time', order: 'desc' });
    expect(qa('[data-testid=recording-row]').map((r) => r.dataset.id)).toEqual(['7', '8']);
    expect(q('[data-testid=page-info]').textContent).toBe('Page 2 of 3');
    expect(q('[data-testid=filter-stream]').value).toBe('cam1');
  });

  it('a filter change writes the URL and resets to page 1', async () => {
    history.replaceState(null, '', '/recordings?stream=cam1&page=2');
    recordingsServer();
    await act(() => render(withUser('admin', <RecordingsPage />), root));
    await flush();
    await act(() => { const s = q('[data-testid=filter-protected]'); s.value = '1'; s.dispatchEvent(new Event('change', { bubbles: true })); });
    expect(location.search).toBe('?stream=cam1&protected=1');
    await act(() => q('[data-testid=page-next]').click());
    expect(new URLSearchParams(location.search).get('page')).toBe('3');
  });

  it('hides protect and delete from a viewer, shows them to a user', async () => {
    history.replaceState(null, '', '/recordings');
    recordingsServer();
    await act(() => render(withUser('viewer', <RecordingsPage />), root));
    await flush();
    expect(qa('[data-testid=recording-play]')).toHaveLength(2);
    expect(qa('[data-testid=recording-delete]')).toHaveLength(0);
    expect(qa('[data-testid=recording-protect]')).toHaveLength(0);
    render(null, root);
    await act(() => render(withUser('user', <RecordingsPage />), root));
    await flush();
    expect(qa('[data-testid=recording-delete]')).toHaveLength(2);
  });

  it('deletes after confirmation', async () => {
    history.replaceState(null, '', '/recordings');
    const calls = recordingsServer({ 'DELETE /api/recordings/': () => [200, { success: true }] });
    await act(() => render(withUser('admin', <RecordingsPage />), root));
    await flush();
    await act(() => qa('[data-testid=recording-delete]')[1].click());
    expect(document.querySelector('[data-testid=confirm-dialog]')).not.toBeNull();
    expect(calls.some((c) => c.method === 'DELETE')).toBe(false);
    await act(() => document.querySelector('[data-testid=confirm-ok]').click());
    await flush();
    expect(calls.filter((c) => c.method === 'DELETE').map((c) => c.url)).toEqual(['/api/recordings/8']);
  });
});

describe('Stream form', () => {
  it('shows the API 400 message on the field it names', async () => {
    server({ 'POST /api/streams': () => [400, { error: 'retention_days must be between -1 and 365' }] });
    await act(() => render(<StreamForm onClose={() => {}} onSaved={() => {}} />, root));
    await type(q('[data-testid=stream-field-name]'), 'cam3');
    await type(q('[data-testid=stream-field-url]'), 'rtsp://cam/stream');
    await act(() => q('[data-testid=stream-form] form').dispatchEvent(new Event('submit', { cancelable: true })));
    await flush();
    expect(q('[data-testid=stream-error-retention_days]').textContent).toBe('retention_days must be between -1 and 365');
    expect(q('[data-testid=stream-tab-retention]').getAttribute('aria-selected')).toBe('true');
  });

  it('validates the name before calling the server', async () => {
    const calls = server({});
    await act(() => render(<StreamForm onClose={() => {}} onSaved={() => {}} />, root));
    await type(q('[data-testid=stream-field-name]'), 'front door');
    await type(q('[data-testid=stream-field-url]'), 'rtsp://cam/stream');
    await act(() => q('[data-testid=stream-form] form').dispatchEvent(new Event('submit', { cancelable: true })));
    expect(q('[data-testid=stream-error-name]').textContent).toMatch(/letters, digits/);
    expect(calls).toHaveLength(0);
  });

  it('tests the connection and reports what the camera sends', async () => {
    const calls = server({ 'POST /api/streams/test': () => [200, { success: true, info: { width: 1280, height: 720, fps: 25, codec: 'h264' } }] });
    await act(() => render(<StreamForm onClose={() => {}} onSaved={() => {}} />, root));
    await type(q('[data-testid=stream-field-url]'), ' rtsp://cam/stream ');
    await act(() => q('[data-testid=stream-test]').click());
    await flush();
    expect(calls[0].body).toMatchObject({ url: 'rtsp://cam/stream', protocol: 0 });
    expect(q('[data-testid=stream-test-result]').textContent).toBe('Connected: h264 1280×720 @ 25 fps');
  });

  it('model helpers: error → field, body shape, server merge, URL masking', () => {
    expect(fieldForError('Stream already exists')).toBe('name');
    expect(fieldForError('publish_url must use rtmp or rtmps')).toBe('publish_url');
    expect(fieldForError('Internal error')).toBeNull();
    const s = { ...newStreamDefaults(), name: ' cam ', url: ' rtsp://a ' };
    const body = toRequestBody(s, true);
    expect(body.name).toBe('cam');
    expect(body.url).toBe('rtsp://a');
    expect(body).not.toHaveProperty('onvif_password');
    expect(toRequestBody(s, false)).not.toHaveProperty('name');
    expect(validateStream({ ...s, detection_url: 'ftp://x' }, true)).toHaveProperty('detection_url');
    expect(fromServer({ name: 'x', url: 'u', recording_schedule: [true] }).recording_schedule).toHaveLength(168);
    expect(maskUrl('rtsp://admin:hunter2@10.0.0.5:554/s')).toBe('rtsp://admin:••••@10.0.0.5:554/s');
  });
});

describe('Account: two-factor sign-in', () => {
  const admin = { id: 1, username: 'admin', role: 'admin' };
  const routes = () => ({
    'GET /api/auth/users/1/totp/status': () => [200, { totp_enabled: true, totp_configured: true }],
    'GET /api/auth/sessions': () => [200, { sessions: [] }],
    'POST /api/auth/users/1/totp/disable': () => [200, { success: true }],
  });
  const disableWith = async (proof) => {
    await act(() => render(<AccountModal user={admin} onClose={() => {}} />, root));
    await flush();
    await act(() => q('[data-testid=totp-disable]').click());
    expect(q('[data-testid=totp-disable-confirm]').disabled).toBe(true);
    await type(q('[data-testid=totp-proof]'), proof);
    await act(() => q('[data-testid=totp-proof]').form.dispatchEvent(new Event('submit', { cancelable: true })));
    await flush();
  };

  it('sends the current code to turn it off (the server wants proof beyond the session)', async () => {
    const calls = server(routes());
    await disableWith('123456');
    expect(calls.find((c) => c.method === 'POST').body).toEqual({ code: '123456' });
  });

  it('sends anything else as the password', async () => {
    const calls = server(routes());
    await disableWith('my password 1');
    expect(calls.find((c) => c.method === 'POST').body).toEqual({ password: 'my password 1' });
  });

  it('shows the refusal and keeps the form', async () => {
    server({ ...routes(), 'POST /api/auth/users/1/totp/disable': () => [403, { error: 'Current TOTP code or password is incorrect' }] });
    await disableWith('000000');
    expect(root.textContent).toContain('Current TOTP code or password is incorrect');
    expect(q('[data-testid=totp-proof]')).not.toBeNull();
  });
});

describe('Settings page', () => {
  it('marks keys that do nothing yet and keys that need a restart, and says nothing for live keys', async () => {
    server({
      'GET /api/settings/schema': () => [200, { keys: [
        { setting: 'log_level', section: 'general', key: 'log_level', applies: 'live', in_effect: true, secret: false },
        { setting: 'web_port', section: 'web', key: 'port', applies: 'restart', in_effect: true, secret: false },
        { setting: 'syslog_enabled', section: 'general', key: 'syslog_enabled', applies: 'restart', in_effect: false, no_effect: 'stored, no effect yet', secret: false },
      ] }],
      'GET /api/settings': () => [200, { log_level: 2, web_port: 8080, syslog_enabled: false }],
    });
    await act(() => render(<SettingsPage />, root));
    await flush();
    expect(q('[data-testid=setting-note-log_level]')).toBeNull();
    expect(q('[data-testid=setting-note-web_port]').textContent).toBe('applies after a restart');
    const inert = q('[data-testid=setting-note-syslog_enabled]');
    expect(inert.textContent).toBe('stored, no effect yet');
    expect(inert.dataset.kind).toBe('inert');
  });

  it('still shows the settings when the server has no schema', async () => {
    server({ 'GET /api/settings': (url) => (url.endsWith('/schema') ? [404, { error: 'Not Found' }] : [200, { web_port: 8080 }]) });
    await act(() => render(<SettingsPage />, root));
    await flush();
    expect(q('[data-testid=setting-web_port]').value).toBe('8080');
    expect(q('[data-testid=setting-note-web_port]')).toBeNull();
  });
});
