import { describe, it, expect } from 'vitest';
import {
  parseEventFilters, eventFiltersToQuery, eventsApiQuery, eventDuration, playTarget, matchesFilters, applyFeed, applyActive, activeLabel, openEventFeed,
} from '../src/lib/events.js';
import { FakeEventSource } from './fakeEventSource.js';

const ev = (over = {}) => ({ id: 1, stream: 'cam1', source: 'motion', label: 'motion', confidence: 0.8, zone: null, box: null, start_time: 1718445600, end_time: null, active: true, snapshot: null, recording_id: null, ...over });

describe('event filters', () => {
  it('round-trip through the URL and drop malformed values', () => {
    const f = { stream: 'cam 1', label: 'person', source: 'object', from: '2024-06-15T10:00', to: '2024-06-15', page: 3 };
    expect(parseEventFilters(eventFiltersToQuery(f))).toEqual(f);
    expect(parseEventFilters('source=laser&from=yesterday&page=-1')).toEqual({ stream: '', label: '', source: '', from: '', to: '', page: 1 });
    expect(eventFiltersToQuery(parseEventFilters(''))).toBe('');
  });
  it('map to GET /api/events parameters with local times in UTC (a bare "to" date covers the whole day)', () => {
    const p = Object.fromEntries(new URLSearchParams(eventsApiQuery(parseEventFilters('stream=cam1&label=car&source=object&from=2024-06-15T10:00&to=2024-06-15&page=2'), 25)));
    // Europe/Berlin, UTC+2 in June
    expect(p).toEqual({ stream: 'cam1', source: 'object', label: 'car', start: '2024-06-15T08:00:00Z', end: '2024-06-15T21:59:59Z', page: '2', limit: '25' });
  });
  it('match feed events the same way', () => {
    const f = parseEventFilters('stream=cam1&source=object&label=PER');
    expect(matchesFilters(ev({ source: 'object', label: 'person' }), f)).toBe(true);
    expect(matchesFilters(ev({ source: 'object', label: 'car' }), f)).toBe(false);
    expect(matchesFilters(ev({ source: 'object', label: 'person', stream: 'cam2' }), f)).toBe(false);
    expect(matchesFilters(ev({ source: 'motion', label: 'person' }), f)).toBe(false);
    expect(matchesFilters(ev(), parseEventFilters('from=2024-06-15T12:01'))).toBe(false); // the event is 10:00 UTC = 12:00 Berlin
    expect(matchesFilters(ev(), parseEventFilters('from=2024-06-15T12:00'))).toBe(true);
  });
});

describe('event values', () => {
  it('duration: finished, running (grows with now), instantaneous', () => {
    expect(eventDuration(ev({ end_time: 1718445630, active: false }))).toBe(30);
    expect(eventDuration(ev(), 1718445612)).toBe(12);
    expect(eventDuration(ev({ active: false }), 1718449999)).toBe(0);
  });
  it('play goes to the recording when there is one, else to the timeline at the event', () => {
    expect(playTarget(ev({ recording_id: 7 }))).toEqual({ kind: 'recording', id: 7 });
    expect(playTarget(ev({ stream: 'front door', start_time: 1718445600.7 }))).toEqual({ kind: 'timeline', href: '/timeline?stream=front%20door&t=1718445600' });
  });
});

describe('feed messages', () => {
  const f = parseEventFilters('');
  it('start puts a new event on top of page 1 (keeping the page length); update and end replace it in place', () => {
    const list = [ev({ id: 2 }), ev({ id: 1, active: false, end_time: 1718445610 })];
    const started = applyFeed(list, 'start', ev({ id: 3 }), f, 2);
    expect(started.map((e) => e.id)).toEqual([3, 2]);
    const ended = applyFeed(started, 'end', { ...ev({ id: 3 }), active: false, end_time: 1718445700 }, f, 2);
    expect(ended[0]).toMatchObject({ id: 3, active: false, end_time: 1718445700 });
    expect(applyFeed(list, 'start', ev({ id: 9 }), parseEventFilters('page=2'))).toBe(list);
    expect(applyFeed(list, 'start', ev({ id: 9, stream: 'cam2' }), parseEventFilters('stream=cam1'))).toBe(list);
    expect(applyFeed(list, 'update', ev({ id: 42 }), f)).toBe(list);
  });
  it('active events: start adds, update keeps, end removes; a repeated end changes nothing', () => {
    let m = new Map();
    m = applyActive(m, 'start', ev({ id: 1, label: 'motion' }));
    m = applyActive(m, 'start', ev({ id: 2, stream: 'cam2', label: 'person', start_time: 1718445601 }));
    m = applyActive(m, 'update', ev({ id: 1, label: 'car', start_time: 1718445605 }));
    expect([...m.keys()]).toEqual([1, 2]);
    expect(activeLabel([...m.values()], 'cam1')).toBe('car');
    const before = applyActive(m, 'end', ev({ id: 1, active: false, end_time: 1718445700 }));
    expect([...before.keys()]).toEqual([2]);
    expect(applyActive(before, 'end', ev({ id: 1, active: false }))).toBe(before);
  });
  it('openEventFeed listens to start/update/end on /api/events/feed, skips bad data and closes', () => {
    FakeEventSource.reset();
    const got = [];
    const close = openEventFeed('cam 1', (t, e) => got.push([t, e.id]), FakeEventSource);
    const es = FakeEventSource.instances[0];
    expect(es.url).toBe('/api/events/feed?stream=cam%201');
    es.emit('start', ev({ id: 5 }));
    es.emit('update', 'not json');
    es.emit('end', { nothing: true });
    es.emit('end', ev({ id: 5, active: false }));
    expect(got).toEqual([['start', 5], ['end', 5]]);
    close();
    expect(es.closed).toBe(true);
    es.emit('start', ev({ id: 6 }));
    expect(got).toHaveLength(2);
    expect(openEventFeed('', () => {}, null)).toBeTypeOf('function'); // no EventSource in this browser: a no-op
  });
});
