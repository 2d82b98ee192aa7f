// Intl-based formatting (no date library).
const dtf = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
const tf = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
const hm = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });

export const fmtDateTime = (unix) => (unix ? dtf.format(new Date(unix * 1000)) : '—');
export const fmtTime = (unix) => tf.format(new Date(unix * 1000));
export const fmtHM = (unix) => hm.format(new Date(unix * 1000));

export function fmtDuration(sec) {
  sec = Math.max(0, Math.round(sec || 0));
  const d = Math.floor(sec / 86400), h = Math.floor((sec % 86400) / 3600), m = Math.floor((sec % 3600) / 60), s = sec % 60;
  if (d) return `${d}d ${h}h ${m}m`;
  if (h) return `${h}h ${m}m`;
  if (m) return `${m}m ${s}s`;
  return `${s}s`;
}

export function fmtBytes(n) {
  if (n == null || !Number.isFinite(Number(n))) return '—';
  n = Number(n);
  const u = ['B', 'KB', 'MB', 'GB', 'TB'];
  let i = 0;
  while (n >= 1024 && i < u.length - 1) { n /= 1024; i++; }
  return `${n.toFixed(i ? 1 : 0)} ${u[i]}`;
}

/** Recording times: prefer *_unix, else parse the ISO string. */
export function recStart(r) { return r.start_time_unix ?? Math.floor(Date.parse(r.start_time) / 1000); }
export function recEnd(r) { return r.end_time_unix ?? Math.floor(Date.parse(r.end_time) / 1000); }
