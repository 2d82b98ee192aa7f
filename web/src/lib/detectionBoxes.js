// Detection boxes over video. Rows come from GET /api/detection/results/{stream} (upstream's shape: label, confidence,
// x, y, width, height normalised 0–1 to the analysed frame, timestamp in unix seconds; at most 20 rows, newest
// first). Pure functions here: where the picture sits inside an object-contain <video> (letterbox or pillarbox), where
// a box lands in element pixels, and which rows belong to a moment.

/** Streams whose detection_model is an object detector (a model file, onnx, api-detection): those get boxes. */
export function isObjectModel(model) {
  const m = String(model || '').trim().toLowerCase();
  return m !== '' && !['motion', 'none', 'onvif'].includes(m);
}

/**
 * The picture's rectangle inside an element of elW×elH showing a vidW×vidH video with object-fit: contain (the
 * default for <video>): scaled to fit, centred, bars left/right or top/bottom. Unknown video size = the whole element.
 */
export function contentRect(elW, elH, vidW, vidH) {
  if (!(elW > 0 && elH > 0)) return null;
  if (!(vidW > 0 && vidH > 0)) return { left: 0, top: 0, width: elW, height: elH };
  const s = Math.min(elW / vidW, elH / vidH);
  const width = vidW * s;
  const height = vidH * s;
  return { left: (elW - width) / 2, top: (elH - height) / 2, width, height };
}

const clamp01 = (v) => Math.min(1, Math.max(0, Number(v) || 0));

const px = (v) => Math.round(v * 100) / 100;

/** A row's box in element pixels (clamped to the picture, rounded to 1/100 px). */
export function placeBox(d, rect) {
  const x0 = clamp01(d.x), y0 = clamp01(d.y);
  const x1 = clamp01(d.x + d.width), y1 = clamp01(d.y + d.height);
  return {
    left: px(rect.left + x0 * rect.width), top: px(rect.top + y0 * rect.height),
    width: px((x1 - x0) * rect.width), height: px((y1 - y0) * rect.height),
  };
}

/** Rows without a box (upstream writes 0s) are not drawn. */
export const hasBox = (d) => !!d && d.width > 0 && d.height > 0;

/**
 * The rows to draw at unix time `t` (seconds, may be fractional): every boxed row of the newest second at or before t,
 * when that second is less than `hold` seconds old; else none (the object is gone or detection stopped).
 */
export function boxesAt(rows, t, hold = 2) {
  let newest = -Infinity;
  for (const r of rows || []) if (hasBox(r) && r.timestamp <= t && r.timestamp > newest) newest = r.timestamp;
  if (newest === -Infinity || t - newest >= hold) return [];
  return rows.filter((r) => hasBox(r) && r.timestamp === newest);
}

/** How long a live box stays up: two detection intervals, at least 3 s (rows are written at most once a second). */
export const liveHold = (interval) => Math.max(3, 2 * (Number(interval) || 1));

/** Live polling period (ms): the detection interval, between 1 and 2 s. */
export const livePollMs = (interval) => Math.round(1000 * Math.min(2, Math.max(1, Number(interval) || 1)));

/** Playback fetches 5 s windows (plus 2 s before, for the hold) so the 20-row cap covers about 2 labels per second. */
export const WINDOW = 5;
export const windowOf = (t) => Math.floor(t / WINDOW);
export const windowQuery = (stream, w) =>
  `/api/detection/results/${encodeURIComponent(stream)}?start=${w * WINDOW - 2}&end=${w * WINDOW + WINDOW}`;

/** "person 62%": the label of a drawn box. */
export const boxLabel = (d) => `${d.label}${d.confidence > 0 ? ` ${Math.round(d.confidence * 100)}%` : ''}`;
