// Webhooks on the settings page (docs/webhooks.md): the form's model, what goes to POST/PUT /api/webhooks, and the
// last-status wording. The secret is write-only: the server shows "set", the form sends one only when typed or generated.
export const KINDS = [['start', 'Start'], ['update', 'Update'], ['end', 'End']];

/** A random 32-byte secret as hex (the server wants 16–256 characters). */
export function generateSecret(crypto = globalThis.crypto) {
  const bytes = new Uint8Array(32);
  crypto.getRandomValues(bytes);
  return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** The form for a new hook (a fresh secret) or an existing one (secret left empty = keep). */
export function formFor(hook) {
  if (!hook) return { name: '', url: '', events: ['start', 'end'], streams: '', secret: generateSecret(), enabled: true };
  return { name: hook.name || '', url: hook.url, events: [...hook.events], streams: (hook.streams || []).join(', '), secret: '', enabled: !!hook.enabled };
}

/** The request body, or {error} when the form cannot be sent. */
export function toRequest(form, isNew) {
  const url = form.url.trim();
  if (!/^https?:\/\/\S+$/i.test(url)) return { error: 'URL must start with http:// or https://' };
  if (!form.events.length) return { error: 'Choose at least one event kind' };
  if ((isNew || form.secret) && form.secret.length < 16) return { error: 'Secret must be at least 16 characters' };
  const body = {
    name: form.name.trim(),
    url,
    events: KINDS.map(([k]) => k).filter((k) => form.events.includes(k)),
    streams: form.streams.split(',').map((s) => s.trim()).filter(Boolean),
    enabled: !!form.enabled,
  };
  if (form.secret) body.secret = form.secret;
  return { body };
}

/** "OK 200 · 3 min ago", "Failed: HTTP 500", "Never sent" and a tone for the badge. */
export function lastStatus(hook, nowSeconds = Date.now() / 1000) {
  if (hook.last_attempt_at == null) return { text: 'Never sent', tone: 'idle' };
  const ago = agoText(nowSeconds - hook.last_attempt_at);
  const ok = hook.last_status >= 200 && hook.last_status < 300;
  if (ok) return { text: `OK ${hook.last_status} · ${ago}`, tone: 'ok' };
  return { text: `Failed: ${hook.last_error || `HTTP ${hook.last_status}`} · ${ago}`, tone: 'bad' };
}

export function agoText(seconds) {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.round(s / 60)} min ago`;
  if (s < 86400) return `${Math.round(s / 3600)} h ago`;
  return `${Math.round(s / 86400)} d ago`;
}
