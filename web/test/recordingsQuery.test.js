import { describe, it, expect } from 'vitest';
import { parseFilters, filtersToQuery, filtersToApiQuery, updateFilters, localToUtcIso, DEFAULTS } from '../src/lib/recordingsQuery.js';

describe('recordings filters <-> URL', () => {
  it('defaults produce an empty query and parse back to the defaults', () => {
    expect(filtersToQuery({ ...DEFAULTS })).toBe('');
    expect(parseFilters('')).toEqual({ ...DEFAULTS });
  });
  it('round-trips every filter', () => {
    const f = { stream: 'front door', from: '2024-05-01', to: '2024-05-03', capture: ['motion', 'manual'], protected: '1', detection: '-1', label: 'person', tag: 'night',
      sort: 'size_bytes', order: 'asc', page: 3, limit: 50, view: 'grid' };
    const q = filtersToQuery(f);
    expect(q).toContain('stream=front+door');
    expect(q).toContain('capture=motion%2Cmanual');
    expect(parseFilters(q)).toEqual(f);
    expect(parseFilters(new URLSearchParams(q))).toEqual(f);
  });
  it('rejects malformed values instead of passing them on', () => {
    const f = parseFilters('sort=drop_table&order=sideways&page=-2&limit=abc&capture=motion,bogus&protected=maybe&from=yesterday&view=x');
    expect(f.sort).toBe('start_time');
    expect(f.order).toBe('desc');
    expect(f.page).toBe(1);
    expect(f.limit).toBe(20);
    expect(f.capture).toEqual(['motion']);
    expect(f.protected).toBe('');
    expect(f.from).toBe('');
    expect(f.view).toBe('table');
    expect(parseFilters('limit=99999').limit).toBe(1000);
  });
  it('changing a filter goes back to page 1; paging keeps the filters', () => {
    const f = parseFilters('stream=cam1&page=4');
    expect(updateFilters(f, { tag: 'x' })).toMatchObject({ stream: 'cam1', tag: 'x', page: 1 });
    expect(updateFilters(f, { page: 5 })).toMatchObject({ stream: 'cam1', page: 5 });
  });
});

describe('filters -> API query', () => {
  it('maps to the GET /api/recordings parameter names', () => {
    const p = new URLSearchParams(filtersToApiQuery(parseFilters('stream=cam1&capture=detection,motion&protected=0&detection=1&tag=a&sort=end_time&order=asc&page=2&limit=100')));
    expect(Object.fromEntries(p)).toEqual({ stream: 'cam1', capture_method: 'detection,motion', protected: '0', has_detection: '1', tag: 'a', sort: 'end_time', order: 'asc', page: '2', limit: '100' });
  });
  it('a detection label filter asks for detection_label (which implies has_detection=1), not has_detection', () => {
    const p = new URLSearchParams(filtersToApiQuery(parseFilters('label=person&detection=-1')));
    expect(p.get('detection_label')).toBe('person');
    expect(p.has('has_detection')).toBe(false);
    expect(filtersToQuery(updateFilters(parseFilters('page=3'), { label: 'car' }))).toBe('label=car');
  });
  it('turns a local date range into a UTC range covering whole local days', () => {
    const p = new URLSearchParams(filtersToApiQuery(parseFilters('from=2024-01-10&to=2024-01-10')));
    // Europe/Berlin (UTC+1 in January): the local day 10 Jan is 09T23:00Z .. 10T22:59:59Z
    expect(p.get('start')).toBe('2024-01-09T23:00:00Z');
    expect(p.get('end')).toBe('2024-01-10T22:59:59Z');
    expect(localToUtcIso('nonsense')).toBe('');
  });
});
