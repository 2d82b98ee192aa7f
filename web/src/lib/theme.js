// Light/dark theme: 'system' (default) follows prefers-color-scheme; the choice is kept in localStorage.
const KEY = 'lightnvr.theme';
export const THEMES = ['system', 'light', 'dark'];

export function getTheme() {
  try { return THEMES.includes(localStorage.getItem(KEY)) ? localStorage.getItem(KEY) : 'system'; } catch { return 'system'; }
}

export function applyTheme(t = getTheme()) {
  const dark = t === 'dark' || (t === 'system' && matchMedia('(prefers-color-scheme: dark)').matches);
  document.documentElement.classList.toggle('dark', dark);
}

export function setTheme(t) {
  try { localStorage.setItem(KEY, t); } catch { /* ignore */ }
  applyTheme(t);
}

if (typeof window !== 'undefined' && window.matchMedia) {
  matchMedia('(prefers-color-scheme: dark)').addEventListener?.('change', () => applyTheme());
}
