import { useEffect, useState } from 'preact/hooks';
import { api, enc } from '../lib/api.js';
import { can, useAuth } from '../lib/auth.js';
import { navigate, useLocation } from '../lib/router.js';
import { fetchStreams } from '../lib/streams.js';
import { parseFilters, filtersToQuery, filtersToApiQuery, updateFilters, CAPTURE_METHODS, PAGE_SIZES } from '../lib/recordingsQuery.js';
import { fmtDateTime, fmtDuration, recStart, recEnd } from '../lib/format.js';
import { Confirm, Empty, ErrorBox, Loading, Modal, toast, useFetch } from '../components/ui.jsx';
import { ProgressBar, jobProgress, useJobPoll } from '../components/BatchJob.jsx';
import { ExportModal } from '../components/ExportModal.jsx';
import { RecordingVideo } from '../components/RecordingVideo.jsx';

// `wide`: only shown from the sm breakpoint; on a phone the start cell carries stream, duration and size.
const COLUMNS = [
  { key: 'stream_name', label: 'Stream', wide: true },
  { key: 'start_time', label: 'Start' },
  { key: 'end_time', label: 'Duration', wide: true },
  { key: 'size_bytes', label: 'Size', wide: true },
];

export function RecordingsPage() {
  const { user } = useAuth();
  const { query } = useLocation();
  const f = parseFilters(query);
  const apiQuery = filtersToApiQuery(f);
  const { data, error, loading, reload } = useFetch(() => api.get(`/api/recordings?${apiQuery}`), [apiQuery]);
  const streams = useFetch(fetchStreams).data || [];
  const tags = useFetch(() => api.get('/api/recordings/tags').then((d) => d?.tags || [], () => [])).data || [];
  const labels = useFetch(() => api.get('/api/recordings/detection-labels').then((d) => d?.labels || [], () => [])).data || [];
  const [selected, setSelected] = useState(new Set());
  const [playing, setPlaying] = useState(null);
  const [confirm, setConfirm] = useState(null);
  const [job, setJob] = useState(null); // {kind, url}
  const [showExport, setShowExport] = useState(false);

  const set = (patch) => navigate(`/recordings${(() => { const q = filtersToQuery(updateFilters(f, patch)); return q ? `?${q}` : ''; })()}`);
  useEffect(() => setSelected(new Set()), [apiQuery]);

  const recs = data?.recordings || [];
  const pag = data?.pagination || { page: 1, pages: 1, total: recs.length, limit: f.limit };
  // Past the last page (e.g. after deleting its last rows): go to the last page that exists.
  useEffect(() => {
    if (data && recs.length === 0 && f.page > 1 && pag.total > 0) set({ page: Math.max(1, pag.pages), view: f.view });
  }, [data]);
  const mayDelete = can(user, 'delete-recordings');
  const mayEdit = can(user, 'edit');

  const toggle = (id) => { const s = new Set(selected); s.has(id) ? s.delete(id) : s.add(id); setSelected(s); };
  const allOnPage = recs.length > 0 && recs.every((r) => selected.has(r.id));
  const toggleAll = () => setSelected(allOnPage ? new Set() : new Set(recs.map((r) => r.id)));

  const protect = async (r, value) => {
    try { await api.put(`/api/recordings/${r.id}/protect`, { protected: value }); toast(value ? 'Protected' : 'Unprotected'); reload(); }
    catch (e) { toast(e.message, 'error'); }
  };
  const del = (r) => setConfirm({
    title: 'Delete recording', message: `Delete the ${r.stream} recording from ${fmtDateTime(recStart(r))}? This cannot be undone.`,
    run: async () => { await api.del(`/api/recordings/${r.id}`); toast('Recording deleted'); reload(); },
  });
  const ids = [...selected];
  const batchDelete = () => setConfirm({
    title: 'Delete recordings', message: `Delete ${ids.length} selected recording(s)? This cannot be undone.`,
    run: async () => { const r = await api.post('/api/recordings/batch-delete', { ids }); setJob({ kind: 'delete', url: `/api/recordings/batch-delete/progress/${enc(r.job_id)}` }); },
  });
  const batchProtect = async (value) => {
    try { const r = await api.post('/api/recordings/batch-protect', { ids, protected: value }); toast(`${r?.success_count ?? ids.length} recording(s) ${value ? 'protected' : 'unprotected'}`); reload(); }
    catch (e) { toast(e.message, 'error'); }
  };
  const batchTag = async (e) => {
    e.preventDefault();
    const form = e.currentTarget;
    const tag = form.tag.value.trim();
    if (!tag) return;
    const remove = e.submitter?.value === 'remove';
    try {
      await api.post('/api/recordings/batch-tags', { ids, add: remove ? [] : [tag], remove: remove ? [tag] : [] });
      toast(`Tag “${tag}” ${remove ? 'removed from' : 'added to'} ${ids.length} recording(s)`);
      form.reset(); reload();
    } catch (err) { toast(err.message, 'error'); }
  };
  const batchDownload = async () => {
    try { const r = await api.post('/api/recordings/batch-download', { ids: ids.slice(0, 200), filename: 'recordings.zip' }); setJob({ kind: 'zip', token: r.token, url: `/api/recordings/batch-download/status/${enc(r.token)}` }); }
    catch (e) { toast(e.message, 'error'); }
  };

  const sortBy = (key) => set({ sort: key, order: f.sort === key && f.order === 'desc' ? 'asc' : 'desc' });
  const arrow = (key) => (f.sort === key ? (f.order === 'asc' ? ' ▲' : ' ▼') : '');

  return (
    <div>
      <div class="mb-3 flex flex-wrap items-center gap-2">
        <h1 class="mr-auto text-lg font-semibold">Recordings</h1>
        <div class="flex" role="group" aria-label="View">
          <button class={`btn btn-sm rounded-r-none ${f.view === 'table' ? 'btn-primary' : ''}`} aria-pressed={f.view === 'table'} onClick={() => set({ view: 'table', page: f.page })} data-testid="view-table">Table</button>
          <button class={`btn btn-sm rounded-l-none ${f.view === 'grid' ? 'btn-primary' : ''}`} aria-pressed={f.view === 'grid'} onClick={() => set({ view: 'grid', page: f.page })} data-testid="view-grid">Thumbnails</button>
        </div>
        <button class="btn btn-sm" onClick={() => setShowExport(true)} data-testid="export-open">Export range…</button>
      </div>

      <details class="card mb-3" open={window.innerWidth >= 768}>
        <summary class="cursor-pointer text-sm font-medium">Filters</summary>
        <div class="mt-3 grid grid-cols-1 gap-3 sm:grid-cols-2 lg:grid-cols-7" data-testid="recordings-filters">
          <div><label class="label" for="f-stream">Stream</label>
            <select id="f-stream" class="input" value={f.stream} onChange={(e) => set({ stream: e.currentTarget.value })} data-testid="filter-stream">
              <option value="">All streams</option>
              {streams.map((s) => <option key={s.name} value={s.name}>{s.name}</option>)}
            </select></div>
          <div><label class="label" for="f-from">From</label>
            <input id="f-from" type="date" class="input" value={f.from} onChange={(e) => set({ from: e.currentTarget.value })} data-testid="filter-from" /></div>
          <div><label class="label" for="f-to">To</label>
            <input id="f-to" type="date" class="input" value={f.to} onChange={(e) => set({ to: e.currentTarget.value })} data-testid="filter-to" /></div>
          <div><label class="label" for="f-prot">Protected</label>
            <select id="f-prot" class="input" value={f.protected} onChange={(e) => set({ protected: e.currentTarget.value })} data-testid="filter-protected">
              <option value="">Any</option><option value="1">Protected</option><option value="0">Not protected</option>
            </select></div>
          <div><label class="label" for="f-det">Detections</label>
            <select id="f-det" class="input" value={f.label ? '1' : f.detection} disabled={!!f.label} onChange={(e) => set({ detection: e.currentTarget.value })} data-testid="filter-detection">
              <option value="">Any</option><option value="1">With detections</option><option value="-1">Without</option>
            </select></div>
          <div><label class="label" for="f-label">Detected object</label>
            <select id="f-label" class="input" value={f.label} onChange={(e) => set({ label: e.currentTarget.value, detection: e.currentTarget.value ? '' : f.detection })} data-testid="filter-label">
              <option value="">Any</option>
              {[...new Set([...labels, ...(f.label ? [f.label] : [])])].map((l) => <option key={l}>{l}</option>)}
            </select></div>
          <div><label class="label" for="f-tag">Tag</label>
            <select id="f-tag" class="input" value={f.tag} onChange={(e) => set({ tag: e.currentTarget.value })} data-testid="filter-tag">
              <option value="">Any</option>
              {tags.map((t) => <option key={t}>{t}</option>)}
            </select></div>
          <fieldset class="sm:col-span-2 lg:col-span-7">
            <legend class="label">Capture method</legend>
            <div class="flex flex-wrap gap-x-4">
              {CAPTURE_METHODS.map((m) => (
                <label key={m} class="flex min-h-10 items-center gap-1.5 text-sm">
                  <input type="checkbox" class="h-4 w-4 accent-blue-600" checked={f.capture.includes(m)} data-testid={`filter-capture-${m}`}
                    onChange={(e) => set({ capture: e.currentTarget.checked ? [...f.capture, m] : f.capture.filter((x) => x !== m) })} />{m}
                </label>
              ))}
              <button class="btn btn-sm ml-auto" onClick={() => navigate('/recordings')} data-testid="filter-reset">Reset filters</button>
            </div>
          </fieldset>
        </div>
      </details>

      {selected.size > 0 && (
        <div class="sticky top-14 z-30 mb-3 flex flex-wrap items-center gap-2 rounded-md bg-blue-50 p-2 text-sm dark:bg-blue-950" data-testid="batch-bar">
          <span class="mr-2">{selected.size} selected</span>
          {mayEdit && <button class="btn btn-sm" onClick={() => batchProtect(true)} data-testid="batch-protect">Protect</button>}
          {mayEdit && <button class="btn btn-sm" onClick={() => batchProtect(false)} data-testid="batch-unprotect">Unprotect</button>}
          <button class="btn btn-sm" onClick={batchDownload} data-testid="batch-download">Download ZIP</button>
          {mayEdit && (
            <form class="flex gap-1" onSubmit={batchTag}>
              <input name="tag" class="input min-h-8 w-28 py-1" placeholder="tag" aria-label="Tag" list="rec-tags" data-testid="batch-tag-input" />
              <datalist id="rec-tags">{tags.map((t) => <option key={t} value={t} />)}</datalist>
              <button class="btn btn-sm" value="add" data-testid="batch-tag-add">Tag</button>
              <button class="btn btn-sm" value="remove" data-testid="batch-tag-remove">Untag</button>
            </form>
          )}
          {mayDelete && <button class="btn btn-sm btn-danger" onClick={batchDelete} data-testid="batch-delete">Delete</button>}
          <button class="btn btn-sm ml-auto" onClick={() => setSelected(new Set())}>Clear</button>
        </div>
      )}

      {loading && !data ? <Loading /> : error ? <ErrorBox error={error} onRetry={reload} /> : recs.length === 0 ? (
        <Empty>No recordings match these filters.</Empty>
      ) : f.view === 'table' ? (
        <div class="overflow-x-auto rounded-lg border border-zinc-200 dark:border-zinc-800">
          <table class="w-full" data-testid="recordings-table">
            <thead class="bg-zinc-100 dark:bg-zinc-900"><tr>
              <th class="th w-10"><input type="checkbox" class="h-4 w-4" aria-label="Select all on page" checked={allOnPage} onChange={toggleAll} data-testid="select-all" /></th>
              {COLUMNS.map((c) => (
                <th key={c.key} class={`th ${c.wide ? 'hidden sm:table-cell' : ''}`} aria-sort={f.sort === c.key ? (f.order === 'asc' ? 'ascending' : 'descending') : undefined}>
                  <button class="uppercase" onClick={() => sortBy(c.key)} data-testid={`sort-${c.key}`}>{c.label}{arrow(c.key)}</button>
                </th>
              ))}
              <th class="th hidden md:table-cell">Type</th><th class="th text-right">Actions</th>
            </tr></thead>
            <tbody class="divide-y divide-zinc-200 dark:divide-zinc-800">
              {recs.map((r) => (
                <tr key={r.id} class="hover:bg-zinc-50 dark:hover:bg-zinc-900/50" data-testid="recording-row" data-id={r.id}>
                  <td class="td"><input type="checkbox" class="h-4 w-4" aria-label={`Select recording ${r.id}`} checked={selected.has(r.id)} onChange={() => toggle(r.id)} /></td>
                  <td class="td hidden font-medium sm:table-cell">{r.stream}</td>
                  <td class="td">
                    <div class="font-medium sm:hidden">{r.stream}</div>
                    <div class="sm:whitespace-nowrap">{fmtDateTime(recStart(r))}</div>
                    <div class="muted text-xs sm:hidden">{fmtDuration(r.duration ?? recEnd(r) - recStart(r))} · {r.size}</div>
                    <div class="md:hidden">{(r.protected || r.has_detection) && <Badges r={r} />}</div>
                  </td>
                  <td class="td hidden sm:table-cell">{fmtDuration(r.duration ?? recEnd(r) - recStart(r))}</td>
                  <td class="td hidden whitespace-nowrap sm:table-cell">{r.size}</td>
                  <td class="td hidden md:table-cell"><Badges r={r} /></td>
                  <td class="td"><RowActions nowrap r={r} onPlay={setPlaying} onProtect={protect} onDelete={del} mayEdit={mayEdit} mayDelete={mayDelete} /></td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <div class="grid grid-cols-1 gap-3 sm:grid-cols-2 lg:grid-cols-3 xl:grid-cols-4" data-testid="recordings-grid">
          {recs.map((r) => (
            <div key={r.id} class="card p-0 overflow-hidden" data-testid="recording-row" data-id={r.id}>
              <button class="relative block aspect-video w-full bg-black" onClick={() => setPlaying(r)} aria-label={`Play recording ${r.id}`}>
                <Thumb id={r.id} />
                <span class="absolute bottom-1 right-1 rounded bg-black/70 px-1 text-xs text-white">{fmtDuration(r.duration)}</span>
              </button>
              <div class="flex items-start gap-2 p-2">
                <input type="checkbox" class="mt-1 h-4 w-4" aria-label={`Select recording ${r.id}`} checked={selected.has(r.id)} onChange={() => toggle(r.id)} />
                <div class="min-w-0 flex-1">
                  <div class="truncate text-sm font-medium">{r.stream}</div>
                  <div class="muted text-xs">{fmtDateTime(recStart(r))} · {r.size}</div>
                  <Badges r={r} />
                </div>
              </div>
              <div class="border-t border-zinc-200 p-2 dark:border-zinc-800"><RowActions r={r} onPlay={setPlaying} onProtect={protect} onDelete={del} mayEdit={mayEdit} mayDelete={mayDelete} /></div>
            </div>
          ))}
        </div>
      )}

      {data && (
        <nav class="mt-3 flex flex-wrap items-center gap-2 text-sm" aria-label="Pagination" data-testid="recordings-pager">
          <span class="muted mr-auto">{pag.total} recording(s)</span>
          <label class="flex items-center gap-1">Per page
            <select class="input w-auto min-h-8 py-1" value={f.limit} onChange={(e) => set({ limit: +e.currentTarget.value })} data-testid="page-size">
              {PAGE_SIZES.map((n) => <option key={n} value={n}>{n}</option>)}
            </select>
          </label>
          <button class="btn btn-sm" disabled={pag.page <= 1} onClick={() => set({ page: pag.page - 1 })} data-testid="page-prev">‹ Prev</button>
          <span data-testid="page-info">Page {pag.page} of {Math.max(1, pag.pages)}</span>
          <button class="btn btn-sm" disabled={pag.page >= pag.pages} onClick={() => set({ page: pag.page + 1 })} data-testid="page-next">Next ›</button>
        </nav>
      )}

      {playing && (
        <Modal title={`${playing.stream} — ${fmtDateTime(recStart(playing))}`} wide onClose={() => setPlaying(null)} testid="player-modal">
          <RecordingVideo recording={playing} />
          <div class="mt-3 flex flex-wrap gap-2">
            <a class="btn btn-sm" href={`/api/recordings/download/${playing.id}`} download data-testid="recording-download">Download</a>
            <a class="btn btn-sm" href={`/timeline?stream=${enc(playing.stream)}&t=${recStart(playing)}`}>Open in timeline</a>
          </div>
        </Modal>
      )}
      {confirm && <Confirm title={confirm.title} message={confirm.message} onConfirm={confirm.run} onClose={() => setConfirm(null)} />}
      {job && <JobModal job={job} onClose={() => { setJob(null); setSelected(new Set()); reload(); }} />}
      {showExport && <ExportModal streams={streams} defaultStream={f.stream} onClose={() => setShowExport(false)} />}
    </div>
  );
}

/** Start frame; on hover cycles start/middle/end when the server has hover frames (thumbnails_per_recording=3). */
function Thumb({ id }) {
  const [bad, setBad] = useState(false);
  const [idx, setIdx] = useState(0);
  const [hover, setHover] = useState(false);
  const [noHoverFrames, setNoHoverFrames] = useState(false);
  useEffect(() => {
    if (!hover || noHoverFrames) { setIdx(0); return undefined; }
    const t = setInterval(() => setIdx((i) => (i + 1) % 3), 700);
    return () => clearInterval(t);
  }, [hover, noHoverFrames]);
  if (bad) return <span class="flex h-full items-center justify-center text-xs text-zinc-400">No thumbnail</span>;
  return (
    <img class="h-full w-full object-cover" loading="lazy" alt="" src={`/api/recordings/thumbnail/${id}/${idx}`}
      onMouseEnter={() => setHover(true)} onMouseLeave={() => setHover(false)}
      onError={() => (idx > 0 ? setNoHoverFrames(true) : setBad(true))} data-testid="recording-thumb" />
  );
}

function Badges({ r }) {
  return (
    <span class="flex flex-wrap gap-1">
      <span class="badge bg-zinc-200 dark:bg-zinc-800">{r.capture_method || 'continuous'}</span>
      {r.protected && <span class="badge bg-amber-200 text-amber-900 dark:bg-amber-900 dark:text-amber-100" data-testid="badge-protected">protected</span>}
      {r.has_detection && <span class="badge bg-purple-200 text-purple-900 dark:bg-purple-900 dark:text-purple-100" title={(r.detection_labels || []).map((l) => `${l.label} ×${l.count}`).join(', ')}>detection</span>}
      {(r.tags || []).map((t) => <span key={t} class="badge bg-blue-100 text-blue-900 dark:bg-blue-950 dark:text-blue-200">#{t}</span>)}
    </span>
  );
}

function RowActions({ r, onPlay, onProtect, onDelete, mayEdit, mayDelete, nowrap = false }) {
  return (
    <div class={`flex justify-end gap-1 ${nowrap ? 'flex-wrap sm:flex-nowrap' : 'flex-wrap'}`}>
      <button class="btn btn-sm" onClick={() => onPlay(r)} data-testid="recording-play">Play</button>
      <a class="btn btn-sm" href={`/api/recordings/download/${r.id}`} download data-testid="recording-download-link">Download</a>
      {mayEdit && <button class="btn btn-sm" onClick={() => onProtect(r, !r.protected)} aria-pressed={!!r.protected} data-testid="recording-protect">{r.protected ? 'Unprotect' : 'Protect'}</button>}
      {mayDelete && <button class="btn btn-sm btn-danger" onClick={() => onDelete(r)} data-testid="recording-delete">Delete</button>}
    </div>
  );
}

function JobModal({ job, onClose }) {
  const { job: j, error } = useJobPoll(job.url);
  const done = j && (j.complete || j.status === 'complete');
  const failed = j?.status === 'error';
  return (
    <Modal title={job.kind === 'zip' ? 'Preparing ZIP' : 'Deleting recordings'} onClose={onClose} testid="job-modal">
      <ErrorBox error={error || (failed && (j.error_message || j.error || 'Job failed'))} />
      <ProgressBar value={jobProgress(j)} label={j ? (j.status_message || `${j.current ?? 0} / ${j.total ?? '?'}`) : 'Starting…'} />
      {done && job.kind === 'delete' && <p class="mt-2 text-sm" role="status">Done: {j.succeeded ?? j.current} deleted{j.failed ? `, ${j.failed} failed` : ''}.</p>}
      {done && job.kind === 'zip' && <a class="btn btn-primary mt-3" href={`/api/recordings/batch-download/result/${enc(job.token)}`} download data-testid="zip-download">Download ZIP</a>}
      <div class="mt-4 flex justify-end"><button class="btn" onClick={onClose}>{done || failed ? 'Close' : 'Hide'}</button></div>
    </Modal>
  );
}
