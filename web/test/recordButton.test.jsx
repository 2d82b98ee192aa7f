// The live tile's manual recording button (issue 17): operators only, start/stop through
// POST /api/streams/{name}/recording, disabled while continuous recording is in effect.
import { describe, it, expect, vi, beforeEach, afterEach } from 'vitest';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { AuthContext } from '../src/lib/auth.js';
import { RecordButton } from '../src/components/RecordButton.jsx';

let root;
const flush = async () => { for (let i = 0; i < 5; i++) await act(() => new Promise((r) => setTimeout(r, 0))); };
const q = (sel) => root.querySelector(sel);
const withUser = (role, node) => <AuthContext.Provider value={{ user: { username: 'x', role }, setUser: () => {} }}>{node}</AuthContext.Provider>;
const idle = { stream: 'cam', state: 'idle', recording_active: false, capture_method: null, manual_control_allowed: true, manual_control_reason: null };

function server(replies) {
  const calls = [];
  vi.stubGlobal('fetch', vi.fn(async (url, init = {}) => {
    const method = init.method || 'GET';
    calls.push({ method, url, body: init.body ? JSON.parse(init.body) : undefined });
    const [status, body] = method === 'GET' ? [200, replies.shift() ?? idle] : [202, { success: true }];
    return { status, ok: status < 300, text: async () => JSON.stringify(body) };
  }));
  return calls;
}

beforeEach(() => { root = document.createElement('div'); document.body.appendChild(root); });
afterEach(() => { render(null, root); root.remove(); vi.unstubAllGlobals(); });

describe('RecordButton', () => {
  it('starts and stops a manual recording for an operator', async () => {
    const calls = server([idle, { ...idle, state: 'recording', capture_method: 'manual' }, idle]);
    await act(() => render(withUser('user', <RecordButton name="cam" />), root));
    await flush();
    expect(q('[data-testid=tile-record]').dataset.recording).toBe('idle');
    await act(() => q('[data-testid=tile-record]').click());
    await flush();
    expect(calls.find((c) => c.method === 'POST').body).toEqual({ action: 'start' });
    expect(q('[data-testid=tile-record]').dataset.recording).toBe('manual');
    await act(() => q('[data-testid=tile-record]').click());
    await flush();
    expect(calls.filter((c) => c.method === 'POST').map((c) => c.body.action)).toEqual(['start', 'stop']);
    expect(calls[1].url).toBe('/api/streams/cam/recording');
  });

  it('is disabled while continuous recording is in effect and hidden for viewers', async () => {
    server([{ ...idle, state: 'recording', capture_method: 'continuous', manual_control_allowed: false, manual_control_reason: 'continuous_recording' }]);
    await act(() => render(withUser('admin', <RecordButton name="cam" />), root));
    await flush();
    expect(q('[data-testid=tile-record]').disabled).toBe(true);
    render(null, root);
    const calls = server([idle]);
    await act(() => render(withUser('viewer', <RecordButton name="cam" />), root));
    await flush();
    expect(q('[data-testid=tile-record]')).toBeNull();
    expect(calls).toHaveLength(0);
  });
});
