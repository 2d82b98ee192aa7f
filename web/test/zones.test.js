import { describe, it, expect } from 'vitest';
import {
  normCoord, pointFromClient, segmentsIntersect, isSelfIntersecting, wouldCross, closingCrosses, pointInPolygon, validateZone, validateZones,
  nextZoneId, newZone, fromServerZone, toZonesBody, MAX_POINTS, MAX_ZONES,
} from '../src/lib/zones.js';

const P = (x, y) => ({ x, y });
const tri = [P(0.1, 0.1), P(0.9, 0.1), P(0.5, 0.8)];
const zone = (over = {}) => ({ id: 'z1', name: 'Driveway', enabled: true, color: '#3b82f6', polygon: tri, filter_classes: '', min_confidence: 0.5, ...over });

describe('zone geometry', () => {
  it('normalises coordinates to 0–1 with 4 decimals', () => {
    expect(normCoord(-0.2)).toBe(0);
    expect(normCoord(1.7)).toBe(1);
    expect(normCoord(0.123456)).toBe(0.1235);
    expect(normCoord('x')).toBe(0);
    expect(pointFromClient(150, 75, { left: 100, top: 50, width: 200, height: 100 })).toEqual({ x: 0.25, y: 0.25 });
    expect(pointFromClient(500, -10, { left: 100, top: 50, width: 200, height: 100 })).toEqual({ x: 1, y: 0 });
  });

  it('finds crossing, touching and collinear-overlapping segments, not parallel or disjoint ones', () => {
    expect(segmentsIntersect(P(0, 0), P(1, 1), P(0, 1), P(1, 0))).toBe(true);
    expect(segmentsIntersect(P(0, 0), P(1, 0), P(0.5, 0), P(0.5, 1))).toBe(true); // T touch
    expect(segmentsIntersect(P(0, 0), P(0.6, 0), P(0.4, 0), P(1, 0))).toBe(true); // collinear overlap
    expect(segmentsIntersect(P(0, 0), P(0.4, 0), P(0.6, 0), P(1, 0))).toBe(false); // collinear apart
    expect(segmentsIntersect(P(0, 0), P(1, 0), P(0, 0.1), P(1, 0.1))).toBe(false);
    expect(segmentsIntersect(P(0, 0), P(0.4, 0.4), P(0.6, 0.6), P(1, 0))).toBe(false);
  });

  it('detects self-intersection: a bow tie, a vertex on an edge, a repeated point, a spike; not convex or concave shapes', () => {
    expect(isSelfIntersecting(tri)).toBe(false);
    expect(isSelfIntersecting([P(0.1, 0.1), P(0.9, 0.1), P(0.9, 0.9), P(0.5, 0.3), P(0.1, 0.9)])).toBe(false); // concave
    expect(isSelfIntersecting([P(0.1, 0.1), P(0.9, 0.9), P(0.9, 0.1), P(0.1, 0.9)])).toBe(true); // bow tie
    expect(isSelfIntersecting([P(0.1, 0.1), P(0.9, 0.1), P(0.5, 0.1), P(0.5, 0.8)])).toBe(true); // folds back along an edge
    expect(isSelfIntersecting([P(0.1, 0.1), P(0.9, 0.1), P(0.9, 0.1), P(0.5, 0.8)])).toBe(true); // repeated point
    expect(isSelfIntersecting([P(0, 0), P(1, 0), P(1, 1), P(0.5, 0), P(0, 1)])).toBe(true); // vertex touches an edge
  });

  it('warns while drawing when the next point would cross an earlier edge', () => {
    const open = [P(0.1, 0.1), P(0.9, 0.1), P(0.9, 0.9)];
    expect(wouldCross(open, P(0.1, 0.9))).toBe(false);
    expect(wouldCross(open, P(0.5, 0))).toBe(true);
    expect(closingCrosses([...open, P(0.1, 0.9)])).toBe(false);
    expect(closingCrosses([P(0.1, 0.1), P(0.9, 0.1), P(0.1, 0.9), P(0.9, 0.9)])).toBe(true); // Z shape closes across
  });

  it('point in polygon', () => {
    expect(pointInPolygon(P(0.5, 0.3), tri)).toBe(true);
    expect(pointInPolygon(P(0.05, 0.5), tri)).toBe(false);
  });
});

describe('zone validation', () => {
  it('accepts a good zone', () => {
    expect(validateZone(zone())).toEqual([]);
    expect(validateZones([zone(), zone({ id: 'z2' })]).ok).toBe(true);
  });

  it('enforces upstream limits: 3–32 points, 0–1, names ≤63, ≤16 zones, unique ids, confidence 0–1', () => {
    expect(validateZone(zone({ polygon: tri.slice(0, 2) }))).toEqual(['A zone needs at least 3 points (has 2)']);
    const many = Array.from({ length: MAX_POINTS + 1 }, (_, i) => P(0.5 + 0.4 * Math.cos((i / (MAX_POINTS + 1)) * 2 * Math.PI), 0.5 + 0.4 * Math.sin((i / (MAX_POINTS + 1)) * 2 * Math.PI)));
    expect(validateZone(zone({ polygon: many.slice(0, MAX_POINTS) }))).toEqual([]);
    expect(validateZone(zone({ polygon: many }))).toEqual([`A zone may have at most ${MAX_POINTS} points (has ${MAX_POINTS + 1})`]);
    expect(validateZone(zone({ polygon: [P(0.1, 0.1), P(1.2, 0.1), P(0.5, 0.8)] }))).toEqual(['Points must lie inside the picture (coordinates 0–1)']);
    expect(validateZone(zone({ polygon: [P(0.1, 0.1), P(0.9, 0.9), P(0.9, 0.1), P(0.1, 0.9)] }))).toEqual(['The outline crosses itself']);
    expect(validateZone(zone({ polygon: [P(0.1, 0.1), P(0.5, 0.5), P(0.9, 0.9)] }))).toEqual(['The outline crosses itself']); // collinear: folds back
    expect(validateZone(zone({ polygon: [P(0.1, 0.1), P(0.9, 0.1), P(0.9, 0.1), P(0.5, 0.8)] }))).toEqual(['Two neighbouring points are in the same place']);
    expect(validateZone(zone({ name: ' ' }))).toEqual(['Name is required']);
    expect(validateZone(zone({ name: 'n'.repeat(64) }))).toEqual(['Name is longer than 63 characters']);
    expect(validateZone(zone({ id: 'i'.repeat(64) }))).toEqual(['Zone id is longer than 63 characters']);
    expect(validateZone(zone({ min_confidence: 1.5 }))).toEqual(['Minimum confidence must be between 0 and 1']);
    expect(validateZone(zone({ color: 'red' }))).toEqual(['Colour must look like #3b82f6']);
    const seventeen = Array.from({ length: MAX_ZONES + 1 }, (_, i) => zone({ id: `z${i}` }));
    expect(validateZones(seventeen).general).toEqual([`At most ${MAX_ZONES} zones per stream (has 17)`]);
    expect(validateZones([zone(), zone()]).general).toEqual(['Zone id "z1" is used twice']);
    expect(validateZones([zone(), zone({ id: 'z2', polygon: [] })]).ok).toBe(false);
  });

  it('new zones get the first free id; server zones get defaults; the body is explicit and normalised', () => {
    expect(nextZoneId([{ id: 'z1' }, { id: 'z3' }])).toBe('z2');
    expect(newZone([{ id: 'z1' }])).toMatchObject({ id: 'z2', name: 'Zone 2', enabled: true, polygon: [] });
    expect(fromServerZone({ id: 'a', name: 'A', polygon: [{ x: 0.1, y: 0.2 }] })).toEqual({
      id: 'a', name: 'A', enabled: true, color: '#3b82f6', polygon: [{ x: 0.1, y: 0.2 }], filter_classes: '', min_confidence: 0,
    });
    const body = toZonesBody([zone({ name: ' Yard ', filter_classes: ' person, ,car ', polygon: [P(0.123456, 0), P(1, 0), P(0.5, 0.5)], enabled: false })], 'cam1');
    expect(body).toEqual({ zones: [{ id: 'z1', stream_name: 'cam1', name: 'Yard', enabled: false, color: '#3b82f6', polygon: [P(0.1235, 0), P(1, 0), P(0.5, 0.5)], filter_classes: 'person,car', min_confidence: 0.5 }] });
  });
});
