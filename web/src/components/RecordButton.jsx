// Manual recording on a live tile (upstream's GET/POST /api/streams/{name}/recording): shown to operators
// (admin, user, api); disabled with the reason while continuous recording is in effect (inside its schedule).
import { useEffect, useState } from 'preact/hooks';
import { api, enc } from '../lib/api.js';
import { useAuth, can } from '../lib/auth.js';

export function RecordButton({ name }) {
  const { user } = useAuth();
  const [state, setState] = useState(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const allowed = can(user, 'edit');
  const load = () => api.get(`/api/streams/${enc(name)}/recording`).then(setState).catch(() => setState(null));
  useEffect(() => { if (allowed) load(); }, [name, allowed]);
  if (!allowed || !state) return null;
  const manual = state.capture_method === 'manual';
  const blocked = !manual && !state.manual_control_allowed;
  const toggle = async () => {
    setBusy(true); setError('');
    try {
      await api.post(`/api/streams/${enc(name)}/recording`, { action: manual ? 'stop' : 'start' });
    } catch (e) { setError(e.message); }
    setBusy(false);
    load();
  };
  const title = error || (manual ? 'Stop manual recording'
    : blocked ? 'Continuous recording is in effect (schedule)' : 'Start manual recording');
  return (
    <button class={`btn btn-sm border-0 text-white ${manual ? 'bg-red-600 hover:bg-red-700' : 'bg-black/60 hover:bg-black/80'}`}
      onClick={toggle} disabled={busy || blocked} aria-label={`${title}: ${name}`} title={title}
      data-testid="tile-record" data-recording={manual ? 'manual' : state.state}>
      <span class={`inline-block h-2.5 w-2.5 rounded-full ${manual ? 'animate-pulse bg-white' : 'bg-red-500'}`} />
      {manual && <span class="ml-1 text-xs">REC</span>}
    </button>
  );
}
