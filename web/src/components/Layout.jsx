import { useState } from 'preact/hooks';
import { api } from '../lib/api.js';
import { can, useAuth } from '../lib/auth.js';
import { navigate, useLocation } from '../lib/router.js';
import { getTheme, setTheme, THEMES } from '../lib/theme.js';
import { IconAuto, IconMenu, IconMoon, IconSun } from './icons.jsx';
import { AccountModal } from './AccountModal.jsx';

const NAV = [
  { href: '/live', label: 'Live' },
  { href: '/recordings', label: 'Recordings' },
  { href: '/timeline', label: 'Timeline' },
  { href: '/events', label: 'Events' },
  { href: '/streams', label: 'Streams' },
  { href: '/settings', label: 'Settings', admin: true },
  { href: '/users', label: 'Users', admin: true },
  { href: '/system', label: 'System', admin: true },
];

export function Layout({ children }) {
  const { user, setUser } = useAuth();
  const { path } = useLocation();
  const [open, setOpen] = useState(false);
  const [theme, setThemeState] = useState(getTheme());
  const [account, setAccount] = useState(false);
  const [leaving, setLeaving] = useState(false);
  const items = NAV.filter((n) => !n.admin || can(user, 'admin'));

  const cycleTheme = () => {
    const t = THEMES[(THEMES.indexOf(theme) + 1) % THEMES.length];
    setTheme(t); setThemeState(t);
  };
  // The page goes first: its players stop and cancel what they were asking before the session ends, so none of them
  // asks again with a cookie that no longer works (a 401 the browser would print). Then the session ends.
  const logout = async () => {
    setLeaving(true);
    await new Promise((r) => setTimeout(r, 0)); // the render that unmounts the page
    try { await api.post('/api/auth/logout', {}, { noRedirect: true }); } catch { /* cookie cleared anyway */ }
    setUser(null);
    navigate('/login?logout=true');
  };

  return (
    <div class="min-h-screen">
      <a href="#main" class="sr-only focus:not-sr-only focus:absolute focus:p-2">Skip to content</a>
      <header class="sticky top-0 z-40 border-b border-zinc-200 bg-white/95 backdrop-blur dark:border-zinc-800 dark:bg-zinc-900/95">
        <div class="mx-auto flex max-w-[1800px] items-center gap-2 px-3 py-2">
          <a href="/live" class="mr-2 flex items-center gap-2 font-semibold"><span class="inline-block h-3 w-3 rounded-full bg-red-600" />LightNVR</a>
          <button class="btn btn-sm lg:hidden" aria-expanded={open} aria-label="Menu" onClick={() => setOpen(!open)}><IconMenu /></button>
          <nav class={`${open ? 'flex' : 'hidden'} absolute left-0 right-0 top-full flex-col border-b border-zinc-200 bg-white p-2 lg:static lg:flex lg:flex-row lg:border-0 lg:bg-transparent lg:p-0 dark:border-zinc-800 dark:bg-zinc-900 lg:dark:bg-transparent`} aria-label="Main">
            {items.map((n) => (
              <a key={n.href} href={n.href} onClick={() => setOpen(false)} data-testid={`nav-${n.label.toLowerCase()}`}
                aria-current={path.startsWith(n.href) ? 'page' : undefined}
                class={`rounded-md px-3 py-2 text-sm ${path.startsWith(n.href) ? 'bg-zinc-200 font-semibold dark:bg-zinc-800' : 'hover:bg-zinc-100 dark:hover:bg-zinc-800'}`}>
                {n.label}
              </a>
            ))}
          </nav>
          <div class="ml-auto flex items-center gap-2">
            <button class="btn btn-sm" onClick={cycleTheme} title={`Theme: ${theme}`} aria-label={`Theme: ${theme}`} data-testid="theme-toggle">
              {theme === 'dark' ? <IconMoon /> : theme === 'light' ? <IconSun /> : <IconAuto />}
            </button>
            <button class="btn btn-sm" onClick={() => setAccount(true)} title="Account" data-testid="account-open">
              <span data-testid="current-user">{user?.username}</span><span class="hidden text-zinc-500 xl:inline">({user?.role})</span>
            </button>
            <button class="btn btn-sm" onClick={logout} data-testid="logout">Log out</button>
          </div>
        </div>
      </header>
      <main id="main" class="mx-auto max-w-[1800px] p-3 sm:p-4">{leaving ? <p class="muted" role="status">Logging out…</p> : children}</main>
      {account && <AccountModal user={user} onClose={() => setAccount(false)} />}
    </div>
  );
}
