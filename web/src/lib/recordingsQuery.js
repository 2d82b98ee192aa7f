// Recordings filter state <-> URL query (the page's state lives in the URL) <-> API query for GET /api/recordings.
export const SORT_FIELDS = ['start_time', 'end_time', 'stream_name', 'size_bytes', 'id'];
export const CAPTURE_METHODS = ['continuous', 'scheduled', 'detection', 'motion', 'manual'];
export const PAGE_SIZES = [20, 50, 100];

export const DEFAULTS = Object.freeze({
  stream: '', from: '', to: '', capture: [], protected: '', detection: '', label: '', tag: '',
  sort: 'start_time', order: 'desc', page: 1, limit: 20, view: 'table',
});

const list = (s) => (s ? s.split(',').map((x) => x.trim()).filter(Boolean) : []);

/** URLSearchParams (or string) -> normalised filter object; unknown or malformed values fall back to defaults. */
export function parseFilters(q) {
  const p = typeof q === 'string' ? new URLSearchParams(q) : q;
  const int = (k, d) => {
    const n = parseInt(p.get(k), 10);
    return Number.isFinite(n) && n > 0 ? n : d;
  };
  const date = (k) => (/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2})?)?$/.test(p.get(k) || '') ? p.get(k) : '');
  const sort = p.get('sort');
  const limit = int('limit', DEFAULTS.limit);
  return {
    stream: p.get('stream') || '',
    from: date('from'),
    to: date('to'),
    capture: list(p.get('capture')).filter((c) => CAPTURE_METHODS.includes(c)),
    protected: ['0', '1'].includes(p.get('protected')) ? p.get('protected') : '',
    detection: ['1', '-1'].includes(p.get('detection')) ? p.get('detection') : '',
    label: (p.get('label') || '').trim(),
    tag: p.get('tag') || '',
    sort: SORT_FIELDS.includes(sort) ? sort : DEFAULTS.sort,
    order: p.get('order') === 'asc' ? 'asc' : 'desc',
    page: int('page', 1),
    limit: Math.min(limit, 1000),
    view: p.get('view') === 'grid' ? 'grid' : 'table',
  };
}

/** Filter object -> URL query string with only non-default values (stable key order). */
export function filtersToQuery(f) {
  const p = new URLSearchParams();
  const set = (k, v) => { if (v !== '' && v != null && String(v) !== String(DEFAULTS[k] ?? '')) p.set(k, String(v)); };
  set('stream', f.stream);
  set('from', f.from);
  set('to', f.to);
  if (f.capture?.length) p.set('capture', f.capture.join(','));
  set('protected', f.protected);
  set('detection', f.detection);
  set('label', f.label);
  set('tag', f.tag);
  set('sort', f.sort);
  set('order', f.order);
  set('page', f.page);
  set('limit', f.limit);
  set('view', f.view);
  return p.toString();
}

/** Local date/datetime input value -> UTC ISO string the API expects (0.3: interpreted as UTC). */
export function localToUtcIso(v, endOfDay = false) {
  if (!v) return '';
  const full = v.length === 10 ? `${v}T${endOfDay ? '23:59:59' : '00:00:00'}` : v.length === 16 ? `${v}:${endOfDay ? '59' : '00'}` : v;
  const d = new Date(full); // no zone suffix -> local time
  if (Number.isNaN(d.getTime())) return '';
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Filter object -> query string for GET /api/recordings. */
export function filtersToApiQuery(f) {
  const p = new URLSearchParams();
  if (f.stream) p.set('stream', f.stream);
  if (f.from) p.set('start', localToUtcIso(f.from));
  if (f.to) p.set('end', localToUtcIso(f.to, true));
  if (f.capture?.length) p.set('capture_method', f.capture.join(','));
  if (f.protected) p.set('protected', f.protected);
  // detection_label implies has_detection=1 on the server; "without detections" and a label cannot both hold.
  if (f.label) p.set('detection_label', f.label);
  else if (f.detection) p.set('has_detection', f.detection);
  if (f.tag) p.set('tag', f.tag);
  p.set('sort', f.sort);
  p.set('order', f.order);
  p.set('page', String(f.page));
  p.set('limit', String(f.limit));
  return p.toString();
}

/** Changing any filter other than the page resets to page 1. */
export function updateFilters(f, patch) {
  const next = { ...f, ...patch };
  if (!('page' in patch)) next.page = 1;
  return next;
}
