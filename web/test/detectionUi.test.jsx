// Detection UI against scripted servers: the zone editor (pointer drawing, dragging, validation, the server's 400),
// the events page (list, filters, SSE updates, play), event marks on the timeline and the live-tile badge.
import { describe, it, expect, vi, beforeEach, afterEach } from 'vitest';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { ZoneEditor } from '../src/components/ZoneEditor.jsx';
import { StreamForm } from '../src/components/StreamForm.jsx';
import { EventsPage } from '../src/pages/Events.jsx';
import { TimelinePage } from '../src/pages/Timeline.jsx';
import { LivePage } from '../src/pages/Live.jsx';
import { FakeEventSource } from './fakeEventSource.js';

let root;
const flush = async () => { for (let i = 0; i < 6; i++) await act(() => new Promise((r) => setTimeout(r, 0))); };
const q = (s) => root.querySelector(s);
const qa = (s) => [...root.querySelectorAll(s)];
const type = (el, v) => act(() => { el.value = v; el.dispatchEvent(new Event('input', { bubbles: true })); });
const change = (el, v) => act(() => { el.value = v; el.dispatchEvent(new Event('change', { bubbles: true })); });

/** fetch double: "METHOD /path-prefix" -> (url, body) => [status, json]; records calls. */
function server(routes) {
  const calls = [];
  vi.stubGlobal('fetch', vi.fn(async (url, init = {}) => {
    const method = init.method || 'GET';
    const body = init.body ? JSON.parse(init.body) : undefined;
    calls.push({ method, url, body });
    const key = Object.keys(routes).sort((a, b) => b.length - a.length).find((k) => { const [m, p] = k.split(' '); return m === method && url.startsWith(p); });
    const [status, json] = key ? routes[key](url, body) : [404, { error: 'Not Found' }];
    return { status, ok: status < 300, text: async () => JSON.stringify(json) };
  }));
  return calls;
}

const pointer = (el, kind, x, y, id = 1) => act(() => {
  el.dispatchEvent(new PointerEvent(kind, { clientX: x, clientY: y, pointerId: id, button: 0, bubbles: true, cancelable: true }));
});

beforeEach(() => {
  FakeEventSource.reset();
  vi.stubGlobal('EventSource', FakeEventSource);
  root = document.createElement('div');
  document.body.appendChild(root);
});
afterEach(() => { render(null, root); root.remove(); vi.unstubAllGlobals(); });

describe('Zone editor', () => {
  const mount = async () => {
    await act(() => render(<ZoneEditor stream="cam1" />, root));
    await flush();
    // happy-dom has no layout: the picture is 200×100 px at the origin.
    const canvas = q('[data-testid=zone-canvas]');
    canvas.getBoundingClientRect = () => ({ left: 0, top: 0, width: 200, height: 100, right: 200, bottom: 100 });
    return canvas;
  };

  it('draws a triangle with taps, closes it on the first point, drags a point and saves all zones with POST', async () => {
    const calls = server({
      'GET /api/streams/cam1/zones': () => [200, { zones: [] }],
      'POST /api/streams/cam1/zones': () => [200, { success: true, message: 'Zones saved successfully', count: 1 }],
    });
    const canvas = await mount();
    expect(q('[data-testid=zone-snapshot]').getAttribute('src')).toMatch(/^\/go2rtc\/api\/frame\.jpeg\?src=cam1&t=\d+$/);
    await act(() => q('[data-testid=zone-add]').click());
    await pointer(canvas, 'pointerdown', 20, 10);
    await pointer(canvas, 'pointerdown', 180, 10);
    await pointer(canvas, 'pointerdown', 181, 10); // a double tap: still one point
    await pointer(canvas, 'pointerdown', 100, 80);
    expect(qa('[data-testid=zone-point]')).toHaveLength(3);
    await pointer(qa('[data-testid=zone-point]')[0], 'pointerdown', 20, 10); // tap the first point: closed
    expect(q('[data-testid=zone-redraw]')).not.toBeNull();
    expect(q('polygon[data-testid=zone-shape]').getAttribute('points')).toBe('0.1,0.1 0.9,0.1 0.5,0.8');

    const p2 = qa('[data-testid=zone-point]')[2];
    await pointer(p2, 'pointerdown', 100, 80, 7);
    await pointer(p2, 'pointermove', 120, 90, 7);
    await pointer(p2, 'pointerup', 120, 90, 7);
    await pointer(p2, 'pointermove', 10, 10, 7); // after release: no effect
    await type(q('[data-testid=zone-name]'), 'Driveway');
    await act(() => q('[data-testid=zone-enabled]').click());
    await type(q('[data-testid=zone-classes]'), 'person, car');
    await type(q('[data-testid=zone-confidence]'), '0.6');
    await act(() => q('[data-testid=zone-save]').click());
    await flush();
    const post = calls.find((c) => c.method === 'POST');
    expect(post.body).toEqual({ zones: [{ id: 'z1', stream_name: 'cam1', name: 'Driveway', enabled: false, color: '#3b82f6',
      polygon: [{ x: 0.1, y: 0.1 }, { x: 0.9, y: 0.1 }, { x: 0.6, y: 0.9 }], filter_classes: 'person,car', min_confidence: 0.6 }] });
    expect(q('[data-testid=zone-editor]').dataset.dirty).toBe('false');
  });

  it('loads saved zones, refuses a crossed outline without asking the server, deletes points and zones', async () => {
    const calls = server({
      'GET /api/streams/cam1/zones': () => [200, { zones: [{ id: 'a', stream_name: 'cam1', name: 'Yard', enabled: true, color: '#ef4444',
        polygon: [{ x: 0.1, y: 0.1 }, { x: 0.9, y: 0.1 }, { x: 0.9, y: 0.9 }, { x: 0.1, y: 0.9 }], filter_classes: '', min_confidence: 0 }] }],
      'DELETE /api/streams/cam1/zones': () => [200, { success: true }],
    });
    const canvas = await mount();
    expect(qa('[data-testid=zone-item]').map((b) => b.textContent)).toEqual(['Yard']);
    await pointer(canvas, 'pointerdown', 100, 50); // inside the zone: selects it
    expect(qa('[data-testid=zone-point]')).toHaveLength(4);
    // Drag corner 2 across to make a bow tie.
    const pt = qa('[data-testid=zone-point]')[2];
    await pointer(pt, 'pointerdown', 180, 90);
    await pointer(pt, 'pointermove', 20, 5);
    await pointer(pt, 'pointerup', 20, 5);
    await act(() => q('[data-testid=zone-save]').click());
    expect(q('[data-testid=zone-errors]').textContent).toContain('Yard: The outline crosses itself');
    expect(calls.filter((c) => c.method !== 'GET')).toEqual([]);
    // Delete that point: a triangle again, valid.
    await act(() => q('[data-testid=zone-point-delete]').click());
    expect(qa('[data-testid=zone-point]')).toHaveLength(3);
    await act(() => q('[data-testid=zone-delete]').click());
    expect(qa('[data-testid=zone-item]')).toHaveLength(0);
    await act(() => q('[data-testid=zone-save]').click());
    await flush();
    expect(calls.at(-1)).toMatchObject({ method: 'DELETE', url: '/api/streams/cam1/zones' });
  });

  it("shows the server's 400 message", async () => {
    server({
      'GET /api/streams/cam1/zones': () => [200, { zones: [] }],
      'POST /api/streams/cam1/zones': () => [400, { error: 'Zone z1: polygon is self-intersecting' }],
    });
    const canvas = await mount();
    await act(() => q('[data-testid=zone-add]').click());
    for (const [x, y] of [[20, 10], [180, 10], [100, 80]]) await pointer(canvas, 'pointerdown', x, y);
    await act(() => q('[data-testid=zone-close]').click());
    await act(() => q('[data-testid=zone-save]').click());
    await flush();
    expect(q('[data-testid=zone-save-error]').textContent).toContain('Zone z1: polygon is self-intersecting');
  });

  it('in the stream form: the drawing survives switching tabs, and the form\'s Save saves the stream and then the zones', async () => {
    const calls = server({
      'GET /api/streams/cam1/zones': () => [200, { zones: [] }],
      'POST /api/streams/cam1/zones': () => [400, { error: 'Too many zones' }],
      'PUT /api/streams/cam1': () => [200, { success: true }],
    });
    const onSaved = vi.fn();
    await act(() => render(<StreamForm stream={{ name: 'cam1', url: 'rtsp://cam/1', enabled: true }} onClose={() => {}} onSaved={onSaved} />, root));
    expect(q('[data-testid=zone-editor]')).toBeNull(); // not loaded until its tab opens
    await act(() => q('[data-testid=stream-tab-detection]').click());
    await flush();
    const canvas = q('[data-testid=zone-canvas]');
    canvas.getBoundingClientRect = () => ({ left: 0, top: 0, width: 200, height: 100, right: 200, bottom: 100 });
    await act(() => q('[data-testid=zone-add]').click());
    for (const [x, y] of [[20, 10], [180, 10], [100, 80]]) await pointer(canvas, 'pointerdown', x, y);
    await act(() => q('[data-testid=stream-tab-basic]').click());
    await act(() => q('[data-testid=stream-tab-detection]').click());
    expect(qa('[data-testid=zone-point]')).toHaveLength(3);
    await act(() => q('[data-testid=stream-save]').dispatchEvent(new Event('submit', { bubbles: true, cancelable: true })));
    await flush();
    expect(calls.filter((c) => c.method !== 'GET').map((c) => `${c.method} ${c.url}`)).toEqual(['PUT /api/streams/cam1', 'POST /api/streams/cam1/zones']);
    expect(q('[data-testid=zone-save-error]').textContent).toContain('Too many zones');
    expect(q('[data-testid=stream-form-error]').textContent).toContain('the zones were not');
    expect(onSaved).not.toHaveBeenCalled();
  });

  it('says so and draws nothing when the server has no zones API (404)', async () => {
    const calls = server({});
    await act(() => render(<ZoneEditor stream="cam1" />, root));
    await flush();
    expect(q('[data-testid=zone-unavailable]')).not.toBeNull();
    expect(q('[data-testid=zone-snapshot]')).toBeNull();
    expect(calls).toHaveLength(1);
  });
});

const EVENTS = [
  { id: 12, stream: 'cam1', source: 'object', label: 'person', confidence: 0.91, zone: 'z1', box: null, start_time: 1718445600, end_time: 1718445630, active: false, snapshot: '/api/snapshots/cam1/12.jpg', recording_id: 77 },
  { id: 11, stream: 'cam2', source: 'motion', label: 'motion', confidence: 1, zone: null, box: null, start_time: 1718445000, end_time: 1718445005, active: false, snapshot: null, recording_id: null },
];

describe('Events page', () => {
  it('lists events with thumbnail, label, source, stream, time, duration and play; the feed adds and ends events live', async () => {
    history.replaceState(null, '', '/events');
    const calls = server({
      'GET /api/events': () => [200, { events: EVENTS, total: 2, page: 1, pages: 1, limit: 25 }],
      'GET /api/streams': () => [200, [{ name: 'cam1' }, { name: 'cam2' }]],
      'GET /api/recordings/detection-labels': () => [200, { labels: ['person'] }],
      'GET /api/recordings/77': () => [200, { id: 77, start_time_unix: 1718445590 }],
    });
    await act(() => render(<EventsPage />, root));
    await flush();
    expect(calls.find((c) => c.url.startsWith('/api/events')).url).toBe('/api/events?page=1&limit=25');
    const rows = qa('[data-testid=event-row]');
    expect(rows.map((r) => r.dataset.id)).toEqual(['12', '11']);
    expect(rows[0].querySelector('[data-testid=event-thumb]').getAttribute('src')).toBe('/api/snapshots/cam1/12.jpg');
    expect(rows[0].querySelector('[data-testid=event-label]').textContent).toBe('person 91%');
    expect(rows[0].querySelector('[data-testid=event-source]').textContent).toBe('object');
    expect(rows[0].querySelector('[data-testid=event-stream]').textContent).toBe('cam1');
    expect(rows[0].querySelector('[data-testid=event-duration]').textContent).toBe('30s');
    expect(rows[1].querySelector('[data-testid=event-thumb]')).toBeNull();
    expect(rows[1].querySelector('[data-testid=event-play]').getAttribute('href')).toBe('/timeline?stream=cam2&t=1718445000');

    // Play with a recording: the player starts 2 s before the event inside that recording.
    await act(() => rows[0].querySelector('[data-testid=event-play]').click());
    await flush();
    expect(q('[data-testid=event-video]').getAttribute('src')).toBe('/api/recordings/play/77#t=8.0');

    expect(FakeEventSource.open().map((e) => e.url)).toEqual(['/api/events/feed']);
    const es = FakeEventSource.instances[0];
    await act(() => es.emit('start', { id: 13, stream: 'cam1', source: 'motion', label: 'motion', start_time: 1718446000, end_time: null, active: true, snapshot: null, recording_id: null }));
    expect(qa('[data-testid=event-row]').map((r) => r.dataset.id)).toEqual(['13', '12', '11']);
    expect(q('[data-testid=event-row]').dataset.active).toBe('true');
    await act(() => es.emit('end', { id: 13, stream: 'cam1', source: 'motion', label: 'motion', start_time: 1718446000, end_time: 1718446012, active: false, snapshot: null, recording_id: 78 }));
    expect(q('[data-testid=event-row]').dataset.active).toBe('false');
    expect(q('[data-testid=event-row] [data-testid=event-duration]').textContent).toBe('12s');

    render(null, root);
    expect(es.closed).toBe(true);
  });

  it('filters go to the URL and the API query; the feed follows the stream filter', async () => {
    history.replaceState(null, '', '/events');
    const calls = server({
      'GET /api/events': () => [200, { events: EVENTS, total: 60, page: 1, pages: 3, limit: 25 }],
      'GET /api/streams': () => [200, [{ name: 'cam1' }, { name: 'cam2' }]],
    });
    await act(() => render(<EventsPage />, root));
    await flush();
    await change(q('[data-testid=events-filter-stream]'), 'cam1');
    await change(q('[data-testid=events-filter-source]'), 'object');
    await flush();
    expect(location.search).toBe('?stream=cam1&source=object');
    expect(calls.filter((c) => c.url.startsWith('/api/events')).at(-1).url).toBe('/api/events?stream=cam1&source=object&page=1&limit=25');
    expect(FakeEventSource.open().map((e) => e.url)).toEqual(['/api/events/feed?stream=cam1']);
    expect(q('[data-testid=events-page-info]').textContent).toBe('Page 1 of 3');
    await act(() => q('[data-testid=events-page-next]').click());
    await flush();
    expect(location.search).toBe('?stream=cam1&source=object&page=2');
  });

  it('a server without the events API (404) gets a note, no list and no feed', async () => {
    history.replaceState(null, '', '/events');
    server({ 'GET /api/streams': () => [200, []] });
    await act(() => render(<EventsPage />, root));
    await flush();
    expect(q('[data-testid=events-unavailable]')).not.toBeNull();
    expect(q('[data-testid=events-list]')).toBeNull();
    expect(FakeEventSource.instances).toHaveLength(0);
  });
});

describe('Timeline event marks', () => {
  const local = (h, m = 0) => new Date(2024, 5, 15, h, m).getTime() / 1000;
  it('asks for the day\'s events of the stream and a click on a mark plays from just before the event', async () => {
    history.replaceState(null, '', '/timeline?stream=cam1&date=2024-06-15');
    const calls = server({
      'GET /api/streams': () => [200, [{ name: 'cam1' }]],
      'GET /api/timeline/segments': () => [200, { segments: [{ id: 11, start_timestamp: local(6), end_timestamp: local(6, 30), duration: 1800 }, { id: 12, start_timestamp: local(12), end_timestamp: local(12, 30), duration: 1800 }] }],
      'GET /api/events': () => [200, { events: [{ id: 5, stream: 'cam1', source: 'motion', label: 'motion', start_time: local(12, 10), end_time: local(12, 11), active: false }], total: 1, page: 1, pages: 1 }],
    });
    await act(() => render(<TimelinePage />, root));
    await flush();
    const evCall = calls.find((c) => c.url.startsWith('/api/events'));
    expect(Object.fromEntries(new URL(evCall.url, 'http://x').searchParams)).toEqual({ stream: 'cam1', start: '2024-06-14T22:00:00Z', end: '2024-06-15T22:00:00Z', limit: '500' });
    const mark = q('[data-testid=timeline-event]');
    expect(parseFloat(mark.style.left)).toBeCloseTo((800 * (12 * 60 + 10)) / 1440);
    await act(() => mark.click());
    await flush();
    expect(q('[data-testid=timeline-video]').getAttribute('src')).toBe('/api/recordings/play/12');
    expect(Number(q('[data-testid=timeline]').getAttribute('aria-valuenow'))).toBe(local(12, 10) - 2);
  });

  it('no marks and no error when the server has no events API', async () => {
    history.replaceState(null, '', '/timeline?stream=cam1&date=2024-06-15');
    server({ 'GET /api/streams': () => [200, [{ name: 'cam1' }]], 'GET /api/timeline/segments': () => [200, { segments: [] }] });
    await act(() => render(<TimelinePage />, root));
    await flush();
    expect(qa('[data-testid=timeline-event]')).toHaveLength(0);
    expect(q('[data-testid=error]')).toBeNull();
  });
});

describe('Live tiles', () => {
  it('one feed for the page; a tile shows a badge while an event is active on its stream', async () => {
    localStorage.clear();
    history.replaceState(null, '', '/live');
    const streams = ['cam1', 'cam2', 'cam3'].map((name) => ({ name, enabled: true, privacy_mode: true }));
    const calls = server({
      'GET /api/streams': () => [200, streams],
      'GET /api/settings': () => [200, {}],
      'GET /api/events': () => [200, { events: [{ id: 1, stream: 'cam2', source: 'object', label: 'person', start_time: 1, end_time: null, active: true }], total: 1, page: 1, pages: 1 }],
    });
    await act(() => render(<LivePage />, root));
    await flush();
    const seed = new URL(calls.find((c) => c.url.startsWith('/api/events')).url, 'http://x');
    expect(seed.searchParams.get('limit')).toBe('100');
    expect(Date.now() / 1000 - Date.parse(seed.searchParams.get('start')) / 1000).toBeCloseTo(86400, -1); // the last day
    const badge = (name) => q(`[data-testid=live-tile][data-stream=${name}] [data-testid=tile-event]`);
    expect(badge('cam2').textContent).toBe('person');
    expect(badge('cam1')).toBeNull();
    expect(FakeEventSource.instances.map((e) => e.url)).toEqual(['/api/events/feed']);
    const es = FakeEventSource.instances[0];
    await act(() => es.emit('start', { id: 2, stream: 'cam1', source: 'motion', label: 'motion', start_time: 2, end_time: null, active: true }));
    expect(badge('cam1').textContent).toBe('motion');
    await act(() => es.emit('end', { id: 1, stream: 'cam2', source: 'object', label: 'person', start_time: 1, end_time: 9, active: false }));
    expect(badge('cam2')).toBeNull();
    render(null, root);
    expect(es.closed).toBe(true);
  });

  it('no feed when the server has no events API', async () => {
    history.replaceState(null, '', '/live');
    server({ 'GET /api/streams': () => [200, [{ name: 'cam1', enabled: true, privacy_mode: true }]], 'GET /api/settings': () => [200, {}] });
    await act(() => render(<LivePage />, root));
    await flush();
    expect(qa('[data-testid=live-tile]')).toHaveLength(1);
    expect(FakeEventSource.instances).toHaveLength(0);
  });
});
