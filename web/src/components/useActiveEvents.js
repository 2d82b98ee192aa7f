// Events active right now, for the whole page: one GET /api/events for the events already running, then one
// EventSource on /api/events/feed for every tile (closed on unmount). When the server has no events API (404), or
// anything else fails, the map stays empty and no feed is opened.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../lib/api.js';
import { applyActive, openEventFeed } from '../lib/events.js';

const LOOKBACK_S = 86400; // an event still active after a day is shown once the feed reports it
const SEED_LIMIT = 100; // more simultaneous events than this on one NVR are not expected

export function useActiveEvents() {
  const [active, setActive] = useState(() => new Map());
  useEffect(() => {
    let dead = false;
    let close = () => {};
    const since = new Date(Date.now() - LOOKBACK_S * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    api.get(`/api/events?start=${encodeURIComponent(since)}&limit=${SEED_LIMIT}`, { noRedirect: true }).then((d) => {
      if (dead) return;
      const seed = (d?.events || []).filter((e) => e.active && e.end_time == null);
      setActive(seed.reduce((m, e) => applyActive(m, 'start', e), new Map()));
      close = openEventFeed('', (type, ev) => setActive((m) => applyActive(m, type, ev)));
    }, () => {});
    return () => { dead = true; close(); };
  }, []);
  return active;
}
