// Digital zoom for a video: mouse wheel or pinch to zoom (1×–8×) around the pointer, drag to pan, double-click or
// "reset" to go back. Pure maths in zoomAt/clampPan so it can be tested without a browser.
import { useRef, useState } from 'preact/hooks';

export const MAX_ZOOM = 8;

/** New {scale,x,y} after zooming by `factor` around point (px,py) in the element's own pixels. */
export function zoomAt(z, factor, px, py, w, h) {
  const scale = Math.min(MAX_ZOOM, Math.max(1, z.scale * factor));
  const k = scale / z.scale;
  return clampPan({ scale, x: px - (px - z.x) * k, y: py - (py - z.y) * k }, w, h);
}

/** Keeps the zoomed picture covering the frame (no empty edges). */
export function clampPan(z, w, h) {
  if (z.scale <= 1) return { scale: 1, x: 0, y: 0 };
  return { scale: z.scale, x: Math.min(0, Math.max(w - w * z.scale, z.x)), y: Math.min(0, Math.max(h - h * z.scale, z.y)) };
}

export function useVideoZoom(enabled) {
  const [z, setZ] = useState({ scale: 1, x: 0, y: 0 });
  const pointers = useRef(new Map());
  const last = useRef(null);
  if (!enabled) return { style: {}, handlers: {}, zoomed: false, reset: () => {} };
  const rect = (e) => e.currentTarget.getBoundingClientRect();
  const handlers = {
    onWheel: (e) => {
      e.preventDefault();
      const r = rect(e);
      setZ((cur) => zoomAt(cur, e.deltaY < 0 ? 1.2 : 1 / 1.2, e.clientX - r.left, e.clientY - r.top, r.width, r.height));
    },
    onPointerDown: (e) => { pointers.current.set(e.pointerId, { x: e.clientX, y: e.clientY }); last.current = null; e.currentTarget.setPointerCapture?.(e.pointerId); },
    onPointerUp: (e) => { pointers.current.delete(e.pointerId); last.current = null; },
    onPointerCancel: (e) => { pointers.current.delete(e.pointerId); last.current = null; },
    onPointerMove: (e) => {
      if (!pointers.current.has(e.pointerId)) return;
      const r = rect(e);
      const prev = pointers.current.get(e.pointerId);
      pointers.current.set(e.pointerId, { x: e.clientX, y: e.clientY });
      const pts = [...pointers.current.values()];
      if (pts.length === 2) {
        const d = Math.hypot(pts[0].x - pts[1].x, pts[0].y - pts[1].y);
        const cx = (pts[0].x + pts[1].x) / 2 - r.left, cy = (pts[0].y + pts[1].y) / 2 - r.top;
        if (last.current) setZ((cur) => zoomAt(cur, d / last.current, cx, cy, r.width, r.height));
        last.current = d;
      } else if (pts.length === 1) {
        setZ((cur) => clampPan({ ...cur, x: cur.x + e.clientX - prev.x, y: cur.y + e.clientY - prev.y }, r.width, r.height));
      }
    },
    onDblClick: () => setZ({ scale: 1, x: 0, y: 0 }),
  };
  return {
    style: { transform: `translate(${z.x}px, ${z.y}px) scale(${z.scale})`, transformOrigin: '0 0', touchAction: 'none' },
    handlers,
    zoomed: z.scale > 1,
    reset: () => setZ({ scale: 1, x: 0, y: 0 }),
  };
}
