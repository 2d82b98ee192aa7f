import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { api, enc } from '../lib/api.js';
import { navigate, useLocation } from '../lib/router.js';
import { fetchStreams } from '../lib/streams.js';
import { dayFromString, dayString, layoutSegments, mergeIntervals, rulerTicks, segmentAt, nextSegment, timeToX, xToTime, normaliseRange } from '../lib/timeline.js';
import { fmtTime, fmtHM } from '../lib/format.js';
import { Empty, ErrorBox, Loading, useFetch } from '../components/ui.jsx';
import { exportUrl } from '../components/ExportModal.jsx';

const SPEEDS = [0.5, 1, 2, 4, 8];
const EVENT_LEAD_S = 2; // a click on an event mark starts playback this much before the event, to see it begin
const MAX_DAY_EVENTS = 500; // marks drawn per day; more would be a solid band on a phone-width bar anyway
const MARK_STYLE = { motion: 'bg-amber-500', object: 'bg-purple-600', onvif: 'bg-cyan-600', external: 'bg-zinc-600' };
const ZOOMS = [1, 2, 4, 8, 24];
const iso = (t) => new Date(t * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** Width of the element behind `ref`; `ready` flips when it is mounted (the bar appears after streams load). */
function useWidth(ref, ready) {
  const [w, setW] = useState(800);
  useEffect(() => {
    const el = ref.current;
    if (!el) return undefined;
    const measure = () => setW(el.clientWidth || 800);
    measure();
    const ro = typeof ResizeObserver === 'function' ? new ResizeObserver(measure) : null;
    ro?.observe(el);
    window.addEventListener('resize', measure);
    return () => { ro?.disconnect(); window.removeEventListener('resize', measure); };
  }, [ready]);
  return w;
}

export function TimelinePage() {
  const { query } = useLocation();
  const streamsF = useFetch(fetchStreams);
  const streams = streamsF.data || [];
  const stream = query.get('stream') || streams[0]?.name || '';
  const tParam = Number(query.get('t')) || 0;
  const dateStr = query.get('date') || (tParam ? dayString(tParam) : dayString(Date.now() / 1000));
  const day = useMemo(() => dayFromString(dateStr), [dateStr]);
  const setQ = (patch) => {
    const p = new URLSearchParams({ stream, date: dateStr, ...patch });
    if (!p.get('t')) p.delete('t');
    navigate(`/timeline?${p}`, { replace: true });
  };

  const { data, error, loading, reload } = useFetch(
    () => (stream ? api.get(`/api/timeline/segments?stream=${enc(stream)}&start=${enc(iso(day.start))}&end=${enc(iso(day.end))}`) : Promise.resolve(null)),
    [stream, day.start],
  );
  const segments = useMemo(() => (data?.segments || []).filter((s) => s.end_timestamp > s.start_timestamp || s.duration > 0)
    .map((s) => ({ ...s, end_timestamp: Math.max(s.end_timestamp, s.start_timestamp + (s.duration || 0)) }))
    .sort((a, b) => a.start_timestamp - b.start_timestamp), [data]);
  const detections = useMemo(() => mergeIntervals(data?.detection_intervals || []), [data]);
  // Hours the weekly schedule keeps continuous recording off: hatched, so a gap there reads as "by schedule".
  const offSchedule = useMemo(() => (data?.schedule_restricted_spans || []).map((s, i) => ({ ...s, id: `s${i}` })), [data]);
  // Events of the day (GET /api/events); a server without the events API (404) just shows no marks.
  const eventsF = useFetch(
    () => (stream ? api.get(`/api/events?stream=${enc(stream)}&start=${enc(iso(day.start))}&end=${enc(iso(day.end))}&limit=${MAX_DAY_EVENTS}`).then((d) => d?.events || [], () => []) : Promise.resolve([])),
    [stream, day.start],
  );
  const events = eventsF.data || [];

  const [zoom, setZoom] = useState(1);
  const [cursor, setCursor] = useState(tParam || day.start);
  const [speed, setSpeed] = useState(1);
  const [auto, setAuto] = useState(true);
  const [current, setCurrent] = useState(null); // {seg, offset}
  const [range, setRange] = useState({ a: null, b: null });
  const videoRef = useRef(null);
  const barRef = useRef(null);
  const width = useWidth(barRef, !!stream && !!streamsF.data);
  const dragging = useRef(false);

  useEffect(() => { setCursor(tParam && tParam >= day.start && tParam < day.end ? tParam : day.start); setCurrent(null); setRange({ a: null, b: null }); }, [stream, day.start]);
  // When segments arrive and the cursor points at a recording (e.g. ?t= from the recordings page), load it.
  // Otherwise put the cursor on the day's first recording so "Play" does something useful.
  useEffect(() => {
    if (!segments.length) return;
    if (tParam) play(tParam, false);
    else setCursor(segments[0].start_timestamp);
  }, [segments]);

  // The view centres on the cursor when zoomed, but stays put while the user drags (else it would slide away).
  const [dragView, setDragView] = useState(null);
  const span = (day.end - day.start) / zoom;
  const viewStart = Math.min(Math.max(day.start, cursor - span / 2), day.end - span);
  const view = dragView || { start: viewStart, end: viewStart + span };

  function play(t, autoplay = true) {
    const hit = segmentAt(segments, t);
    if (!hit) { setCurrent(null); return; }
    setCursor(hit.seg.start_timestamp + hit.offset);
    if (current && current.seg.id === hit.seg.id && videoRef.current) {
      videoRef.current.currentTime = hit.offset;
      if (autoplay) videoRef.current.play().catch(() => {});
    } else setCurrent({ ...hit, autoplay });
  }

  const onLoaded = () => {
    const v = videoRef.current;
    if (!v || !current) return;
    v.playbackRate = speed;
    if (current.offset > 0) v.currentTime = current.offset;
    if (current.autoplay !== false) v.play().catch(() => {});
  };
  const onTime = () => { if (!dragging.current && current && videoRef.current) setCursor(current.seg.start_timestamp + videoRef.current.currentTime); };
  const onEnded = () => {
    if (!auto || !current) return;
    const n = nextSegment(segments, current.seg);
    if (n) setCurrent({ seg: n, offset: 0, autoplay: true });
  };
  useEffect(() => { if (videoRef.current) videoRef.current.playbackRate = speed; }, [speed]);

  const xFromEvent = (e) => e.clientX - barRef.current.getBoundingClientRect().left;
  const onPointerDown = (e) => {
    dragging.current = true;
    setDragView(view);
    barRef.current.setPointerCapture?.(e.pointerId);
    setCursor(xToTime(xFromEvent(e), view, width));
  };
  const onPointerMove = (e) => { if (dragging.current) setCursor(xToTime(xFromEvent(e), view, width)); };
  const onPointerUp = (e) => {
    if (!dragging.current) return;
    dragging.current = false;
    setDragView(null);
    play(xToTime(xFromEvent(e), view, width));
  };
  const onKey = (e) => {
    const step = e.shiftKey ? 600 : 30;
    if (e.key === 'ArrowLeft') { e.preventDefault(); setCursor((c) => Math.max(day.start, c - step)); }
    else if (e.key === 'ArrowRight') { e.preventDefault(); setCursor((c) => Math.min(day.end, c + step)); }
    else if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); play(cursor); }
  };

  const shiftDay = (n) => { const d = new Date(day.start * 1000); d.setDate(d.getDate() + n); setQ({ date: dayString(d.getTime() / 1000), t: '' }); };
  const sel = range.a != null && range.b != null ? normaliseRange(range.a, range.b, day) : null;
  const laid = layoutSegments(segments, view, width);
  const ticks = rulerTicks(view, width);

  return (
    <div>
      <div class="mb-3 flex flex-wrap items-center gap-2">
        <h1 class="mr-2 text-lg font-semibold">Timeline</h1>
        <select class="input w-auto" value={stream} aria-label="Stream" onChange={(e) => setQ({ stream: e.currentTarget.value, t: '' })} data-testid="timeline-stream">
          {streams.map((s) => <option key={s.name} value={s.name}>{s.name}</option>)}
        </select>
        <div class="flex items-center gap-1">
          <button class="btn btn-sm" onClick={() => shiftDay(-1)} aria-label="Previous day" data-testid="timeline-prev-day">‹</button>
          <input type="date" class="input w-auto" value={dateStr} aria-label="Day" onChange={(e) => e.currentTarget.value && setQ({ date: e.currentTarget.value, t: '' })} data-testid="timeline-date" />
          <button class="btn btn-sm" onClick={() => shiftDay(1)} aria-label="Next day" data-testid="timeline-next-day">›</button>
          <button class="btn btn-sm" onClick={() => setQ({ date: dayString(Date.now() / 1000), t: '' })}>Today</button>
        </div>
        <label class="flex items-center gap-1 text-sm">Zoom
          <select class="input w-auto min-h-8 py-1" value={zoom} onChange={(e) => setZoom(+e.currentTarget.value)} data-testid="timeline-zoom">
            {ZOOMS.map((z) => <option key={z} value={z}>{z === 1 ? '24 h' : `${Math.round(24 / z * 10) / 10} h`}</option>)}
          </select>
        </label>
      </div>

      {streamsF.loading && !streamsF.data ? <Loading /> : !stream ? <Empty>No streams yet. <a class="underline" href="/streams">Add a stream</a>.</Empty> : (
        <>
          <div class="card mb-3 p-2 sm:p-3">
            <div class="relative h-5 select-none text-[10px] text-zinc-500" aria-hidden="true">
              {ticks.filter((t) => t.x > 24 && t.x < width - 24).map((t) => (
                <span key={t.t} class="absolute -translate-x-1/2 whitespace-nowrap" style={{ left: `${t.x}px` }}>{fmtHM(t.t)}</span>
              ))}
            </div>
            <div ref={barRef} class="relative h-16 cursor-pointer touch-none select-none rounded bg-zinc-100 dark:bg-zinc-800"
              tabIndex={0} role="slider" aria-label="Timeline cursor" aria-valuemin={day.start} aria-valuemax={day.end} aria-valuenow={Math.round(cursor)} aria-valuetext={fmtTime(cursor)}
              onPointerDown={onPointerDown} onPointerMove={onPointerMove} onPointerUp={onPointerUp} onPointerCancel={() => { dragging.current = false; setDragView(null); }} onKeyDown={onKey}
              data-testid="timeline" data-view-start={view.start} data-view-end={view.end}>
              {layoutSegments(offSchedule, view, width).map(({ seg, left, width: w }) => (
                <div key={seg.id} class="absolute top-0 h-full bg-zinc-400/30 dark:bg-zinc-500/30" title="Outside the recording schedule"
                  style={{ left: `${left}px`, width: `${w}px`, backgroundImage: 'repeating-linear-gradient(45deg, transparent 0 4px, rgba(0,0,0,.12) 4px 6px)' }}
                  data-testid="timeline-off-schedule" />
              ))}
              {ticks.map((t) => <div key={t.t} class={`absolute top-0 h-full w-px ${t.major ? 'bg-zinc-300 dark:bg-zinc-600' : 'bg-zinc-200 dark:bg-zinc-700'}`} style={{ left: `${t.x}px` }} />)}
              {sel && <div class="absolute top-0 h-full bg-blue-400/25" style={{ left: `${timeToX(sel.start, view, width)}px`, width: `${Math.max(1, timeToX(sel.end, view, width) - timeToX(sel.start, view, width))}px` }} data-testid="timeline-selection" />}
              {laid.map(({ seg, left, width: w }) => (
                <div key={seg.id} class={`absolute top-3 h-7 rounded-sm ${current?.seg.id === seg.id ? 'bg-blue-600' : seg.has_detection ? 'bg-purple-500' : 'bg-green-600'}`}
                  style={{ left: `${left}px`, width: `${w}px` }} title={`${fmtTime(seg.start_timestamp)} – ${fmtTime(seg.end_timestamp)}`} data-testid="timeline-segment" data-id={seg.id} />
              ))}
              {layoutSegments(detections.map((d, i) => ({ ...d, id: i })), view, width).map(({ seg, left, width: w }) => (
                <div key={`d${seg.id}`} class="absolute bottom-1.5 h-2 rounded-sm bg-red-500" style={{ left: `${left}px`, width: `${w}px` }} data-testid="timeline-detection" />
              ))}
              {events.filter((ev) => ev.start_time >= view.start && ev.start_time < view.end).map((ev) => (
                <button key={`e${ev.id}`} type="button" class="absolute top-0 flex h-3 w-6 -translate-x-1/2 justify-center"
                  style={{ left: `${timeToX(ev.start_time, view, width)}px` }} onPointerDown={(e) => e.stopPropagation()}
                  onClick={(e) => { e.stopPropagation(); play(ev.start_time - EVENT_LEAD_S); }}
                  title={`${ev.label || ev.source} · ${fmtTime(ev.start_time)}`} aria-label={`Play event ${ev.label || ev.source} at ${fmtTime(ev.start_time)}`}
                  data-testid="timeline-event" data-id={ev.id}>
                  <span class={`block h-full w-1 rounded-sm ${MARK_STYLE[ev.source] || MARK_STYLE.external}`} />
                </button>
              ))}
              <div class="pointer-events-none absolute top-0 h-full w-0.5 bg-red-600" style={{ left: `${timeToX(cursor, view, width)}px` }} data-testid="timeline-cursor">
                <span class="absolute -top-0.5 left-1 whitespace-nowrap rounded bg-red-600 px-1 text-[10px] text-white">{fmtTime(cursor)}</span>
              </div>
            </div>
            <div class="mt-2 flex flex-wrap items-center gap-3 text-xs text-zinc-500">
              <span><span class="mr-1 inline-block h-2 w-3 bg-green-600" />recording</span>
              <span><span class="mr-1 inline-block h-2 w-3 bg-purple-500" />with detection</span>
              <span><span class="mr-1 inline-block h-2 w-3 bg-red-500" />detection</span>
              {events.length > 0 && <span data-testid="timeline-event-count"><span class="mr-1 inline-block h-2 w-1 bg-amber-500" />{events.length} event(s), click to play</span>}
              <span class="ml-auto">{loading ? 'Loading…' : `${segments.length} segment(s)`}</span>
            </div>
          </div>
          <ErrorBox error={error} onRetry={reload} />
          {!loading && !error && segments.length === 0 && <Empty>No recordings for {stream} on {dateStr}.</Empty>}

          <div class="grid gap-3 lg:grid-cols-[1fr_18rem]">
            <div class="overflow-hidden rounded-lg bg-black">
              {current ? (
                <video ref={videoRef} key={current.seg.id} class="aspect-video w-full" src={`/api/recordings/play/${current.seg.id}`} controls playsInline
                  onLoadedMetadata={onLoaded} onTimeUpdate={onTime} onEnded={onEnded} data-testid="timeline-video" />
              ) : (
                <div class="flex aspect-video items-center justify-center text-sm text-zinc-400">Click or drag on the timeline to play</div>
              )}
            </div>
            <div class="card space-y-3">
              <div class="flex flex-wrap gap-2">
                <button class="btn btn-primary btn-sm" onClick={() => play(cursor)} data-testid="timeline-play">▶ Play at cursor</button>
                <button class="btn btn-sm" disabled={!current} onClick={() => { const n = current && nextSegment(segments, current.seg); if (n) setCurrent({ seg: n, offset: 0, autoplay: true }); }} data-testid="timeline-next">Next segment</button>
              </div>
              <label class="flex items-center gap-2 text-sm">Speed
                <select class="input w-auto min-h-8 py-1" value={speed} onChange={(e) => setSpeed(+e.currentTarget.value)} data-testid="timeline-speed">
                  {SPEEDS.map((s) => <option key={s} value={s}>{s}×</option>)}
                </select>
              </label>
              <label class="flex items-center gap-2 text-sm"><input type="checkbox" class="h-4 w-4" checked={auto} onChange={(e) => setAuto(e.currentTarget.checked)} data-testid="timeline-autoadvance" />Auto-advance to next segment</label>
              <div class="border-t border-zinc-200 pt-3 dark:border-zinc-800">
                <p class="label">Export range</p>
                <div class="flex flex-wrap gap-2">
                  <button class="btn btn-sm" onClick={() => setRange((r) => ({ ...r, a: cursor }))} data-testid="range-start">Mark start</button>
                  <button class="btn btn-sm" onClick={() => setRange((r) => ({ ...r, b: cursor }))} data-testid="range-end">Mark end</button>
                  {(range.a != null || range.b != null) && <button class="btn btn-sm" onClick={() => setRange({ a: null, b: null })}>Clear</button>}
                </div>
                <p class="muted mt-1 text-xs" data-testid="range-label">{sel ? `${fmtTime(sel.start)} – ${fmtTime(sel.end)}` : 'Move the cursor and mark a start and an end.'}</p>
                {sel && sel.end > sel.start && <a class="btn btn-primary btn-sm mt-2" href={exportUrl(stream, Math.floor(sel.start), Math.ceil(sel.end))} download data-testid="timeline-export">Download MP4</a>}
              </div>
            </div>
          </div>
        </>
      )}
    </div>
  );
}
