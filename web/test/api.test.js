import { describe, it, expect, vi, beforeEach, afterEach } from 'vitest';
import { api, request, ApiError, errorMessage, loginRedirectUrl, UNAUTHORIZED_EVENT } from '../src/lib/api.js';
import { can, roleName } from '../src/lib/auth.js';
import { safeNext } from '../src/pages/Login.jsx';

const reply = (status, body) => vi.fn(async () => ({ status, ok: status >= 200 && status < 300, text: async () => (typeof body === 'string' ? body : JSON.stringify(body)) }));

describe('API client', () => {
  beforeEach(() => history.replaceState(null, '', '/recordings?stream=cam1&page=2'));
  afterEach(() => vi.unstubAllGlobals());

  it('returns parsed JSON and sends JSON bodies with the session cookie', async () => {
    const f = reply(200, { success: true });
    vi.stubGlobal('fetch', f);
    expect(await api.post('/api/streams', { name: 'a' })).toEqual({ success: true });
    const [url, init] = f.mock.calls[0];
    expect(url).toBe('/api/streams');
    expect(init.method).toBe('POST');
    expect(init.credentials).toBe('same-origin');
    expect(init.headers['Content-Type']).toBe('application/json');
    expect(JSON.parse(init.body)).toEqual({ name: 'a' });
  });

  it('on 401 goes to /login remembering the page asked for, and throws', async () => {
    vi.stubGlobal('fetch', reply(401, { error: 'Unauthorized' }));
    const forgotten = vi.fn();
    window.addEventListener(UNAUTHORIZED_EVENT, forgotten);
    await expect(api.get('/api/recordings')).rejects.toMatchObject({ status: 401, message: 'Unauthorized' });
    window.removeEventListener(UNAUTHORIZED_EVENT, forgotten);
    expect(forgotten).toHaveBeenCalledTimes(1); // the app forgets the user, so /login is not skipped
    expect(location.pathname).toBe('/login');
    expect(new URLSearchParams(location.search).get('next')).toBe('/recordings?stream=cam1&page=2');
  });

  it('does not redirect when the caller handles 401 itself (login form, verify)', async () => {
    vi.stubGlobal('fetch', reply(401, { error: 'Invalid credentials' }));
    await expect(request('POST', '/api/auth/login', {}, { noRedirect: true })).rejects.toBeInstanceOf(ApiError);
    expect(location.pathname).toBe('/recordings');
  });

  it('surfaces the server message from every error shape', async () => {
    vi.stubGlobal('fetch', reply(400, { error: 'Stream name can only contain letters, digits, \'.\', \'-\', and \'_\'' }));
    await expect(api.post('/api/streams', {})).rejects.toMatchObject({ status: 400, message: expect.stringMatching(/^Stream name can only/) });
    expect(errorMessage(400, { valid: false, error: { message: 'yaml: line 3' } })).toBe('yaml: line 3');
    expect(errorMessage(500, { success: false, message: 'Failed to clear logs' })).toBe('Failed to clear logs');
    expect(errorMessage(502, '<html>Bad gateway</html>')).toBe('<html>Bad gateway</html>');
    expect(errorMessage(503, null)).toBe('Request failed (HTTP 503)');
  });

  it('reports an unreachable server as status 0', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => { throw new TypeError('Failed to fetch'); }));
    await expect(api.get('/api/streams')).rejects.toMatchObject({ status: 0, message: 'Cannot reach the server' });
  });
});

describe('login redirect targets', () => {
  it('remembers the page but never loops back to /login', () => {
    expect(loginRedirectUrl('/timeline?stream=a')).toBe('/login?next=%2Ftimeline%3Fstream%3Da');
    expect(loginRedirectUrl('/')).toBe('/login');
    expect(loginRedirectUrl('/login?next=/x')).toBeNull();
  });
  it('only follows same-site paths after login', () => {
    expect(safeNext('/recordings?page=2')).toBe('/recordings?page=2');
    expect(safeNext('https://evil.example/')).toBe('/live');
    expect(safeNext('//evil.example/')).toBe('/live');
    expect(safeNext(null)).toBe('/live');
    expect(safeNext('/login')).toBe('/live');
  });
});

describe('roles', () => {
  it('normalises names and numbers and gates actions', () => {
    expect(roleName(0)).toBe('admin');
    expect(roleName('Viewer')).toBe('viewer');
    expect(can({ role: 'viewer' }, 'edit')).toBe(false);
    expect(can({ role: 'viewer' }, 'admin')).toBe(false);
    expect(can({ role: 'user' }, 'edit')).toBe(true);
    expect(can({ role: 'user' }, 'admin')).toBe(false);
    expect(can({ role: 'api' }, 'delete-recordings')).toBe(false);
    expect(can({ role: 'admin' }, 'admin')).toBe(true);
    expect(can(null, 'edit')).toBe(false);
  });
});
