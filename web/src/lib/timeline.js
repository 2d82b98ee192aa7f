// Timeline maths for a one-day view: time <-> pixel, day bounds in local time (DST-safe), segment layout,
// cursor -> (segment, offset), next segment for auto-advance, ruler ticks. Times are unix seconds.

/** Local midnight of the day containing `t` and of the next day (23 or 25 hours apart across DST). */
export function dayBounds(t) {
  const d = new Date(t * 1000);
  const start = new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime() / 1000;
  const end = new Date(d.getFullYear(), d.getMonth(), d.getDate() + 1).getTime() / 1000;
  return { start, end };
}

/** "YYYY-MM-DD" (local) -> day bounds; invalid -> today. */
export function dayFromString(s, now = Date.now() / 1000) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s || '');
  if (!m) return dayBounds(now);
  const start = new Date(+m[1], +m[2] - 1, +m[3]).getTime() / 1000;
  return dayBounds(start);
}

export function dayString(t) {
  const d = new Date(t * 1000);
  const p = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

export function timeToX(t, view, width) {
  return ((t - view.start) / (view.end - view.start)) * width;
}

export function xToTime(x, view, width) {
  const cx = Math.min(Math.max(0, x), width);
  return view.start + (cx / width) * (view.end - view.start);
}

/** Segments clipped to the view, as {seg, left, width} in pixels; zero-width ones get a 1 px minimum. */
export function layoutSegments(segments, view, width) {
  const out = [];
  for (const seg of segments) {
    const s = Math.max(seg.start_timestamp, view.start);
    const e = Math.min(seg.end_timestamp, view.end);
    if (e < s || seg.end_timestamp <= view.start || seg.start_timestamp >= view.end) continue;
    const left = timeToX(s, view, width);
    const w = Math.max(1, timeToX(e, view, width) - left);
    out.push({ seg, left, width: w });
  }
  return out;
}

/** Merges overlapping/adjacent intervals (within `gap` seconds) so the bar draws few elements. */
export function mergeIntervals(list, gap = 1) {
  const sorted = [...list].sort((a, b) => a.start_timestamp - b.start_timestamp);
  const out = [];
  for (const it of sorted) {
    const last = out[out.length - 1];
    if (last && it.start_timestamp <= last.end_timestamp + gap) last.end_timestamp = Math.max(last.end_timestamp, it.end_timestamp);
    else out.push({ start_timestamp: it.start_timestamp, end_timestamp: it.end_timestamp });
  }
  return out;
}

/**
 * The segment to play for cursor time `t`: the one containing it (offset = seconds into it), else the next one
 * after it (offset 0), else null. Segments are sorted by start.
 */
export function segmentAt(segments, t) {
  const sorted = [...segments].sort((a, b) => a.start_timestamp - b.start_timestamp);
  for (const seg of sorted) {
    if (t >= seg.start_timestamp && t < seg.end_timestamp) return { seg, offset: t - seg.start_timestamp };
  }
  const next = sorted.find((s) => s.start_timestamp >= t);
  return next ? { seg: next, offset: 0 } : null;
}

/** The segment after `seg` (for auto-advance), or null. */
export function nextSegment(segments, seg) {
  const sorted = [...segments].sort((a, b) => a.start_timestamp - b.start_timestamp);
  return sorted.find((s) => s.start_timestamp >= seg.end_timestamp - 0.5 && s.id !== seg.id) ?? null;
}

/** Ruler ticks: a step that leaves at least `minPx` between labels; returns [{t, x, major}]. */
export function rulerTicks(view, width, minPx = 60) {
  const steps = [300, 900, 1800, 3600, 7200, 10800, 21600];
  const span = view.end - view.start;
  const step = steps.find((s) => (s / span) * width >= minPx) ?? 21600;
  const ticks = [];
  // Align to local wall-clock multiples of the step from local midnight.
  const base = dayBounds(view.start).start;
  for (let t = base; t <= view.end; t += step) {
    if (t < view.start) continue;
    const d = new Date(t * 1000);
    ticks.push({ t, x: timeToX(t, view, width), major: d.getMinutes() === 0 && d.getHours() % 3 === 0 });
  }
  return ticks;
}

/** Clamp the export selection and order it. */
export function normaliseRange(a, b, view) {
  const s = Math.max(view.start, Math.min(a, b));
  const e = Math.min(view.end, Math.max(a, b));
  return { start: s, end: e };
}
