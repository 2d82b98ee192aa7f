import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../lib/api.js';
import { fmtBytes, fmtDuration } from '../lib/format.js';
import { Confirm, ErrorBox, Loading, toast, useFetch } from '../components/ui.jsx';
import { statusClass } from './Streams.jsx';
import { NodesSection } from './SystemNodes.jsx';

const LEVELS = ['error', 'warn', 'info', 'debug'];
const MAX_LOG_LINES = 1000;

function usePoll(fn, ms) {
  const f = useFetch(fn);
  useEffect(() => { const t = setInterval(f.reload, ms); return () => clearInterval(t); }, []);
  return f;
}

function Meter({ used, total, label }) {
  const pct = total ? Math.round((used / total) * 100) : 0;
  return (
    <div>
      <div class="flex justify-between text-sm"><span>{label}</span><span class="muted">{fmtBytes(used)} / {fmtBytes(total)} ({pct}%)</span></div>
      <div class="mt-1 h-2 overflow-hidden rounded bg-zinc-200 dark:bg-zinc-800"><div class={`h-full ${pct > 90 ? 'bg-red-600' : pct > 75 ? 'bg-amber-500' : 'bg-blue-600'}`} style={{ width: `${pct}%` }} /></div>
    </div>
  );
}

/** POST /api/system/backup answers a fresh, checked copy of the database as a file (docs/operations.md): save it. */
export async function downloadBackup() {
  try {
    const r = await fetch('/api/system/backup', { method: 'POST', credentials: 'same-origin' });
    if (!r.ok) throw new Error((await r.json().catch(() => null))?.error || `Backup failed (HTTP ${r.status})`);
    const name = /filename="?([^";]+)"?/.exec(r.headers.get('content-disposition') || '')?.[1] || 'lightnvr-backup.db';
    const a = document.createElement('a');
    a.href = URL.createObjectURL(await r.blob());
    a.download = name;
    a.click();
    setTimeout(() => URL.revokeObjectURL(a.href), 10000);
    toast(`Backup saved as ${name}`);
  } catch (e) { toast(e.message, 'error'); }
}

export function SystemPage() {
  const info = usePoll(() => api.get('/api/system/info'), 5000);
  const health = usePoll(() => api.get('/api/health'), 5000);
  const storage = useFetch(() => api.get('/api/storage/health').catch(() => null));
  const [restart, setRestart] = useState(false);
  const i = info.data;
  const cleanup = async () => {
    try { const r = await api.post('/api/storage/cleanup', { aggressive: false }); toast(r?.message || 'Cleanup triggered'); storage.reload(); }
    catch (e) { toast(e.message, 'error'); }
  };
  const h = health.data;

  return (
    <div class="space-y-4">
      <div class="flex items-center gap-2">
        <h1 class="mr-auto text-lg font-semibold">System</h1>
        <button class="btn" onClick={downloadBackup} data-testid="system-backup">Download database backup</button>
        <button class="btn btn-danger" onClick={() => setRestart(true)} data-testid="system-restart">Restart</button>
      </div>
      {info.error && <ErrorBox error={info.error} onRetry={info.reload} />}
      {!i && info.loading ? <Loading /> : i && (
        <div class="grid grid-cols-2 gap-3 xl:grid-cols-4" data-testid="system-info">
          <div class="card min-w-0"><p class="muted">Version</p><p class="text-lg font-semibold" data-testid="system-version">{i.version}</p>{i.git_commit && <p class="muted truncate font-mono text-xs" title={i.git_commit}>{i.git_commit}</p>}</div>
          <div class="card"><p class="muted">Uptime</p><p class="text-lg font-semibold" data-testid="system-uptime">{fmtDuration(i.uptime)}</p></div>
          <div class="card"><p class="muted">CPU{i.cpu?.cores ? ` (${i.cpu.cores} cores)` : ''}</p><p class="text-lg font-semibold" data-testid="system-cpu">{i.cpu?.usage != null ? `${Number(i.cpu.usage).toFixed(1)} %` : '—'}</p><p class="muted truncate text-xs">{i.cpu?.model}</p></div>
          <div class="card"><p class="muted">Streams</p><p class="text-lg font-semibold">{i.streams ? `${i.streams.active} / ${i.streams.total} active` : '—'}</p><p class="muted text-xs">{i.recordings ? `${i.recordings.count} recordings, ${fmtBytes(i.recordings.size)}` : ''}</p></div>
          <div class="card col-span-2 space-y-3" data-testid="system-memory">
            {i.memory && <Meter label="Process memory" used={i.memory.used} total={i.memory.total} />}
            {i.systemMemory && <Meter label="System memory" used={i.systemMemory.used} total={i.systemMemory.total} />}
          </div>
          <div class="card col-span-2 space-y-3" data-testid="system-disk">
            {i.disk && <Meter label="Recordings disk" used={i.disk.used} total={i.disk.total} />}
            {i.systemDisk && <Meter label="System disk" used={i.systemDisk.used} total={i.systemDisk.total} />}
            {storage.data && (
              <div class="flex flex-wrap items-center gap-2">
                <p class="muted text-xs">Storage pressure: <b>{storage.data.pressure_level}</b>, {Number(storage.data.free_space_pct).toFixed(1)} % free</p>
                <button class="btn btn-sm ml-auto" onClick={cleanup} data-testid="storage-cleanup">Run cleanup</button>
              </div>
            )}
          </div>
        </div>
      )}

      <NodesSection info={i} />

      <section class="card" data-testid="stream-health">
        <h2 class="mb-2 font-semibold">Stream health {h && <span class={`badge ml-2 ${statusClass(h.status === 'healthy' ? 'up' : h.status === 'critical' ? 'down' : 'degraded')}`}>{h.status}</span>}</h2>
        {health.error ? <ErrorBox error={health.error} /> : !h ? <Loading /> : !(h.streams_detail || []).length ? <p class="muted">No streams.</p> : (
          <div class="overflow-x-auto">
            <table class="w-full min-w-[720px]">
              <thead><tr>{['Stream', 'Status', 'FPS', 'Bitrate', 'Uptime', 'Reconnects', 'Frames', 'Dropped', 'Recording'].map((c) => <th key={c} class="th">{c}</th>)}</tr></thead>
              <tbody class="divide-y divide-zinc-200 dark:divide-zinc-800">
                {h.streams_detail.map((s) => (
                  <tr key={s.name} data-testid="health-row" data-stream={s.name}>
                    <td class="td font-medium">{s.name}</td>
                    <td class="td"><span class={`badge ${statusClass(s.status)}`}>{s.status}</span></td>
                    <td class="td">{s.fps != null ? Number(s.fps).toFixed(1) : '—'}</td>
                    <td class="td">{s.bitrate_bps != null ? `${(s.bitrate_bps / 1e6).toFixed(2)} Mb/s` : '—'}</td>
                    <td class="td">{fmtDuration(s.uptime_seconds)}</td>
                    <td class="td">{s.reconnects ?? 0}</td>
                    <td class="td">{s.frames_total ?? '—'}</td>
                    <td class="td" data-testid="health-dropped">{s.frames_dropped ?? 0}</td>
                    <td class="td">{s.recording_active ? '● yes' : 'no'}{s.recording_gaps ? ` (${s.recording_gaps} gaps)` : ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <Logs />
      {restart && <Confirm title="Restart LightNVR" message="Recording and live view stop for a few seconds while the service restarts." confirmLabel="Restart"
        onClose={() => setRestart(false)} onConfirm={async () => { await api.post('/api/system/restart'); toast('Restarting…'); }} />}
    </div>
  );
}

/** Merges newly polled log lines, keeping the last MAX lines. */
export function appendLogs(prev, incoming, max = MAX_LOG_LINES) {
  const all = prev.concat(incoming);
  return all.length > max ? all.slice(all.length - max) : all;
}

function Logs() {
  const [level, setLevel] = useState('info');
  const [lines, setLines] = useState([]);
  const [paused, setPaused] = useState(false);
  const [err, setErr] = useState('');
  const lastTs = useRef('');
  const box = useRef(null);

  useEffect(() => { setLines([]); lastTs.current = ''; }, [level]);
  useEffect(() => {
    if (paused) return undefined;
    let stop = false;
    const tick = async () => {
      try {
        const q = new URLSearchParams({ level, count: '200' });
        if (lastTs.current) q.set('last_ts', lastTs.current);
        const r = await api.get(`/api/system/logs?${q}`);
        if (stop) return;
        const logs = r?.logs || [];
        if (logs.length) {
          lastTs.current = logs[logs.length - 1].timestamp;
          setLines((p) => appendLogs(p, logs));
        }
        setErr('');
      } catch (e) { if (!stop) setErr(e.message); }
    };
    tick();
    const t = setInterval(tick, 2000);
    return () => { stop = true; clearInterval(t); };
  }, [level, paused]);
  useEffect(() => { const b = box.current; if (b && b.scrollHeight - b.scrollTop - b.clientHeight < 80) b.scrollTop = b.scrollHeight; }, [lines]);

  const color = (l) => (/ERR/i.test(l) ? 'text-red-400' : /WARN/i.test(l) ? 'text-amber-300' : /DEBUG/i.test(l) ? 'text-zinc-500' : 'text-zinc-200');
  return (
    <section class="card" data-testid="system-logs">
      <div class="mb-2 flex flex-wrap items-center gap-2">
        <h2 class="mr-auto font-semibold">Logs</h2>
        <select class="input w-auto min-h-8 py-1" value={level} onChange={(e) => setLevel(e.currentTarget.value)} aria-label="Minimum level" data-testid="log-level">
          {LEVELS.map((l) => <option key={l} value={l}>{l}</option>)}
        </select>
        <button class="btn btn-sm" onClick={() => setPaused(!paused)} aria-pressed={paused}>{paused ? 'Resume' : 'Pause'}</button>
        <button class="btn btn-sm" onClick={() => setLines([])}>Clear view</button>
      </div>
      <ErrorBox error={err} />
      <div ref={box} class="h-80 overflow-auto rounded bg-zinc-950 p-2 font-mono text-xs leading-5" role="log" aria-live="off" data-testid="log-lines">
        {lines.length === 0 ? <p class="text-zinc-500">No log lines yet.</p> : lines.map((l, n) => (
          <div key={n} class={`whitespace-pre-wrap break-all ${color(l.level)}`}><span class="text-zinc-500">{l.timestamp}</span> <b>{l.level}</b> {l.message}</div>
        ))}
      </div>
    </section>
  );
}
