// "Add ONVIF camera" (issue 16): discover → use a device → read profiles with the credentials in upstream's headers
// → pick the profile and name → add; the server's errors are shown.
import { describe, it, expect, vi, beforeEach, afterEach } from 'vitest';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { OnvifAddModal, suggestName } from '../src/components/OnvifAddModal.jsx';

let root;
const flush = async () => { for (let i = 0; i < 5; i++) await act(() => new Promise((r) => setTimeout(r, 0))); };
const q = (sel) => root.querySelector(sel);
const type = async (sel, value) => { const el = q(sel); el.value = value; await act(() => el.dispatchEvent(new Event('input', { bubbles: true }))); };
const click = async (sel) => { await act(() => q(sel).click()); await flush(); };

const device = { endpoint: 'urn:uuid:1', device_service: 'http://127.0.0.1:8080/onvif/device_service', ip_address: '127.0.0.1', name: 'Stand In', hardware: 'x' };
const profiles = [
  { token: 'main', name: 'MainStream', width: 1920, height: 1080, encoding: 'H264', fps: 25 },
  { token: 'sub', name: 'SubStream', width: 640, height: 360, encoding: 'H264', fps: 10 },
];

function server(replies) {
  const calls = [];
  vi.stubGlobal('fetch', vi.fn(async (url, init = {}) => {
    const method = init.method || 'GET';
    calls.push({ method, url, headers: init.headers, body: init.body ? JSON.parse(init.body) : undefined });
    const [status, body] = replies[`${method} ${url}`] ?? [404, { error: 'no' }];
    return { status, ok: status < 300, text: async () => JSON.stringify(body) };
  }));
  return calls;
}

beforeEach(() => { root = document.createElement('div'); document.body.appendChild(root); });
afterEach(() => { render(null, root); root.remove(); vi.unstubAllGlobals(); });

describe('OnvifAddModal', () => {
  it('discovers, reads profiles with the credentials and adds the chosen profile', async () => {
    const calls = server({
      'POST /api/onvif/discovery/discover': [200, { devices: [device] }],
      'GET /api/onvif/device/profiles': [200, { profiles }],
      'POST /api/onvif/device/add': [200, { success: true, stream_name: 'Stand_In' }],
    });
    const added = vi.fn();
    await act(() => render(<OnvifAddModal onClose={() => {}} onAdded={added} />, root));
    await type('[data-testid=onvif-addresses]', '127.0.0.1:3702, 10.0.0.9');
    await click('[data-testid=onvif-discover]');
    expect(calls[0].body).toEqual({ network: 'auto', addresses: ['127.0.0.1:3702', '10.0.0.9'] });
    expect(root.querySelectorAll('[data-testid=onvif-device]').length).toBe(1);

    await click('[data-testid=onvif-use]');
    expect(q('[data-testid=onvif-url]').value).toBe(device.device_service);
    await type('[data-testid=onvif-username]', 'admin');
    await type('[data-testid=onvif-password]', 'p@ss');
    await click('[data-testid=onvif-profiles-load]');
    const get = calls.find((c) => c.url === '/api/onvif/device/profiles');
    expect([get.headers['X-Device-URL'], get.headers['X-Username'], get.headers['X-Password']]).toEqual([device.device_service, 'admin', 'p@ss']);
    expect(root.querySelectorAll('[data-testid=onvif-profile]').length).toBe(2);
    expect(q('[data-testid=onvif-name]').value).toBe('Stand_In');

    await click('[data-testid=onvif-add-submit]');
    expect(calls.find((c) => c.url === '/api/onvif/device/add').body).toEqual({
      device_url: device.device_service, profile_token: 'main', stream_name: 'Stand_In', username: 'admin', password: 'p@ss',
    });
    expect(added).toHaveBeenCalledWith('Stand_In');
  });

  it('shows the camera error (wrong password) and adds nothing', async () => {
    const calls = server({ 'GET /api/onvif/device/profiles': [502, { error: 'wrong password: the camera refused the user name or password' }] });
    await act(() => render(<OnvifAddModal onClose={() => {}} />, root));
    await type('[data-testid=onvif-url]', '192.0.2.10');
    await click('[data-testid=onvif-profiles-load]');
    expect(q('[data-testid=onvif-error]').textContent).toContain('wrong password');
    expect(q('[data-testid=onvif-profiles]')).toBeNull();
    expect(calls.filter((c) => c.method === 'POST')).toEqual([]);
  });

  it('suggests a stream name the server accepts', () => {
    expect(suggestName({ name: 'Front door (PTZ)' })).toBe('Front_door_PTZ');
    expect(suggestName({ ip_address: '10.0.0.5' })).toBe('10.0.0.5');
    expect(suggestName({})).toBe('camera');
  });
});
