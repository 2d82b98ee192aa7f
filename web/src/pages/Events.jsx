import { useEffect, useState } from 'preact/hooks';
import { api, enc } from '../lib/api.js';
import { navigate, useLocation } from '../lib/router.js';
import { fetchStreams } from '../lib/streams.js';
import { SOURCES, PAGE_SIZE, parseEventFilters, eventFiltersToQuery, eventsApiQuery, eventDuration, playTarget, applyFeed, openEventFeed } from '../lib/events.js';
import { fmtDateTime, fmtDuration, recStart } from '../lib/format.js';
import { Empty, ErrorBox, Loading, Modal, useFetch } from '../components/ui.jsx';
import { RecordingVideo } from '../components/RecordingVideo.jsx';

const SOURCE_STYLE = {
  motion: 'bg-amber-200 text-amber-900 dark:bg-amber-900 dark:text-amber-100',
  object: 'bg-purple-200 text-purple-900 dark:bg-purple-900 dark:text-purple-100',
  onvif: 'bg-cyan-200 text-cyan-900 dark:bg-cyan-900 dark:text-cyan-100',
  external: 'bg-zinc-200 text-zinc-800 dark:bg-zinc-700 dark:text-zinc-100',
};

/** Ticks once a second while `on`, so durations of running events grow on screen. */
function useNow(on) {
  const [now, setNow] = useState(Date.now() / 1000);
  useEffect(() => {
    if (!on) return undefined;
    const t = setInterval(() => setNow(Date.now() / 1000), 1000);
    return () => clearInterval(t);
  }, [on]);
  return now;
}

export function EventsPage() {
  const { query } = useLocation();
  const f = parseEventFilters(query);
  const apiQuery = eventsApiQuery(f);
  const { data, error, loading, reload } = useFetch(() => api.get(`/api/events?${apiQuery}`).catch((e) => {
    if (e.status === 404) return { missing: true };
    throw e;
  }), [apiQuery]);
  const streams = useFetch(fetchStreams).data || [];
  const labels = useFetch(() => api.get('/api/recordings/detection-labels').then((d) => d?.labels || [], () => [])).data || [];
  const [list, setList] = useState([]);
  const [playing, setPlaying] = useState(null);
  const missing = !!data?.missing;

  useEffect(() => { setList(data?.events || []); }, [data]);
  // Live updates for what is on screen; one EventSource, closed when the filters change or the page goes.
  useEffect(() => {
    if (!data || missing) return undefined;
    return openEventFeed(f.stream, (type, ev) => setList((l) => applyFeed(l, type, ev, f)));
  }, [data, missing, apiQuery]);

  const now = useNow(list.some((e) => e.active));
  const set = (patch) => {
    const next = { ...f, ...patch };
    if (!('page' in patch)) next.page = 1;
    const q = eventFiltersToQuery(next);
    navigate(`/events${q ? `?${q}` : ''}`);
  };
  const page = data?.page || f.page;
  const pages = Math.max(1, data?.pages || 1);

  return (
    <div>
      <div class="mb-3 flex flex-wrap items-center gap-2">
        <h1 class="mr-auto text-lg font-semibold">Events</h1>
        {!missing && data && <span class="muted text-xs" data-testid="events-total">{data.total ?? list.length} event(s)</span>}
      </div>

      {missing ? <Empty><span data-testid="events-unavailable">This server does not record events yet.</span></Empty> : (
        <>
          <details class="card mb-3" open={window.innerWidth >= 768}>
            <summary class="cursor-pointer text-sm font-medium">Filters</summary>
            <div class="mt-3 grid grid-cols-1 gap-3 sm:grid-cols-2 lg:grid-cols-6" data-testid="events-filters">
              <div><label class="label" for="ev-stream">Stream</label>
                <select id="ev-stream" class="input" value={f.stream} onChange={(e) => set({ stream: e.currentTarget.value })} data-testid="events-filter-stream">
                  <option value="">All streams</option>
                  {streams.map((s) => <option key={s.name} value={s.name}>{s.name}</option>)}
                </select></div>
              <div><label class="label" for="ev-label">Label</label>
                <input id="ev-label" class="input" list="ev-labels" value={f.label} placeholder="person, motion…" data-testid="events-filter-label"
                  onChange={(e) => set({ label: e.currentTarget.value.trim() })} />
                <datalist id="ev-labels">{labels.map((l) => <option key={l} value={l} />)}</datalist></div>
              <div><label class="label" for="ev-source">Source</label>
                <select id="ev-source" class="input" value={f.source} onChange={(e) => set({ source: e.currentTarget.value })} data-testid="events-filter-source">
                  <option value="">Any</option>
                  {SOURCES.map((s) => <option key={s} value={s}>{s}</option>)}
                </select></div>
              <div><label class="label" for="ev-from">From</label>
                <input id="ev-from" type="datetime-local" class="input" value={f.from} onChange={(e) => set({ from: e.currentTarget.value })} data-testid="events-filter-from" /></div>
              <div><label class="label" for="ev-to">To</label>
                <input id="ev-to" type="datetime-local" class="input" value={f.to} onChange={(e) => set({ to: e.currentTarget.value })} data-testid="events-filter-to" /></div>
              <div class="flex items-end"><button class="btn w-full" onClick={() => navigate('/events')} data-testid="events-reset">Reset filters</button></div>
            </div>
          </details>

          <ErrorBox error={error} onRetry={reload} />
          {loading && !data ? <Loading /> : !error && list.length === 0 ? <Empty>No events{f.stream || f.label || f.source || f.from || f.to ? ' match these filters' : ' yet'}.</Empty> : (
            <ul class="divide-y divide-zinc-200 rounded-lg border border-zinc-200 bg-white dark:divide-zinc-800 dark:border-zinc-800 dark:bg-zinc-900" data-testid="events-list">
              {list.map((ev) => <EventRow key={ev.id} ev={ev} now={now} onPlay={() => setPlaying(ev)} />)}
            </ul>
          )}

          {pages > 1 && (
            <nav class="mt-3 flex items-center gap-2 text-sm" aria-label="Pagination">
              <button class="btn btn-sm" disabled={page <= 1} onClick={() => set({ page: page - 1 })} data-testid="events-page-prev">‹ Newer</button>
              <span data-testid="events-page-info">Page {page} of {pages}</span>
              <button class="btn btn-sm" disabled={page >= pages} onClick={() => set({ page: page + 1 })} data-testid="events-page-next">Older ›</button>
            </nav>
          )}
        </>
      )}
      {playing && <EventPlayer ev={playing} onClose={() => setPlaying(null)} />}
    </div>
  );
}

function EventRow({ ev, now, onPlay }) {
  const target = playTarget(ev);
  const conf = ev.confidence != null && ev.source === 'object' ? ` ${Math.round(ev.confidence * 100)}%` : ''; // only a model's score means something
  return (
    <li class="flex items-center gap-3 p-2 sm:p-3" data-testid="event-row" data-id={ev.id} data-label={ev.label} data-active={ev.active ? 'true' : 'false'}>
      <div class="aspect-video w-24 shrink-0 overflow-hidden rounded bg-zinc-200 sm:w-32 dark:bg-zinc-800">
        {ev.snapshot ? <img src={ev.snapshot} alt={`${ev.label} on ${ev.stream}`} loading="lazy" class="h-full w-full object-cover" data-testid="event-thumb" />
          : <div class="flex h-full items-center justify-center text-xs text-zinc-500">no picture</div>}
      </div>
      <div class="min-w-0 flex-1 text-sm">
        <div class="flex flex-wrap items-center gap-1.5">
          <span class="font-semibold" data-testid="event-label">{ev.label || ev.source}{conf}</span>
          <span class={`badge ${SOURCE_STYLE[ev.source] || SOURCE_STYLE.external}`} data-testid="event-source">{ev.source}</span>
          {ev.active && <span class="badge animate-pulse bg-red-600 text-white">active</span>}
        </div>
        <div class="muted truncate text-xs">
          <span data-testid="event-stream">{ev.stream}</span>{ev.zone ? ` · zone ${ev.zone}` : ''}
        </div>
        <div class="text-xs text-zinc-600 dark:text-zinc-400">
          <span data-testid="event-time">{fmtDateTime(ev.start_time)}</span> · <span data-testid="event-duration">{fmtDuration(eventDuration(ev, now))}</span>
        </div>
      </div>
      {target.kind === 'recording'
        ? <button class="btn btn-sm btn-primary" onClick={onPlay} aria-label={`Play the recording of event ${ev.id}`} data-testid="event-play">▶ Play</button>
        : <a class="btn btn-sm" href={target.href} aria-label={`Show event ${ev.id} on the timeline`} data-testid="event-play">▶ Timeline</a>}
    </li>
  );
}

/** The event's recording, starting a couple of seconds before the event (media fragment #t=). */
export function EventPlayer({ ev, onClose }) {
  const rec = useFetch(() => api.get(`/api/recordings/${enc(ev.recording_id)}`), [ev.recording_id]);
  const start = rec.data ? recStart(rec.data) : null;
  const offset = start != null && Number.isFinite(start) ? Math.max(0, ev.start_time - start - 2) : 0;
  return (
    <Modal title={`${ev.label || ev.source} · ${ev.stream} · ${fmtDateTime(ev.start_time)}`} wide onClose={onClose} testid="event-player">
      <ErrorBox error={rec.error} />
      {rec.loading ? <Loading /> : (
        <RecordingVideo recording={{ id: ev.recording_id, stream: ev.stream, start_time_unix: start ?? ev.start_time }} offset={offset} testid="event-video" />
      )}
      <p class="mt-2 text-sm"><a class="underline" href={`/timeline?stream=${enc(ev.stream)}&t=${Math.floor(ev.start_time)}`}>Open on the timeline</a></p>
    </Modal>
  );
}
