// Export of a chosen time range of one stream as one MP4: GET /api/recordings/export?stream=&start=&end=
// (start/end as UTC ISO-8601; the server joins the segments without re-encoding).
import { useState } from 'preact/hooks';
import { enc } from '../lib/api.js';
import { Modal } from './ui.jsx';

const toLocalInput = (unix) => {
  const d = new Date(unix * 1000);
  const p = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
};
const toIso = (local) => new Date(local).toISOString().replace(/\.\d{3}Z$/, 'Z');

export function exportUrl(stream, startUnix, endUnix) {
  const iso = (t) => new Date(t * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  return `/api/recordings/export?stream=${enc(stream)}&start=${enc(iso(startUnix))}&end=${enc(iso(endUnix))}`;
}

export function ExportModal({ streams, defaultStream = '', start, end, onClose }) {
  const now = Math.floor(Date.now() / 1000);
  const [stream, setStream] = useState(defaultStream || streams[0]?.name || '');
  const [from, setFrom] = useState(toLocalInput(start ?? now - 3600));
  const [to, setTo] = useState(toLocalInput(end ?? now));
  const valid = stream && from && to && new Date(from) < new Date(to);
  const href = valid ? `/api/recordings/export?stream=${enc(stream)}&start=${enc(toIso(from))}&end=${enc(toIso(to))}` : undefined;
  return (
    <Modal title="Export a time range" onClose={onClose} testid="export-modal">
      <div class="space-y-3">
        <div><label class="label" for="x-stream">Stream</label>
          <select id="x-stream" class="input" value={stream} onChange={(e) => setStream(e.currentTarget.value)} data-testid="export-stream">
            {streams.map((s) => <option key={s.name} value={s.name}>{s.name}</option>)}
          </select></div>
        <div class="grid grid-cols-1 gap-3 sm:grid-cols-2">
          <div><label class="label" for="x-from">From</label><input id="x-from" type="datetime-local" class="input" value={from} onChange={(e) => setFrom(e.currentTarget.value)} data-testid="export-start" /></div>
          <div><label class="label" for="x-to">To</label><input id="x-to" type="datetime-local" class="input" value={to} onChange={(e) => setTo(e.currentTarget.value)} data-testid="export-end" /></div>
        </div>
        {!valid && <p class="text-xs text-red-600">Choose a stream and an end after the start.</p>}
        <div class="flex justify-end gap-2">
          <button class="btn" onClick={onClose}>Cancel</button>
          <a class={`btn btn-primary ${valid ? '' : 'pointer-events-none opacity-50'}`} href={href} download aria-disabled={!valid} data-testid="export-download">Download MP4</a>
        </div>
      </div>
    </Modal>
  );
}
