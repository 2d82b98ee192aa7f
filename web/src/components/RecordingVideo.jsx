// A recording's player with the detection boxes of its time drawn over it (docs/ui.md "Detection boxes"). The
// overlay has no pointer events, so the native controls stay usable; boxes follow seeking. `offset` starts playback
// that many seconds in (a media fragment, #t=).
import { useRef } from 'preact/hooks';
import { enc } from '../lib/api.js';
import { recStart } from '../lib/format.js';
import { DetectionOverlay } from './DetectionOverlay.jsx';
import { usePlaybackDetections } from './useDetections.js';

export function RecordingVideo({ recording, offset, testid = 'recording-video' }) {
  const videoRef = useRef(null);
  const boxes = usePlaybackDetections(videoRef, recording.stream, recStart(recording));
  const fragment = offset != null ? `#t=${offset.toFixed(1)}` : '';
  return (
    <div class="relative bg-black">
      <video ref={videoRef} class="aspect-video w-full bg-black" src={`/api/recordings/play/${enc(recording.id)}${fragment}`} controls autoPlay playsInline data-testid={testid} />
      {boxes.length > 0 && <DetectionOverlay videoRef={videoRef} rows={boxes} />}
    </div>
  );
}
