// Events (motion, objects, ONVIF, external trigger): filters <-> URL <-> GET /api/events query, what "play" opens,
// how a server-sent feed message changes a list, and the one EventSource a page opens on /api/events/feed.
import { enc } from './api.js';
import { localToUtcIso } from './recordingsQuery.js';

export const SOURCES = ['motion', 'object', 'onvif', 'external'];
export const FEED_TYPES = ['start', 'update', 'end'];
export const PAGE_SIZE = 25;

export const EVENT_DEFAULTS = Object.freeze({ stream: '', label: '', source: '', from: '', to: '', page: 1 });

const DATETIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2})?)?$/;

export function parseEventFilters(q) {
  const p = typeof q === 'string' ? new URLSearchParams(q) : q;
  const page = parseInt(p.get('page'), 10);
  return {
    stream: p.get('stream') || '',
    label: (p.get('label') || '').trim(),
    source: SOURCES.includes(p.get('source')) ? p.get('source') : '',
    from: DATETIME.test(p.get('from') || '') ? p.get('from') : '',
    to: DATETIME.test(p.get('to') || '') ? p.get('to') : '',
    page: Number.isFinite(page) && page > 0 ? page : 1,
  };
}

export function eventFiltersToQuery(f) {
  const p = new URLSearchParams();
  for (const k of ['stream', 'label', 'source', 'from', 'to']) if (f[k]) p.set(k, f[k]);
  if (f.page > 1) p.set('page', String(f.page));
  return p.toString();
}

/** Filters -> GET /api/events query (times as ISO UTC; a bare "to" date means the end of that day). */
export function eventsApiQuery(f, limit = PAGE_SIZE) {
  const p = new URLSearchParams();
  if (f.stream) p.set('stream', f.stream);
  if (f.source) p.set('source', f.source);
  if (f.label) p.set('label', f.label);
  if (f.from) p.set('start', localToUtcIso(f.from));
  if (f.to) p.set('end', localToUtcIso(f.to, true));
  p.set('page', String(f.page || 1));
  p.set('limit', String(limit));
  return p.toString();
}

/** Seconds the event lasted (or has lasted so far while active). */
export function eventDuration(ev, now = Date.now() / 1000) {
  const end = ev.end_time ?? (ev.active ? now : ev.start_time);
  return Math.max(0, end - ev.start_time);
}

/** Where "play" goes: the recording (with the offset resolved by the player) or the timeline at the event. */
export function playTarget(ev) {
  if (ev.recording_id != null) return { kind: 'recording', id: ev.recording_id };
  return { kind: 'timeline', href: `/timeline?stream=${enc(ev.stream)}&t=${Math.floor(ev.start_time)}` };
}

/** Does a feed event belong in a list filtered by `f`? */
export function matchesFilters(ev, f) {
  if (f.stream && ev.stream !== f.stream) return false;
  if (f.source && ev.source !== f.source) return false;
  if (f.label && !String(ev.label || '').toLowerCase().includes(f.label.toLowerCase())) return false;
  if (f.from && ev.start_time < Date.parse(localToUtcIso(f.from)) / 1000) return false;
  if (f.to && ev.start_time > Date.parse(localToUtcIso(f.to, true)) / 1000) return false;
  return true;
}

/**
 * A feed message applied to the list on screen: `start` puts a matching new event on top of page 1 (the list keeps
 * its length), `update`/`end` replace the event where it is shown. Returns the same array when nothing changed.
 */
export function applyFeed(list, type, ev, f, limit = PAGE_SIZE) {
  const i = list.findIndex((x) => x.id === ev.id);
  if (i >= 0) {
    const next = list.slice();
    next[i] = { ...list[i], ...ev };
    return next;
  }
  if (type === 'start' && (f.page || 1) === 1 && matchesFilters(ev, f)) return [ev, ...list].slice(0, limit);
  return list;
}

/** Active events by id, updated by one feed message (a new Map when something changed). */
export function applyActive(active, type, ev) {
  const on = type !== 'end' && ev.active !== false && ev.end_time == null;
  if (!on && !active.has(ev.id)) return active;
  const next = new Map(active);
  if (on) next.set(ev.id, { ...active.get(ev.id), ...ev }); else next.delete(ev.id);
  return next;
}

/** The newest event label per stream among the active ones (for a tile badge). */
export function activeLabel(events, stream) {
  return events.filter((e) => e.stream === stream).sort((a, b) => b.start_time - a.start_time)[0]?.label || '';
}

/**
 * Opens the server-sent feed (`event: start|update|end`, data = the event JSON) and calls onEvent(type, event).
 * Returns close(). EventSource reconnects by itself after a dropped connection; it gives up when the server answers
 * with an error status, which is what a missing route does.
 */
export function openEventFeed(stream, onEvent, ES = typeof EventSource === 'function' ? EventSource : null) {
  if (!ES) return () => {};
  const es = new ES(`/api/events/feed${stream ? `?stream=${enc(stream)}` : ''}`, { withCredentials: true });
  const handler = (type) => (msg) => {
    let ev;
    try { ev = JSON.parse(msg.data); } catch { return; }
    if (ev && ev.id != null) onEvent(type, ev);
  };
  const hs = FEED_TYPES.map((t) => [t, handler(t)]);
  hs.forEach(([t, h]) => es.addEventListener(t, h));
  return () => { hs.forEach(([t, h]) => es.removeEventListener(t, h)); es.close(); };
}
