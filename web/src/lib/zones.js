// Detection zones: geometry and validation for the zone editor. Polygons are in normalised image coordinates
// (0–1, origin top-left), the shape of GET/POST /api/streams/{name}/zones (lightnvr-api.md §2.4).

export const MIN_POINTS = 3; // a polygon needs an area
export const MAX_POINTS = 32; // upstream's per-zone point limit (lightnvr-api.md §2.4)
export const MAX_ZONES = 16; // upstream's per-stream zone limit (§2.4)
export const MAX_ID_LEN = 63; // upstream's id/name column size (§2.4)
export const DEFAULT_COLOR = '#3b82f6'; // upstream's default zone colour (§2.4)
const COLORS = [DEFAULT_COLOR, '#ef4444', '#22c55e', '#f59e0b', '#a855f7', '#06b6d4', '#ec4899', '#84cc16'];
const EPS = 1e-9;

/** Clamps to 0–1 and rounds to 4 decimals (a 10,000-px-wide picture still maps to a whole pixel). */
export function normCoord(v) {
  const n = Number(v);
  if (!Number.isFinite(n)) return 0;
  return Math.round(Math.min(1, Math.max(0, n)) * 10000) / 10000;
}

export const normPoint = (p) => ({ x: normCoord(p.x), y: normCoord(p.y) });

/** A pointer position over an element's box -> normalised point. */
export function pointFromClient(clientX, clientY, rect) {
  if (!rect.width || !rect.height) return { x: 0, y: 0 };
  return normPoint({ x: (clientX - rect.left) / rect.width, y: (clientY - rect.top) / rect.height });
}

/** Twice the signed area (shoelace); 0 for a degenerate polygon. */
export function signedArea2(poly) {
  let a = 0;
  for (let i = 0; i < poly.length; i++) {
    const p = poly[i], q = poly[(i + 1) % poly.length];
    a += p.x * q.y - q.x * p.y;
  }
  return a;
}

const cross = (o, a, b) => (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x);
const onSegment = (p, a, b) => Math.min(a.x, b.x) - EPS <= p.x && p.x <= Math.max(a.x, b.x) + EPS
  && Math.min(a.y, b.y) - EPS <= p.y && p.y <= Math.max(a.y, b.y) + EPS;

/** Do segments a1-a2 and b1-b2 touch or cross (endpoints and collinear overlap count)? */
export function segmentsIntersect(a1, a2, b1, b2) {
  const d1 = cross(b1, b2, a1), d2 = cross(b1, b2, a2), d3 = cross(a1, a2, b1), d4 = cross(a1, a2, b2);
  if (((d1 > EPS && d2 < -EPS) || (d1 < -EPS && d2 > EPS)) && ((d3 > EPS && d4 < -EPS) || (d3 < -EPS && d4 > EPS))) return true;
  if (Math.abs(d1) <= EPS && onSegment(a1, b1, b2)) return true;
  if (Math.abs(d2) <= EPS && onSegment(a2, b1, b2)) return true;
  if (Math.abs(d3) <= EPS && onSegment(b1, a1, a2)) return true;
  if (Math.abs(d4) <= EPS && onSegment(b2, a1, a2)) return true;
  return false;
}

/**
 * True when two edges of the closed polygon meet anywhere other than the vertex adjacent edges share: crossing
 * edges, a vertex on another edge, repeated points, or an edge doubling back over its neighbour.
 */
export function isSelfIntersecting(poly) {
  const n = poly.length;
  if (n < 3) return false;
  for (let i = 0; i < n; i++) {
    const a1 = poly[i], a2 = poly[(i + 1) % n];
    if (Math.abs(a1.x - a2.x) <= EPS && Math.abs(a1.y - a2.y) <= EPS) return true; // zero-length edge
    for (let j = i + 1; j < n; j++) {
      const b1 = poly[j], b2 = poly[(j + 1) % n];
      const adjacent = j === i + 1 || (i === 0 && j === n - 1);
      if (!adjacent) {
        if (segmentsIntersect(a1, a2, b1, b2)) return true;
        continue;
      }
      // Neighbours share one vertex; they may only meet there (not fold back along each other).
      const shared = j === i + 1 ? a2 : a1;
      const otherA = j === i + 1 ? a1 : a2;
      const otherB = j === i + 1 ? b2 : b1;
      if (Math.abs(cross(shared, otherA, otherB)) <= EPS) {
        const dot = (otherA.x - shared.x) * (otherB.x - shared.x) + (otherA.y - shared.y) * (otherB.y - shared.y);
        if (dot > 0) return true;
      }
    }
  }
  return false;
}

/** Are two neighbouring points (the last and first included) closer than `tol`? */
export function hasRepeatedPoint(poly, tol = 1e-4) {
  return poly.some((p, i) => { const q = poly[(i + 1) % poly.length]; return Math.abs(p.x - q.x) < tol && Math.abs(p.y - q.y) < tol; });
}

/** Would adding `p` at the end of an open polyline make an edge cross an earlier one (to warn while drawing)? */
export function wouldCross(poly, p) {
  if (poly.length < 2) return false;
  const last = poly[poly.length - 1];
  for (let i = 0; i < poly.length - 2; i++) if (segmentsIntersect(poly[i], poly[i + 1], last, p)) return true;
  return false;
}

/** Would closing the open polyline (last point back to the first) cross one of its edges? */
export function closingCrosses(poly) {
  const n = poly.length;
  if (n < 3) return false;
  for (let i = 1; i < n - 2; i++) if (segmentsIntersect(poly[i], poly[i + 1], poly[n - 1], poly[0])) return true;
  return false;
}

/** Ray casting; points on the boundary may go either way. */
export function pointInPolygon(p, poly) {
  let inside = false;
  for (let i = 0, j = poly.length - 1; i < poly.length; j = i++) {
    const a = poly[i], b = poly[j];
    if ((a.y > p.y) !== (b.y > p.y) && p.x < ((b.x - a.x) * (p.y - a.y)) / (b.y - a.y) + a.x) inside = !inside;
  }
  return inside;
}

/** Errors of one zone, as sentences (empty = valid). */
export function validateZone(z) {
  const e = [];
  const poly = Array.isArray(z.polygon) ? z.polygon : [];
  if (!String(z.id || '').trim()) e.push('Zone id is missing');
  else if (String(z.id).length > MAX_ID_LEN) e.push(`Zone id is longer than ${MAX_ID_LEN} characters`);
  if (!String(z.name || '').trim()) e.push('Name is required');
  else if (String(z.name).length > MAX_ID_LEN) e.push(`Name is longer than ${MAX_ID_LEN} characters`);
  if (poly.length < MIN_POINTS) e.push(`A zone needs at least ${MIN_POINTS} points (has ${poly.length})`);
  if (poly.length > MAX_POINTS) e.push(`A zone may have at most ${MAX_POINTS} points (has ${poly.length})`);
  if (poly.some((p) => !(p && Number.isFinite(p.x) && Number.isFinite(p.y) && p.x >= 0 && p.x <= 1 && p.y >= 0 && p.y <= 1))) {
    e.push('Points must lie inside the picture (coordinates 0–1)');
  } else if (poly.length >= MIN_POINTS && poly.length <= MAX_POINTS) {
    if (hasRepeatedPoint(poly)) e.push('Two neighbouring points are in the same place');
    else if (isSelfIntersecting(poly)) e.push('The outline crosses itself');
    else if (Math.abs(signedArea2(poly)) < 1e-6) e.push('The points lie on one line');
  }
  if (z.color && !/^#[0-9a-fA-F]{6}$/.test(z.color)) e.push('Colour must look like #3b82f6');
  const c = Number(z.min_confidence);
  if (!(c >= 0 && c <= 1)) e.push('Minimum confidence must be between 0 and 1');
  return e;
}

/** {general: [...], zones: [[...], ...]}; ok when everything is empty. */
export function validateZones(zones) {
  const general = [];
  if (zones.length > MAX_ZONES) general.push(`At most ${MAX_ZONES} zones per stream (has ${zones.length})`);
  const ids = new Set();
  zones.forEach((z) => { if (ids.has(z.id)) general.push(`Zone id "${z.id}" is used twice`); ids.add(z.id); });
  const per = zones.map(validateZone);
  return { general, zones: per, ok: general.length === 0 && per.every((e) => e.length === 0) };
}

/** The first free "zN" id. */
export function nextZoneId(zones) {
  const used = new Set(zones.map((z) => z.id));
  let i = 1;
  while (used.has(`z${i}`)) i++;
  return `z${i}`;
}

export function newZone(zones) {
  const id = nextZoneId(zones);
  return { id, name: `Zone ${id.slice(1)}`, enabled: true, color: COLORS[zones.length % COLORS.length], polygon: [], filter_classes: '', min_confidence: 0 };
}

/** A server zone -> editor zone with every field present (upstream's defaults where missing). */
export function fromServerZone(z) {
  return {
    id: String(z.id ?? ''),
    name: String(z.name ?? ''),
    enabled: z.enabled !== false,
    color: /^#[0-9a-fA-F]{6}$/.test(z.color || '') ? z.color : DEFAULT_COLOR,
    polygon: Array.isArray(z.polygon) ? z.polygon.map((p) => ({ x: Number(p.x), y: Number(p.y) })) : [],
    filter_classes: String(z.filter_classes ?? ''),
    min_confidence: Number(z.min_confidence) || 0,
  };
}

/** Editor zones -> POST body (every field explicit: upstream treats a missing `enabled` as false). */
export function toZonesBody(zones, stream) {
  return {
    zones: zones.map((z) => ({
      id: z.id.trim(),
      stream_name: stream,
      name: z.name.trim(),
      enabled: !!z.enabled,
      color: z.color || DEFAULT_COLOR,
      polygon: z.polygon.map(normPoint),
      filter_classes: z.filter_classes.split(',').map((c) => c.trim()).filter(Boolean).join(','),
      min_confidence: Number(z.min_confidence) || 0,
    })),
  };
}

/** SVG "points" attribute in a viewBox of 0 0 W H. */
export const svgPoints = (poly, w = 1, h = 1) => poly.map((p) => `${p.x * w},${p.y * h}`).join(' ');
