// Same-origin JSON API client. Errors carry the server's {"error": "..."} message; a 401 sends the browser
// to /login?next=<the page asked for> (except for the login/verify calls themselves, which handle it).
import { navigate, currentUrl } from './router.js';

export const UNAUTHORIZED_EVENT = 'lightnvr:unauthorized';

export class ApiError extends Error {
  constructor(status, message, body) {
    super(message);
    this.status = status;
    this.body = body;
  }
}

/** Extracts a readable message from an error body in any of upstream's shapes. */
export function errorMessage(status, body) {
  if (body && typeof body === 'object') {
    if (typeof body.error === 'string') return body.error;
    if (body.error && typeof body.error.message === 'string') return body.error.message; // YAML validation shape
    if (typeof body.message === 'string') return body.message; // {"success":false,"message":...}
  }
  if (typeof body === 'string' && body.trim()) return body.trim().slice(0, 300);
  return `Request failed (HTTP ${status})`;
}

/** Where to send the user on 401: /login?next=... unless already there. */
export function loginRedirectUrl(from = currentUrl()) {
  if (from.startsWith('/login')) return null;
  const next = from && from !== '/' ? `?next=${encodeURIComponent(from)}` : '';
  return `/login${next}`;
}

/** The session is gone: tell the app (it forgets the user) and go to /login?next=<this page>. */
export function handleUnauthorized(from) {
  const to = loginRedirectUrl(from);
  if (typeof window !== 'undefined') window.dispatchEvent(new Event(UNAUTHORIZED_EVENT));
  if (to) navigate(to, { replace: true });
}

export async function request(method, path, body, { noRedirect = false, signal, headers } = {}) {
  const init = { method, credentials: 'same-origin', headers: { Accept: 'application/json', 'X-Requested-With': 'XMLHttpRequest', ...headers }, signal };
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let res;
  try {
    res = await fetch(path, init);
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    throw new ApiError(0, 'Cannot reach the server', null);
  }
  const text = await res.text();
  let data = null;
  if (text) {
    try { data = JSON.parse(text); } catch { data = text; }
  }
  if (res.status === 401 && !noRedirect) {
    handleUnauthorized();
  }
  if (!res.ok) throw new ApiError(res.status, errorMessage(res.status, data), data);
  return data;
}

export const api = {
  get: (p, o) => request('GET', p, undefined, o),
  post: (p, b, o) => request('POST', p, b ?? {}, o),
  put: (p, b, o) => request('PUT', p, b ?? {}, o),
  del: (p, o) => request('DELETE', p, undefined, o),
};

export const enc = encodeURIComponent;
