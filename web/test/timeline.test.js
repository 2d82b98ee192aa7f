import { describe, it, expect } from 'vitest';
import { dayBounds, dayFromString, dayString, timeToX, xToTime, layoutSegments, segmentAt, nextSegment, mergeIntervals, rulerTicks, normaliseRange } from '../src/lib/timeline.js';

// vite.config.js runs the tests with TZ=Europe/Berlin so DST days are real.
const local = (y, m, d, h = 0, mi = 0, s = 0) => new Date(y, m - 1, d, h, mi, s).getTime() / 1000;
const seg = (id, start, end, extra = {}) => ({ id, start_timestamp: start, end_timestamp: end, ...extra });

describe('day bounds', () => {
  it('runs from local midnight to the next local midnight', () => {
    const t = local(2024, 6, 15, 13, 45);
    expect(dayBounds(t)).toEqual({ start: local(2024, 6, 15), end: local(2024, 6, 16) });
    expect(dayBounds(t).end - dayBounds(t).start).toBe(86400);
  });
  it('is 23 hours on the spring-forward day and 25 on the fall-back day', () => {
    const spring = dayBounds(local(2024, 3, 31, 12));
    const fall = dayBounds(local(2024, 10, 27, 12));
    expect(spring.end - spring.start).toBe(23 * 3600);
    expect(fall.end - fall.start).toBe(25 * 3600);
  });
  it('the last second of a day belongs to it and midnight to the next', () => {
    const d = dayBounds(local(2024, 6, 15));
    expect(dayBounds(d.end - 1)).toEqual(d);
    expect(dayBounds(d.end).start).toBe(d.end);
  });
  it('parses and formats YYYY-MM-DD in local time, falling back to today', () => {
    expect(dayFromString('2024-03-31').start).toBe(local(2024, 3, 31));
    expect(dayString(local(2024, 3, 31, 23, 59))).toBe('2024-03-31');
    const now = local(2025, 1, 2, 10);
    expect(dayFromString('garbage', now)).toEqual(dayBounds(now));
  });
});

describe('time <-> pixel', () => {
  const view = { start: 1000, end: 1000 + 86400 };
  it('maps the ends of the view to 0 and the width', () => {
    expect(timeToX(view.start, view, 864)).toBe(0);
    expect(timeToX(view.end, view, 864)).toBe(864);
    expect(timeToX(view.start + 3600, view, 864)).toBeCloseTo(36);
  });
  it('inverts, and clamps pixels outside the bar', () => {
    for (const t of [1000, 5000, 43200, 87399]) expect(xToTime(timeToX(t, view, 1234), view, 1234)).toBeCloseTo(t, 6);
    expect(xToTime(-50, view, 864)).toBe(view.start);
    expect(xToTime(9999, view, 864)).toBe(view.end);
  });
});

describe('segment layout', () => {
  const view = { start: 0, end: 1000 };
  it('positions segments and clips those crossing the view edges', () => {
    const out = layoutSegments([seg(1, -100, 100), seg(2, 500, 600), seg(3, 950, 1200)], view, 100);
    expect(out.map((o) => [o.seg.id, o.left, o.width])).toEqual([[1, 0, 10], [2, 50, 10], [3, 95, 5]]);
  });
  it('drops segments entirely outside the view and gives tiny ones 1 px', () => {
    const out = layoutSegments([seg(1, -200, -100), seg(2, 1000, 1100), seg(3, 10, 10.5)], view, 100);
    expect(out).toHaveLength(1);
    expect(out[0].seg.id).toBe(3);
    expect(out[0].width).toBe(1);
  });
  it('merges overlapping and touching detection intervals', () => {
    const m = mergeIntervals([seg(0, 50, 60), seg(0, 10, 20), seg(0, 20.5, 30), seg(0, 100, 110)]);
    expect(m).toEqual([{ start_timestamp: 10, end_timestamp: 30 }, { start_timestamp: 50, end_timestamp: 60 }, { start_timestamp: 100, end_timestamp: 110 }]);
  });
});

describe('cursor -> segment + offset', () => {
  const segs = [seg(2, 200, 230), seg(1, 100, 130), seg(3, 230, 260)];
  it('finds the containing segment and the offset into it', () => {
    expect(segmentAt(segs, 115)).toEqual({ seg: segs[1], offset: 15 });
    expect(segmentAt(segs, 100)).toEqual({ seg: segs[1], offset: 0 });
  });
  it('an end time belongs to the next back-to-back segment', () => {
    expect(segmentAt(segs, 230).seg.id).toBe(3);
  });
  it('in a gap, plays the next segment from its start', () => {
    expect(segmentAt(segs, 150)).toEqual({ seg: segs[0], offset: 0 });
    expect(segmentAt(segs, 0)).toEqual({ seg: segs[1], offset: 0 });
  });
  it('after the last segment there is nothing to play', () => {
    expect(segmentAt(segs, 260)).toBeNull();
    expect(segmentAt([], 5)).toBeNull();
  });
  it('auto-advance picks the following segment across gaps, and none after the last', () => {
    expect(nextSegment(segs, segs[1]).id).toBe(2);
    expect(nextSegment(segs, segs[0]).id).toBe(3);
    expect(nextSegment(segs, segs[2])).toBeNull();
  });
});

describe('ruler and range', () => {
  it('chooses hourly-or-coarser ticks for a full day on a phone and 15 min ticks when zoomed', () => {
    const d = dayBounds(local(2024, 6, 15));
    const phone = rulerTicks(d, 360);
    expect(phone.length).toBeLessThanOrEqual(8);
    expect(phone[0].t).toBe(d.start);
    const zoomed = rulerTicks({ start: d.start + 3600 * 10, end: d.start + 3600 * 12 }, 800);
    expect(zoomed[1].t - zoomed[0].t).toBe(900);
    for (const t of zoomed) expect(new Date(t.t * 1000).getMinutes() % 15).toBe(0);
  });
  it('orders and clamps an export range to the day', () => {
    expect(normaliseRange(500, 100, { start: 0, end: 1000 })).toEqual({ start: 100, end: 500 });
    expect(normaliseRange(-5, 2000, { start: 0, end: 1000 })).toEqual({ start: 0, end: 1000 });
  });
});
