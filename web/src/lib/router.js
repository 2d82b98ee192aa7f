// A tiny history router: the current path + query as a signal-like store, navigate(), and <a> click interception.
import { useEffect, useState } from 'preact/hooks';

const listeners = new Set();

export function currentUrl() {
  return window.location.pathname + window.location.search;
}

export function navigate(url, { replace = false } = {}) {
  if (url === currentUrl()) return;
  if (replace) history.replaceState(null, '', url);
  else history.pushState(null, '', url);
  listeners.forEach((l) => l());
}

if (typeof window !== 'undefined') {
  window.addEventListener('popstate', () => listeners.forEach((l) => l()));
}

/** Re-renders the caller whenever the URL changes; returns {path, query (URLSearchParams), url}. */
export function useLocation() {
  const [, force] = useState(0);
  useEffect(() => {
    const l = () => force((n) => n + 1);
    listeners.add(l);
    return () => listeners.delete(l);
  }, []);
  return { path: window.location.pathname, query: new URLSearchParams(window.location.search), url: currentUrl() };
}

/** Same-origin left clicks on <a href="/..."> become pushState navigations. */
export function interceptLinks(root = document) {
  root.addEventListener('click', (e) => {
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    const a = e.target.closest && e.target.closest('a[href]');
    if (!a || a.target || a.hasAttribute('download')) return;
    const href = a.getAttribute('href');
    if (!href.startsWith('/') || href.startsWith('//') || href.startsWith('/api/') || href.startsWith('/go2rtc/') || href.startsWith('/hls/')) return;
    e.preventDefault();
    navigate(href);
  });
}
