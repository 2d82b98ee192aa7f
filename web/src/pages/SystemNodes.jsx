import { statusClass } from './Streams.jsx';

/** Heartbeat age in words: "0.8 s ago", "2 min ago"; "—" for a node that stopped (no heartbeat). */
export function heartbeatAge(ms, state) {
  if (state === 'stopped' || ms == null || ms < 0) return '—';
  if (ms < 10000) return `${(ms / 1000).toFixed(1)} s ago`;
  if (ms < 120000) return `${Math.round(ms / 1000)} s ago`;
  if (ms < 7200000) return `${Math.round(ms / 60000)} min ago`;
  return `${Math.round(ms / 3600000)} h ago`;
}

const stateOf = (n) => n.state || (n.healthy ? 'up' : 'down');
const STATE_LABEL = { up: 'Up', down: 'Down', stopped: 'Stopped' };

/**
 * The recorder nodes sharing this database (docs/scale.md), from GET /api/system/info's `nodes`: id, api_url, last
 * heartbeat, cameras held, capacity and load, state. On one box the list is this node alone.
 */
export function NodesSection({ info }) {
  const nodes = info?.nodes || [];
  if (!nodes.length) return null;
  const me = info.node_id;
  return (
    <section class="card" data-testid="system-nodes">
      <h2 class="mb-2 font-semibold">Recorder nodes <span class="muted text-sm font-normal">({nodes.filter((n) => stateOf(n) === 'up').length} of {nodes.length} up)</span></h2>
      <div class="overflow-x-auto">
        <table class="w-full min-w-[720px]">
          <thead><tr>{['Node', 'API URL', 'Last heartbeat', 'Cameras', 'Capacity', 'Load', 'State'].map((c) => <th key={c} class="th">{c}</th>)}</tr></thead>
          <tbody class="divide-y divide-zinc-200 dark:divide-zinc-800">
            {nodes.map((n) => {
              const state = stateOf(n);
              return (
                <tr key={n.node_id} data-testid="node-row" data-node={n.node_id} data-state={state}>
                  <td class="td font-medium">{n.node_id}{n.node_id === me && <span class="muted ml-1 text-xs">(this node)</span>}{n.version && <p class="muted text-xs">{n.version}</p>}</td>
                  <td class="td font-mono text-xs">{n.address}</td>
                  <td class="td" data-testid="node-heartbeat">{heartbeatAge(n.heartbeat_age_ms, state)}</td>
                  <td class="td" data-testid="node-cameras" title={(n.cameras || []).join(', ')}>
                    <b>{n.camera_count ?? (n.cameras || []).length}</b>
                    {(n.cameras || []).length > 0 && <span class="muted ml-1 text-xs">{n.cameras.slice(0, 6).join(', ')}{n.cameras.length > 6 ? ', …' : ''}</span>}
                  </td>
                  <td class="td">{n.capacity}</td>
                  <td class="td">{n.load != null ? `${Math.round(n.load * 100)} %` : '—'}</td>
                  <td class="td"><span class={`badge ${statusClass(state === 'stopped' ? 'disabled' : state)}`} data-testid="node-state">{STATE_LABEL[state] || state}</span></td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </section>
  );
}
