// Small shared UI pieces: modal (Esc closes, focus trapped to the dialog), confirm, states, toasts.
import { useEffect, useRef, useState } from 'preact/hooks';

export function Modal({ title, onClose, children, wide = false, testid }) {
  const ref = useRef(null);
  useEffect(() => {
    const prev = document.activeElement;
    const onKey = (e) => {
      if (e.key === 'Escape') { e.stopPropagation(); onClose(); return; }
      if (e.key !== 'Tab' || !ref.current) return;
      // Keep Tab inside the dialog.
      const f = [...ref.current.querySelectorAll('a[href],button:not([disabled]),input:not([disabled]),select,textarea,[tabindex="0"]')].filter((el) => el.offsetParent !== null || el === document.activeElement);
      if (!f.length) return;
      const first = f[0], last = f[f.length - 1];
      if (e.shiftKey && document.activeElement === first) { e.preventDefault(); last.focus(); }
      else if (!e.shiftKey && document.activeElement === last) { e.preventDefault(); first.focus(); }
    };
    document.addEventListener('keydown', onKey);
    const first = ref.current?.querySelector('input,select,textarea,button:not([data-close]),[href]');
    (first || ref.current)?.focus();
    return () => { document.removeEventListener('keydown', onKey); prev?.focus?.(); };
  }, []);
  return (
    <div class="fixed inset-0 z-50 flex items-end justify-center bg-black/60 p-0 sm:items-center sm:p-4" onClick={(e) => e.target === e.currentTarget && onClose()}>
      <div ref={ref} tabIndex={-1} role="dialog" aria-modal="true" aria-label={title} data-testid={testid}
        class={`max-h-[95vh] w-full overflow-auto rounded-t-xl bg-white shadow-xl sm:rounded-xl dark:bg-zinc-900 ${wide ? 'sm:max-w-4xl' : 'sm:max-w-lg'}`}>
        <div class="sticky top-0 z-10 flex items-center justify-between border-b border-zinc-200 bg-white px-4 py-3 dark:border-zinc-800 dark:bg-zinc-900">
          <h2 class="text-base font-semibold">{title}</h2>
          <button class="btn btn-sm" data-close onClick={onClose} aria-label="Close">✕</button>
        </div>
        <div class="p-4">{children}</div>
      </div>
    </div>
  );
}

export function Confirm({ title, message, confirmLabel = 'Delete', danger = true, onConfirm, onClose, children }) {
  const [busy, setBusy] = useState(false);
  const [err, setErr] = useState('');
  const go = async () => {
    setBusy(true); setErr('');
    try { await onConfirm(); onClose(); } catch (e) { setErr(e.message); setBusy(false); }
  };
  return (
    <Modal title={title} onClose={onClose} testid="confirm-dialog">
      <p class="mb-3 text-sm">{message}</p>
      {children}
      <ErrorBox error={err} />
      <div class="mt-4 flex justify-end gap-2">
        <button class="btn" onClick={onClose}>Cancel</button>
        <button class={`btn ${danger ? 'btn-danger' : 'btn-primary'}`} disabled={busy} onClick={go} data-testid="confirm-ok">{busy ? 'Working…' : confirmLabel}</button>
      </div>
    </Modal>
  );
}

export function ErrorBox({ error, onRetry, testid = "error" }) {
  if (!error) return null;
  return (
    <div role="alert" class="my-2 rounded-md border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-800 dark:border-red-800 dark:bg-red-950 dark:text-red-200" data-testid={testid}>
      {String(error)} {onRetry && <button class="ml-2 underline" onClick={onRetry}>Retry</button>}
    </div>
  );
}

export const Loading = ({ label = 'Loading…' }) => <p class="muted py-8 text-center" role="status">{label}</p>;

export const Empty = ({ children }) => (
  <div class="rounded-lg border border-dashed border-zinc-300 py-10 text-center text-sm text-zinc-500 dark:border-zinc-700" data-testid="empty">{children}</div>
);

// Toasts: toast('Saved') from anywhere; <Toasts/> renders them.
const toastListeners = new Set();
let toastId = 0;
export function toast(message, kind = 'ok') {
  const t = { id: ++toastId, message, kind };
  toastListeners.forEach((l) => l(t));
}
export function Toasts() {
  const [items, setItems] = useState([]);
  useEffect(() => {
    const l = (t) => {
      setItems((xs) => [...xs, t]);
      setTimeout(() => setItems((xs) => xs.filter((x) => x.id !== t.id)), 4000);
    };
    toastListeners.add(l);
    return () => toastListeners.delete(l);
  }, []);
  return (
    <div class="pointer-events-none fixed bottom-4 right-4 z-[60] flex flex-col gap-2" aria-live="polite">
      {items.map((t) => (
        <div key={t.id} class={`rounded-md px-4 py-2 text-sm text-white shadow-lg ${t.kind === 'error' ? 'bg-red-600' : 'bg-zinc-800'}`}>{t.message}</div>
      ))}
    </div>
  );
}

/** Fetches on mount and when deps change; returns {data, error, loading, reload}. */
export function useFetch(fn, deps = []) {
  const [state, set] = useState({ data: null, error: null, loading: true });
  const [n, setN] = useState(0);
  useEffect(() => {
    let live = true;
    set((s) => ({ ...s, loading: true, error: null }));
    fn().then((data) => live && set({ data, error: null, loading: false }), (e) => live && set({ data: null, error: e.message, loading: false }));
    return () => { live = false; };
  }, [...deps, n]);
  return { ...state, reload: () => setN((x) => x + 1) };
}

export function Field({ label, hint, error, children, id }) {
  return (
    <div>
      <label class="label" for={id}>{label}</label>
      {children}
      {hint && <p class="mt-1 text-xs text-zinc-500">{hint}</p>}
      {error && <p class="mt-1 text-xs text-red-600">{error}</p>}
    </div>
  );
}

export function Toggle({ checked, onChange, label, testid, disabled }) {
  return (
    <label class="flex min-h-10 cursor-pointer items-center gap-2 text-sm">
      <input type="checkbox" class="h-5 w-5 accent-blue-600" checked={!!checked} disabled={disabled} data-testid={testid}
        onChange={(e) => onChange(e.currentTarget.checked)} />
      {label}
    </label>
  );
}
