// Timeline page against scripted /api/streams and /api/timeline/segments (happy-dom has no layout, so the bar is
// measured as 800 px by the page's fallback).
import { describe, it, expect, vi, beforeEach, afterEach } from 'vitest';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { TimelinePage } from '../src/pages/Timeline.jsx';
import { Modal } from '../src/components/ui.jsx';

let root, calls;
const flush = async () => { for (let i = 0; i < 6; i++) await act(() => new Promise((r) => setTimeout(r, 0))); };
const q = (s) => root.querySelector(s);
const qa = (s) => [...root.querySelectorAll(s)];
const local = (h, m = 0) => new Date(2024, 5, 15, h, m).getTime() / 1000; // 15 June 2024, Europe/Berlin
const segs = [
  { id: 11, start_timestamp: local(6), end_timestamp: local(6, 30), duration: 1800, has_detection: false },
  { id: 12, start_timestamp: local(12), end_timestamp: local(12, 30), duration: 1800, has_detection: true },
];

beforeEach(() => {
  calls = [];
  vi.stubGlobal('fetch', vi.fn(async (url) => {
    calls.push(url);
    const body = url.startsWith('/api/streams') ? [{ name: 'cam1' }, { name: 'cam2' }]
      : url.startsWith('/api/timeline/segments') ? { segments: segs, detection_intervals: [{ start_timestamp: local(12, 5), end_timestamp: local(12, 6) }],
        schedule_restricted_spans: [{ start_timestamp: local(0, 0), end_timestamp: local(8, 0) }, { start_timestamp: local(18, 0), end_timestamp: local(23, 59) }] } : {};
    return { status: 200, ok: true, text: async () => JSON.stringify(body) };
  }));
  root = document.createElement('div');
  document.body.appendChild(root);
});
afterEach(() => { render(null, root); root.remove(); vi.unstubAllGlobals(); });

describe('Timeline page', () => {
  it('asks for the local day in UTC and lays the segments out on the day', async () => {
    history.replaceState(null, '', '/timeline?stream=cam1&date=2024-06-15');
    await act(() => render(<TimelinePage />, root));
    await flush();
    const segCall = calls.find((u) => u.startsWith('/api/timeline/segments'));
    expect(Object.fromEntries(new URL(segCall, 'http://x').searchParams)).toEqual({ stream: 'cam1', start: '2024-06-14T22:00:00Z', end: '2024-06-15T22:00:00Z' });
    const bars = qa('[data-testid=timeline-segment]');
    expect(bars.map((b) => b.dataset.id)).toEqual(['11', '12']);
    expect(parseFloat(bars[0].style.left)).toBeCloseTo(200); // 06:00 of 24 h on 800 px
    expect(parseFloat(bars[0].style.width)).toBeCloseTo(800 / 48);
    expect(parseFloat(bars[1].style.left)).toBeCloseTo(400);
    expect(qa('[data-testid=timeline-detection]')).toHaveLength(1);
    expect(qa('[data-testid=timeline-off-schedule]')).toHaveLength(2); // hours the schedule keeps recording off
    expect(parseFloat(q('[data-testid=timeline-cursor]').style.left)).toBeCloseTo(200); // cursor on the first recording
  });

  it('plays from the keyboard and auto-advances to the next segment at the end', async () => {
    history.replaceState(null, '', '/timeline?stream=cam1&date=2024-06-15');
    await act(() => render(<TimelinePage />, root));
    await flush();
    const bar = q('[data-testid=timeline]');
    await act(() => bar.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowRight', bubbles: true })));
    await act(() => bar.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true })));
    await flush();
    const v = q('[data-testid=timeline-video]');
    expect(v.getAttribute('src')).toBe('/api/recordings/play/11');
    expect(bar.getAttribute('aria-valuenow')).toBe(String(local(6) + 30)); // one arrow step = 30 s
    await act(() => v.dispatchEvent(new Event('ended')));
    await flush();
    expect(q('[data-testid=timeline-video]').getAttribute('src')).toBe('/api/recordings/play/12');
  });

  it('a ?t= from the recordings page loads that recording without a date parameter', async () => {
    history.replaceState(null, '', `/timeline?stream=cam1&t=${local(12, 10)}`);
    await act(() => render(<TimelinePage />, root));
    await flush();
    expect(q('[data-testid=timeline-date]').value).toBe('2024-06-15');
    expect(q('[data-testid=timeline-video]').getAttribute('src')).toBe('/api/recordings/play/12');
  });
});

describe('Modal', () => {
  it('closes on Escape and keeps Tab inside the dialog', async () => {
    const onClose = vi.fn();
    await act(() => render(<Modal title="T" onClose={onClose}><input data-testid="a" /><button data-testid="b">B</button></Modal>, root));
    const a = q('[data-testid=a]'), b = q('[data-testid=b]');
    expect(document.activeElement).toBe(a);
    b.focus();
    document.dispatchEvent(new KeyboardEvent('keydown', { key: 'Tab', bubbles: true, cancelable: true }));
    expect(document.activeElement).toBe(q('button[aria-label=Close]'));
    document.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
    expect(onClose).toHaveBeenCalledTimes(1);
  });
});
