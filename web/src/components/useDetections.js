// Where the overlay's rows come from: GET /api/detection/results/{stream} (Viewer, the stream access check applies).
// Live: polled every detection interval (1–2 s) while the tile plays; boxes hold for two intervals. Playback: 5 s
// windows around the video's current time, fetched once each; boxes follow timeupdate/seeked.
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, enc } from '../lib/api.js';
import { boxesAt, liveHold, livePollMs, windowOf, windowQuery } from '../lib/detectionBoxes.js';

/** Rows to draw on a live tile now; [] when `active` is false. Freshness uses this browser's clock (NTP on both ends). */
export function useLiveDetections(stream, interval, active, now = () => Date.now() / 1000) {
  const [rows, setRows] = useState([]);
  useEffect(() => {
    if (!active) { setRows([]); return undefined; }
    let dead = false;
    const poll = async () => {
      try {
        const r = await api.get(`/api/detection/results/${enc(stream)}`);
        if (!dead) setRows(boxesAt(r?.detections || [], now(), liveHold(interval)));
      } catch {
        if (!dead) setRows([]); // no boxes rather than stale ones; the tile itself reports stream errors
      }
    };
    poll();
    const timer = setInterval(poll, livePollMs(interval));
    return () => { dead = true; clearInterval(timer); };
  }, [stream, interval, active]);
  return rows;
}

/** Rows to draw over a recording of `stream` that starts at unix second `start`, at the video's current time. */
export function usePlaybackDetections(videoRef, stream, start) {
  const cache = useRef(new Map());
  const [t, setT] = useState(start);
  const [, setLoaded] = useState(0);
  useEffect(() => { cache.current = new Map(); setT(start); }, [stream, start]);
  useEffect(() => {
    const v = videoRef.current;
    if (!v) return undefined;
    const tick = () => setT(start + (v.currentTime || 0));
    ['timeupdate', 'seeked', 'loadedmetadata'].forEach((e) => v.addEventListener(e, tick));
    return () => ['timeupdate', 'seeked', 'loadedmetadata'].forEach((e) => v.removeEventListener(e, tick));
  }, [videoRef.current, start]);
  const w = windowOf(t);
  useEffect(() => {
    if (!stream || !Number.isFinite(start) || cache.current.has(w)) return;
    cache.current.set(w, []);
    api.get(windowQuery(stream, w))
      .then((r) => { cache.current.set(w, r?.detections || []); setLoaded((n) => n + 1); })
      .catch(() => cache.current.delete(w));
  }, [stream, start, w]);
  return boxesAt(cache.current.get(w) || [], t);
}
