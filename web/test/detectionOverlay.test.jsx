// Detection boxes over video: letterbox maths, which rows belong to a moment, the live tile polling
// GET /api/detection/results and drawing boxes while it plays, and recording playback following the video's time.
import { describe, it, expect, vi, beforeEach, afterEach } from 'vitest';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { boxesAt, contentRect, isObjectModel, placeBox, windowQuery } from '../src/lib/detectionBoxes.js';

vi.mock('../src/lib/player/select.js', () => ({ choosePlayers: () => [{ kind: 'mse', url: '/fake' }] }));
vi.mock('../src/lib/player/index.js', () => ({
  AVAILABLE: { mse: true },
  PLAYERS: { mse: (_video, _url, cb) => ({ start: () => cb.onPlaying(), stop: () => {} }) },
}));
const { VideoTile } = await import('../src/components/VideoTile.jsx');
const { RecordingVideo } = await import('../src/components/RecordingVideo.jsx');

let root;
const flush = async () => { for (let i = 0; i < 6; i++) await act(() => new Promise((r) => setTimeout(r, 0))); };
const qa = (s) => [...root.querySelectorAll(s)];
const px = (el, k) => parseFloat(el.style[k]);

/** The <video> layout happy-dom lacks: an element of w×h showing a vw×vh picture. */
function videoLayout(w, h, vw, vh) {
  const proto = HTMLVideoElement.prototype;
  for (const [k, v] of Object.entries({ clientWidth: w, clientHeight: h, videoWidth: vw, videoHeight: vh })) {
    Object.defineProperty(proto, k, { configurable: true, get: () => v });
  }
}

function server(rows) {
  const calls = [];
  vi.stubGlobal('fetch', vi.fn(async (url) => {
    calls.push(url);
    const body = url.startsWith('/api/detection/results/') ? { detections: rows(url), timestamp: '', stream_status: 'running' } : {};
    return { status: 200, ok: true, text: async () => JSON.stringify(body) };
  }));
  return calls;
}

beforeEach(() => { root = document.createElement('div'); document.body.appendChild(root); });
afterEach(() => {
  render(null, root); root.remove(); vi.unstubAllGlobals(); vi.useRealTimers();
  for (const k of ['clientWidth', 'clientHeight', 'videoWidth', 'videoHeight']) delete HTMLVideoElement.prototype[k];
});

describe('Box geometry', () => {
  it('letterboxes a 16:9 picture in a 4:3 element and pillarboxes a 4:3 picture in a 16:9 element', () => {
    expect(contentRect(400, 300, 1280, 720)).toEqual({ left: 0, top: 37.5, width: 400, height: 225 });
    expect(contentRect(320, 180, 640, 480)).toEqual({ left: 40, top: 0, width: 240, height: 180 });
    expect(contentRect(320, 180, 0, 0)).toEqual({ left: 0, top: 0, width: 320, height: 180 }); // size not known yet
    expect(contentRect(0, 0, 640, 480)).toBeNull();
  });

  it('places a normalised box inside the picture and clamps what sticks out', () => {
    const rect = contentRect(320, 180, 640, 480); // pillarbox: picture 240×180 at x 40
    expect(placeBox({ x: 0.5, y: 0.25, width: 0.25, height: 0.5 }, rect)).toEqual({ left: 160, top: 45, width: 60, height: 90 });
    expect(placeBox({ x: -0.1, y: 0.9, width: 0.3, height: 0.5 }, rect)).toEqual({ left: 40, top: 162, width: 48, height: 18 });
  });

  it('shows the newest second of boxed rows while it is fresh, nothing after the hold', () => {
    const rows = [
      { label: 'person', timestamp: 100, x: 0.1, y: 0.1, width: 0.2, height: 0.2 },
      { label: 'car', timestamp: 100, x: 0.5, y: 0.5, width: 0.2, height: 0.2 },
      { label: 'person', timestamp: 98, x: 0.2, y: 0.1, width: 0.2, height: 0.2 },
      { label: 'motion', timestamp: 101, x: 0, y: 0, width: 0, height: 0 }, // no box: ignored
    ];
    expect(boxesAt(rows, 100.5).map((r) => r.label)).toEqual(['person', 'car']);
    expect(boxesAt(rows, 99.2).map((r) => r.timestamp)).toEqual([98]);
    expect(boxesAt(rows, 102.1)).toEqual([]);
    expect(boxesAt(rows, 102.1, 3)).toHaveLength(2);
    expect(boxesAt(rows, 97)).toEqual([]);
  });

  it('asks for boxes only on object detection streams', () => {
    expect(['yolov8n.onnx', 'onnx', 'api-detection'].map(isObjectModel)).toEqual([true, true, true]);
    expect(['motion', 'MOTION', 'none', 'onvif', '', undefined].map(isObjectModel)).toEqual([false, false, false, false, false, false]);
    expect(windowQuery('front door', 3)).toBe('/api/detection/results/front%20door?start=13&end=20');
  });
});

describe('Live tile boxes', () => {
  it('polls the stream detections while playing and draws them where the picture is (letterboxed)', async () => {
    videoLayout(400, 300, 1280, 720); // picture 400×225 at y 37.5
    const now = Math.floor(Date.now() / 1000);
    const calls = server(() => [{ label: 'person', confidence: 0.62, x: 0.25, y: 0.2, width: 0.5, height: 0.6, timestamp: now, end_timestamp: now }]);
    const stream = { name: 'porch', enabled: true, detection_model: 'onnx', detection_interval: 1 };
    await act(() => render(<VideoTile stream={stream} caps={{}} server={{}} />, root));
    await flush();

    expect(calls).toContain('/api/detection/results/porch');
    const [box] = qa('[data-testid=detection-box]');
    expect(box.dataset.label).toBe('person');
    expect(box.textContent).toBe('person 62%');
    expect([px(box, 'left'), px(box, 'top'), px(box, 'width'), px(box, 'height')]).toEqual([100, 37.5 + 45, 200, 135]);
    expect(box.querySelector('[data-testid=detection-label]').style.top).toBe('-18px'); // room above the box, below the name bar
    expect(root.querySelector('[data-testid=detection-overlay]').className).toContain('pointer-events-none'); // taps reach the tile
  });

  it('keeps the label of a box at the top of the tile below the name bar, at the right edge of a box in the right half', async () => {
    videoLayout(366, 206, 512, 512); // a square camera pillarboxed in a phone tile: picture 206×206 at x 80
    const now = Math.floor(Date.now() / 1000);
    server(() => [{ label: 'person', confidence: 0.62, x: 0.55, y: 0.02, width: 0.4, height: 0.95, timestamp: now }]);
    await act(() => render(<VideoTile stream={{ name: 'porch', detection_model: 'onnx', detection_interval: 1 }} caps={{}} server={{}} />, root));
    await flush();
    const [box] = qa('[data-testid=detection-box]');
    expect(px(box, 'left')).toBeCloseTo(80 + (0.55 * 206), 1);
    const label = box.querySelector('[data-testid=detection-label]');
    expect(px(label, 'top')).toBeCloseTo(30 - (0.02 * 206), 1); // pushed down inside the box to just under the 30 px bar
    expect(label.className.split(' ')).toContain('right-0');
  });

  it('neither polls nor draws while the Live page hides boxes', async () => {
    videoLayout(400, 225, 1280, 720);
    const now = Math.floor(Date.now() / 1000);
    const calls = server(() => [{ label: 'person', confidence: 0.9, x: 0.1, y: 0.1, width: 0.2, height: 0.2, timestamp: now }]);
    await act(() => render(<VideoTile stream={{ name: 'a', detection_model: 'onnx', detection_interval: 1 }} caps={{}} server={{}} showBoxes={false} />, root));
    await flush();
    expect(calls.filter((u) => u.startsWith('/api/detection/results/'))).toEqual([]);
    expect(qa('[data-testid=detection-box]')).toHaveLength(0);
  });

  it('draws nothing for stale rows, and does not poll motion-only streams', async () => {
    videoLayout(400, 225, 1280, 720);
    const old = Math.floor(Date.now() / 1000) - 20;
    const calls = server(() => [{ label: 'person', confidence: 0.9, x: 0.1, y: 0.1, width: 0.2, height: 0.2, timestamp: old }]);
    await act(() => render(<div>
      <VideoTile stream={{ name: 'a', detection_model: 'onnx', detection_interval: 1 }} caps={{}} server={{}} />
      <VideoTile stream={{ name: 'b', detection_model: 'motion', detection_interval: 1 }} caps={{}} server={{}} />
    </div>, root));
    await flush();
    expect(calls.filter((u) => u.startsWith('/api/detection/results/'))).toEqual(['/api/detection/results/a']);
    expect(qa('[data-testid=detection-box]')).toHaveLength(0);
  });
});

describe('Recording playback boxes', () => {
  it('fetches the detections of the 5 s window at the video time and moves with seeking', async () => {
    videoLayout(640, 480, 640, 360); // letterbox: picture 640×360 at y 60
    const start = 1_700_000_000;
    const calls = server((url) => {
      const from = Number(new URL(url, 'http://x').searchParams.get('start'));
      return [
        { label: 'car', confidence: 0.8, x: 0.5, y: 0.5, width: 0.25, height: 0.25, timestamp: start + 1 },
        { label: 'dog', confidence: 0.7, x: 0, y: 0, width: 0.5, height: 0.5, timestamp: start + 12 },
      ].filter((r) => r.timestamp >= from && r.timestamp <= from + 7);
    });
    await act(() => render(<RecordingVideo recording={{ id: 7, stream: 'drive', start_time_unix: start }} />, root));
    const video = root.querySelector('video');
    const seek = async (t) => { video.currentTime = t; await act(() => video.dispatchEvent(new Event('timeupdate'))); await flush(); };

    await seek(1.4);
    expect(calls).toContain(`/api/detection/results/drive?start=${start - 2}&end=${start + 5}`);
    let [box] = qa('[data-testid=detection-box]');
    expect(box.dataset.label).toBe('car');
    expect([px(box, 'left'), px(box, 'top'), px(box, 'width'), px(box, 'height')]).toEqual([320, 60 + 180, 160, 90]);

    await seek(4); // 3 s after the car's row: gone
    expect(qa('[data-testid=detection-box]')).toHaveLength(0);

    await seek(12.5);
    expect(calls).toContain(`/api/detection/results/drive?start=${start + 8}&end=${start + 15}`);
    [box] = qa('[data-testid=detection-box]');
    expect(box.dataset.label).toBe('dog');
    const label = box.querySelector('[data-testid=detection-label]');
    expect(label.style.top).toBe('0px'); // at the picture's top edge: label inside the box
    expect(label.className.split(' ')).toContain('left-0'); // left half: label from the box's left edge
  });
});

describe('Event playback boxes', () => {
  it('plays the event recording from 2 s before the event with the boxes of that time', async () => {
    videoLayout(640, 360, 640, 360);
    const start = 1_700_000_100;
    const calls = server(() => [{ label: 'person', confidence: 0.6, x: 0.1, y: 0.2, width: 0.3, height: 0.4, timestamp: start + 5 }]);
    const { EventPlayer } = await import('../src/pages/Events.jsx');
    const fetchJson = globalThis.fetch;
    vi.stubGlobal('fetch', vi.fn(async (url, init) => (url === '/api/recordings/9'
      ? { status: 200, ok: true, text: async () => JSON.stringify({ id: 9, stream: 'porch', start_time_unix: start }) }
      : fetchJson(url, init))));
    await act(() => render(<EventPlayer ev={{ id: 1, recording_id: 9, stream: 'porch', source: 'object', label: 'person', start_time: start + 5 }} onClose={() => {}} />, root));
    await flush();
    const video = root.querySelector('[data-testid=event-video]');
    expect(video.getAttribute('src')).toBe('/api/recordings/play/9#t=3.0');
    video.currentTime = 5.2;
    await act(() => video.dispatchEvent(new Event('timeupdate')));
    await flush();
    expect(calls).toContain(`/api/detection/results/porch?start=${start + 3}&end=${start + 10}`);
    const [box] = qa('[data-testid=detection-box]');
    expect([px(box, 'left'), px(box, 'top'), px(box, 'width'), px(box, 'height')]).toEqual([64, 72, 192, 144]);
  });
});
