import { describe, it, expect } from 'vitest';
import { parseLayout, layoutId, loadLayout, saveLayout, pageItems, pageCount, effectiveCols, clampDim, MAX_DIM } from '../src/lib/grid.js';

const memStorage = () => { const m = new Map(); return { getItem: (k) => (m.has(k) ? m.get(k) : null), setItem: (k, v) => m.set(k, String(v)) }; };

describe('grid layout', () => {
  it('parses cols×rows and clamps to 1..MAX_DIM', () => {
    expect(parseLayout('3x2')).toEqual({ cols: 3, rows: 2 });
    expect(parseLayout('0x99')).toEqual({ cols: 1, rows: MAX_DIM });
    expect(parseLayout('junk')).toEqual({ cols: 2, rows: 2 });
    expect(clampDim('nope')).toBe(1);
  });
  it('persists a custom layout in storage', () => {
    const s = memStorage();
    expect(loadLayout(s)).toEqual({ cols: 2, rows: 2 });
    saveLayout({ cols: 5, rows: 1 }, s);
    expect(s.getItem('lightnvr.grid')).toBe('5x1');
    expect(loadLayout(s)).toEqual({ cols: 5, rows: 1 });
    expect(layoutId(loadLayout(s))).toBe('5x1');
  });
  it('pages tiles and clamps the page number', () => {
    const items = Array.from({ length: 10 }, (_, i) => i);
    const l = { cols: 2, rows: 2 };
    expect(pageCount(10, l)).toBe(3);
    expect(pageCount(0, l)).toBe(1);
    expect(pageItems(items, l, 0)).toEqual([0, 1, 2, 3]);
    expect(pageItems(items, l, 2)).toEqual([8, 9]);
    expect(pageItems(items, l, 7)).toEqual([8, 9]);
  });
  it('uses no more columns than tiles, and at most 2 on a phone', () => {
    expect(effectiveCols({ cols: 4, rows: 4 }, 3, 1400)).toBe(3);
    expect(effectiveCols({ cols: 4, rows: 4 }, 16, 1400)).toBe(4);
    expect(effectiveCols({ cols: 4, rows: 4 }, 16, 390)).toBe(2);
    expect(effectiveCols({ cols: 1, rows: 1 }, 1, 390)).toBe(1);
  });
});
