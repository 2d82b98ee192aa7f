// Detection boxes drawn over a <video> (live tile, recording playback). It measures the video element and the video's
// own size so boxes follow letterboxing (docs/ui.md), takes no pointer events (taps, pinch-zoom and the controls
// below still work), and keeps labels small and inside the frame for phones.
import { useEffect, useState } from 'preact/hooks';
import { boxLabel, contentRect, hasBox, placeBox } from '../lib/detectionBoxes.js';

function useVideoSize(videoRef) {
  const [size, setSize] = useState({ w: 0, h: 0, vw: 0, vh: 0 });
  useEffect(() => {
    const v = videoRef.current;
    if (!v) return undefined;
    const measure = () => setSize((s) => {
      const n = { w: v.clientWidth, h: v.clientHeight, vw: v.videoWidth, vh: v.videoHeight };
      return n.w === s.w && n.h === s.h && n.vw === s.vw && n.vh === s.vh ? s : n;
    });
    measure();
    v.addEventListener('loadedmetadata', measure);
    v.addEventListener('resize', measure); // the video's own size changed (a new stream)
    let ro;
    if (typeof ResizeObserver === 'function') { ro = new ResizeObserver(measure); ro.observe(v); }
    else window.addEventListener('resize', measure);
    return () => {
      v.removeEventListener('loadedmetadata', measure);
      v.removeEventListener('resize', measure);
      if (ro) ro.disconnect(); else window.removeEventListener('resize', measure);
    };
  }, [videoRef.current]);
  return size;
}

/** Label height in px (10 px text, 16 px line; 18 px from sm). */
const LABEL = 18;

/**
 * `topInset`: pixels at the top of the element that something else covers (the live tile's name bar); a label that
 * would land there moves down inside its box.
 */
export function DetectionOverlay({ videoRef, rows, style, topInset = 0 }) {
  const size = useVideoSize(videoRef);
  const rect = contentRect(size.w, size.h, size.vw, size.vh);
  const boxes = rect ? (rows || []).filter(hasBox) : [];
  return (
    <div class="pointer-events-none absolute left-0 top-0 h-full w-full overflow-hidden" style={style} data-testid="detection-overlay">
      {boxes.map((d, i) => {
        const b = placeBox(d, rect);
        // Above the box when there is room inside the picture and below the covered strip; else inside the box, just
        // under that strip. Right half: the label grows leftwards, so it stays in view.
        const floor = Math.max(rect.top, topInset);
        const labelTop = b.top - LABEL >= floor ? -LABEL : Math.max(0, floor - b.top);
        const right = b.left + b.width / 2 > rect.left + rect.width / 2;
        return (
          <div key={`${d.label}-${d.timestamp}-${i}`} class="absolute rounded-sm border-2 border-lime-400 shadow-[0_0_0_1px_rgba(0,0,0,0.6)]"
            style={{ left: `${b.left}px`, top: `${b.top}px`, width: `${b.width}px`, height: `${b.height}px` }}
            data-testid="detection-box" data-label={d.label}>
            <span class={`absolute whitespace-nowrap bg-lime-400 px-1 text-[10px] font-semibold leading-4 text-black sm:text-xs sm:leading-[18px] ${right ? 'right-0' : 'left-0'}`}
              style={{ top: `${labelTop}px` }} data-testid="detection-label">
              {boxLabel(d)}
            </span>
          </div>
        );
      })}
    </div>
  );
}
