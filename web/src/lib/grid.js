// Live grid layout maths: presets, custom cols×rows, pages of tiles, and the localStorage record.
export const PRESETS = [
  { id: '1x1', cols: 1, rows: 1 },
  { id: '2x2', cols: 2, rows: 2 },
  { id: '3x3', cols: 3, rows: 3 },
  { id: '4x4', cols: 4, rows: 4 },
];
export const MAX_DIM = 6; // 6×6 = 36 live tiles is already more than a small box should decode at once
const KEY = 'lightnvr.grid';

export function clampDim(n) {
  const v = Math.round(Number(n));
  return Number.isFinite(v) ? Math.min(MAX_DIM, Math.max(1, v)) : 1;
}

/** Parses "3x2" (cols x rows) into a layout; anything malformed gives the 2×2 default. */
export function parseLayout(s) {
  const m = /^(\d+)x(\d+)$/.exec(String(s ?? '').trim());
  if (!m) return { cols: 2, rows: 2 };
  return { cols: clampDim(m[1]), rows: clampDim(m[2]) };
}
export const layoutId = (l) => `${l.cols}x${l.rows}`;

export function loadLayout(storage = globalThis.localStorage) {
  try { return parseLayout(storage?.getItem(KEY)); } catch { return { cols: 2, rows: 2 }; }
}
export function saveLayout(l, storage = globalThis.localStorage) {
  try { storage?.setItem(KEY, layoutId(l)); } catch { /* private mode */ }
}

export const perPage = (l) => l.cols * l.rows;
export const pageCount = (n, l) => Math.max(1, Math.ceil(n / perPage(l)));

/** Items on page `page` (0-based, clamped to the last page). */
export function pageItems(items, l, page) {
  const p = Math.min(Math.max(0, page), pageCount(items.length, l) - 1);
  const n = perPage(l);
  return items.slice(p * n, p * n + n);
}

/**
 * Columns actually used: never more columns than tiles on the page, and on a narrow screen at most
 * `maxColsNarrow` so tiles stay watchable on a phone.
 */
export function effectiveCols(l, tilesOnPage, viewportWidth, maxColsNarrow = 2) {
  let c = Math.min(l.cols, Math.max(1, tilesOnPage));
  if (viewportWidth < 640) c = Math.min(c, maxColsNarrow);
  return c;
}
