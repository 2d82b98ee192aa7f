// The System page's recorder-node list (issue 19, docs/scale.md): GET /api/system/info's `nodes` shown with id,
// api_url, heartbeat age, cameras held, capacity, load and state; nothing when the server lists no nodes.
import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { NodesSection, heartbeatAge } from '../src/pages/SystemNodes.jsx';

let root;
beforeEach(() => { root = document.createElement('div'); document.body.appendChild(root); });
afterEach(() => { render(null, root); root.remove(); });

const info = {
  node_id: 'nvr-1',
  nodes: [
    { node_id: 'nvr-1', address: 'http://10.0.0.11:8080', version: '1.4.0', capacity: 16, healthy: true, state: 'up',
      heartbeat_age_ms: 812, camera_count: 2, cameras: ['door', 'yard'], load: 0.125 },
    { node_id: 'nvr-2', address: 'http://10.0.0.12:8080', version: '1.4.0', capacity: 8, healthy: false, state: 'down',
      heartbeat_age_ms: 95000, camera_count: 0, cameras: [], load: 0 },
    { node_id: 'nvr-3', address: 'http://10.0.0.13:8080', capacity: 8, healthy: false, state: 'stopped',
      heartbeat_age_ms: 1765000000000, camera_count: 0, cameras: [], load: 0 },
  ],
};

describe('System page nodes', () => {
  it('lists every node with its address, heartbeat, cameras, capacity, load and state', async () => {
    await act(() => render(<NodesSection info={info} />, root));
    const rows = [...root.querySelectorAll('[data-testid="node-row"]')];
    expect(rows.map((r) => r.dataset.node)).toEqual(['nvr-1', 'nvr-2', 'nvr-3']);
    const [one, two, three] = rows;
    expect(one.textContent).toContain('(this node)');
    expect(one.textContent).toContain('http://10.0.0.11:8080');
    expect(one.querySelector('[data-testid="node-heartbeat"]').textContent).toBe('0.8 s ago');
    expect(one.querySelector('[data-testid="node-cameras"]').textContent).toBe('2door, yard');
    expect(one.textContent).toContain('13 %');
    expect(one.querySelector('[data-testid="node-state"]').textContent).toBe('Up');
    expect(two.querySelector('[data-testid="node-heartbeat"]').textContent).toBe('95 s ago');
    expect(two.querySelector('[data-testid="node-state"]').textContent).toBe('Down');
    expect(two.textContent).not.toContain('(this node)');
    expect(three.querySelector('[data-testid="node-heartbeat"]').textContent).toBe('—');
    expect(three.querySelector('[data-testid="node-state"]').textContent).toBe('Stopped');
    expect(root.querySelector('[data-testid="system-nodes"] h2').textContent).toContain('1 of 3 up');
  });

  it('falls back to `healthy` when the server sends no state, and shows nothing without nodes', async () => {
    const old = { node_id: 'box', nodes: [{ node_id: 'box', address: 'http://box:8080', capacity: 16, healthy: true, heartbeat_age_ms: 0, camera_count: 1, cameras: ['cam'] }] };
    await act(() => render(<NodesSection info={old} />, root));
    expect(root.querySelector('[data-testid="node-row"]').dataset.state).toBe('up');
    await act(() => render(<NodesSection info={{ version: '1' }} />, root));
    expect(root.querySelector('[data-testid="system-nodes"]')).toBeNull();
  });

  it('words heartbeat ages', () => {
    expect(heartbeatAge(4200, 'up')).toBe('4.2 s ago');
    expect(heartbeatAge(30000, 'up')).toBe('30 s ago');
    expect(heartbeatAge(600000, 'down')).toBe('10 min ago');
    expect(heartbeatAge(10800000, 'down')).toBe('3 h ago');
    expect(heartbeatAge(5, 'stopped')).toBe('—');
  });
});
