// Polls an async batch job until it finishes and shows its progress.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../lib/api.js';

/** Progress fraction 0..1 from a job status body ({current,total}). */
export function jobProgress(j) {
  if (!j || !j.total) return j?.complete || j?.status === 'complete' ? 1 : 0;
  return Math.min(1, Math.max(0, (j.current || 0) / j.total));
}
export const jobDone = (j) => !!j && (j.complete === true || j.status === 'complete' || j.status === 'error');

export function useJobPoll(url, onDone, intervalMs = 700) {
  const [job, setJob] = useState(null);
  const [error, setError] = useState('');
  useEffect(() => {
    if (!url) return undefined;
    let stop = false, t;
    const tick = async () => {
      try {
        const j = await api.get(url);
        if (stop) return;
        setJob(j);
        if (jobDone(j)) { onDone?.(j); return; }
      } catch (e) { if (!stop) { setError(e.message); return; } }
      t = setTimeout(tick, intervalMs);
    };
    tick();
    return () => { stop = true; clearTimeout(t); };
  }, [url]);
  return { job, error };
}

export function ProgressBar({ value, label }) {
  return (
    <div data-testid="job-progress">
      <div class="h-2 w-full overflow-hidden rounded bg-zinc-200 dark:bg-zinc-800" role="progressbar" aria-valuemin="0" aria-valuemax="100" aria-valuenow={Math.round(value * 100)}>
        <div class="h-full bg-blue-600 transition-all" style={{ width: `${value * 100}%` }} />
      </div>
      {label && <p class="muted mt-1">{label}</p>}
    </div>
  );
}
