import { useState } from 'preact/hooks';
import { api, enc } from '../lib/api.js';
import { can, useAuth } from '../lib/auth.js';
import { fetchStreams, streamTags } from '../lib/streams.js';
import { maskUrl } from '../lib/streamForm.js';
import { Confirm, Empty, ErrorBox, Loading, toast, useFetch } from '../components/ui.jsx';
import { StreamForm } from '../components/StreamForm.jsx';
import { OnvifAddModal } from '../components/OnvifAddModal.jsx';
import { ProgressBar, jobProgress, useJobPoll } from '../components/BatchJob.jsx';

// Progress of "also delete its recordings" (a batch delete job the server started with the stream's delete).
function DeleteRecordingsProgress({ job, onDone }) {
  const { job: j, error } = useJobPoll(`/api/recordings/batch-delete/progress/${enc(job.id)}`, (done) => {
    toast(`${job.name}: ${done.succeeded ?? 0} recording(s) deleted`);
    onDone();
  });
  return (
    <div class="card mb-3 p-3" data-testid="stream-delete-progress">
      <p class="mb-1 text-sm">Deleting the recordings of {job.name}…</p>
      {error ? <ErrorBox error={error} /> : <ProgressBar value={jobProgress(j)} label={j?.status_message} />}
    </div>
  );
}

export function statusClass(status) {
  const s = String(status || '').toLowerCase();
  if (s === 'running' || s === 'connected' || s === 'up') return 'bg-green-200 text-green-900 dark:bg-green-900 dark:text-green-100';
  if (s === 'error' || s === 'down') return 'bg-red-200 text-red-900 dark:bg-red-900 dark:text-red-100';
  if (s === 'starting' || s === 'reconnecting' || s === 'degraded') return 'bg-amber-200 text-amber-900 dark:bg-amber-900 dark:text-amber-100';
  return 'bg-zinc-200 text-zinc-800 dark:bg-zinc-800 dark:text-zinc-200';
}

export function StreamsPage() {
  const { user } = useAuth();
  const mayEdit = can(user, 'edit');
  const { data, error, loading, reload } = useFetch(fetchStreams);
  const [editing, setEditing] = useState(null); // null | 'new' | stream
  const [addingOnvif, setAddingOnvif] = useState(false);
  const [deleting, setDeleting] = useState(null);
  const [withRecs, setWithRecs] = useState(false);
  const [recJob, setRecJob] = useState(null); // {id, name}: the recordings delete job of a deleted stream

  const toggleEnabled = async (s) => {
    try {
      await api.put(`/api/streams/${enc(s.name)}`, s.enabled === false ? { enabled: true, enable_disabled: true } : { enabled: false });
      toast(`${s.name} ${s.enabled === false ? 'enabled' : 'disabled'}`);
      setTimeout(reload, 300); // PUT is applied asynchronously (202)
    } catch (e) { toast(e.message, 'error'); }
  };
  const togglePrivacy = async (s) => {
    try { await api.put(`/api/streams/${enc(s.name)}`, { set_privacy_mode: !s.privacy_mode }); toast(`${s.name}: privacy ${s.privacy_mode ? 'off' : 'on'}`); reload(); }
    catch (e) { toast(e.message, 'error'); }
  };
  const edit = async (s) => {
    try { const full = await api.get(`/api/streams/${enc(s.name)}`); setEditing(full?.stream || full || s); }
    catch { setEditing(s); }
  };

  const streams = data || [];
  return (
    <div>
      <div class="mb-3 flex items-center gap-2">
        <h1 class="mr-auto text-lg font-semibold">Streams</h1>
        <button class="btn btn-sm" onClick={reload}>Refresh</button>
        {mayEdit && <button class="btn" onClick={() => setAddingOnvif(true)} data-testid="stream-add-onvif">Add ONVIF camera</button>}
        {mayEdit && <button class="btn btn-primary" onClick={() => setEditing('new')} data-testid="stream-add">Add stream</button>}
      </div>
      {loading && !data ? <Loading /> : error ? <ErrorBox error={error} onRetry={reload} /> : streams.length === 0 ? (
        <Empty>No streams yet.{mayEdit && <> <button class="underline" onClick={() => setEditing('new')}>Add your first camera</button>.</>}</Empty>
      ) : (
        <div class="grid grid-cols-1 gap-3 md:grid-cols-2 xl:grid-cols-3" data-testid="streams-list">
          {streams.map((s) => (
            <div key={s.name} class="card" data-testid="stream-row" data-stream={s.name}>
              <div class="flex items-start gap-2">
                <div class="min-w-0 flex-1">
                  <div class="font-semibold">{s.name}</div>
                  <div class="muted truncate font-mono text-xs" title={maskUrl(s.url)}>{maskUrl(s.url)}</div>
                </div>
                <span class={`badge ${statusClass(s.enabled === false ? 'disabled' : s.status)}`} data-testid="stream-status" title={s.error_message || ''}>{s.enabled === false ? 'Disabled' : s.status || 'Unknown'}</span>
              </div>
              {s.error_message && <p class="mt-1 text-xs text-red-600">{s.error_message}</p>}
              <div class="mt-2 flex flex-wrap gap-1 text-xs">
                {s.width > 0 && <span class="badge bg-zinc-100 dark:bg-zinc-800">{s.width}×{s.height}</span>}
                {s.fps > 0 && <span class="badge bg-zinc-100 dark:bg-zinc-800">{s.fps} fps</span>}
                {s.codec && <span class="badge bg-zinc-100 dark:bg-zinc-800">{s.codec}</span>}
                {s.record && <span class="badge bg-red-100 text-red-800 dark:bg-red-950 dark:text-red-200">● rec</span>}
                {s.detection_based_recording && <span class="badge bg-purple-100 dark:bg-purple-950">detection</span>}
                {s.privacy_mode && <span class="badge bg-zinc-300 dark:bg-zinc-700">privacy</span>}
                {streamTags(s).map((t) => <a key={t} class="badge bg-blue-100 text-blue-900 dark:bg-blue-950 dark:text-blue-200" href={`/live?tag=${enc(t)}`}>#{t}</a>)}
              </div>
              <div class="mt-3 flex flex-wrap gap-1">
                <a class="btn btn-sm" href={`/timeline?stream=${enc(s.name)}`}>Timeline</a>
                <a class="btn btn-sm" href={`/recordings?stream=${enc(s.name)}`}>Recordings</a>
                {mayEdit && <button class="btn btn-sm" onClick={() => edit(s)} data-testid="stream-edit">Edit</button>}
                {mayEdit && <button class="btn btn-sm" onClick={() => toggleEnabled(s)} data-testid="stream-toggle">{s.enabled === false ? 'Enable' : 'Disable'}</button>}
                {mayEdit && s.can_control_privacy !== false && s.enabled !== false && <button class="btn btn-sm" onClick={() => togglePrivacy(s)} aria-pressed={!!s.privacy_mode} data-testid="stream-privacy">{s.privacy_mode ? 'Privacy off' : 'Privacy on'}</button>}
                {mayEdit && <button class="btn btn-sm btn-danger" onClick={() => { setWithRecs(false); setDeleting(s); }} data-testid="stream-delete">Delete</button>}
              </div>
            </div>
          ))}
        </div>
      )}
      {recJob && <DeleteRecordingsProgress job={recJob} onDone={() => setRecJob(null)} />}
      {addingOnvif && <OnvifAddModal onClose={() => setAddingOnvif(false)} onAdded={() => { setAddingOnvif(false); setTimeout(reload, 300); }} />}
      {editing && <StreamForm stream={editing === 'new' ? null : editing} onClose={() => setEditing(null)} onSaved={() => { setEditing(null); setTimeout(reload, 300); }} />}
      {deleting && (
        <Confirm title={`Delete ${deleting.name}`} message="The stream's configuration is removed. Recordings are kept unless you choose otherwise."
          onClose={() => setDeleting(null)}
          onConfirm={async () => {
            const r = await api.del(`/api/streams/${enc(deleting.name)}?permanent=true${withRecs ? '&delete_recordings=true' : ''}`);
            toast(`${deleting.name} deleted`);
            if (r?.delete_recordings_job) setRecJob({ id: r.delete_recordings_job, name: deleting.name });
            else if (r?.delete_recordings_error) toast(r.delete_recordings_error);
            setTimeout(reload, 300);
          }}>
          <label class="flex items-center gap-2 text-sm"><input type="checkbox" class="h-4 w-4" checked={withRecs} onChange={(e) => setWithRecs(e.currentTarget.checked)} data-testid="stream-delete-recordings" />Also delete its recordings</label>
        </Confirm>
      )}
    </div>
  );
}
