import { useEffect, useState } from 'preact/hooks';
import { api, loginRedirectUrl, UNAUTHORIZED_EVENT } from './lib/api.js';
import { AuthContext, can } from './lib/auth.js';
import { navigate, useLocation } from './lib/router.js';
import { applyTheme } from './lib/theme.js';
import { Layout } from './components/Layout.jsx';
import { Loading, Toasts, Empty } from './components/ui.jsx';
import { LoginPage, safeNext } from './pages/Login.jsx';
import { LivePage } from './pages/Live.jsx';
import { RecordingsPage } from './pages/Recordings.jsx';
import { TimelinePage } from './pages/Timeline.jsx';
import { EventsPage } from './pages/Events.jsx';
import { StreamsPage } from './pages/Streams.jsx';
import { SettingsPage } from './pages/Settings.jsx';
import { UsersPage } from './pages/Users.jsx';
import { SystemPage } from './pages/System.jsx';
import { SetupPage } from './pages/Setup.jsx';

const ROUTES = {
  '/live': { page: LivePage },
  '/recordings': { page: RecordingsPage },
  '/timeline': { page: TimelinePage },
  '/events': { page: EventsPage },
  '/streams': { page: StreamsPage },
  '/settings': { page: SettingsPage, admin: true },
  '/users': { page: UsersPage, admin: true },
  '/system': { page: SystemPage, admin: true },
  '/setup': { page: SetupPage, admin: true },
};
const ALIASES = { '/': '/live', '/index.html': '/live', '/login.html': '/login' };

export function App() {
  const loc = useLocation();
  const [user, setUser] = useState(undefined); // undefined = checking, null = logged out

  useEffect(() => {
    applyTheme();
    const forget = () => setUser(null);
    window.addEventListener(UNAUTHORIZED_EVENT, forget);
    return () => window.removeEventListener(UNAUTHORIZED_EVENT, forget);
  }, []);

  useEffect(() => {
    if (ALIASES[loc.path]) navigate(ALIASES[loc.path] + window.location.search, { replace: true });
  }, [loc.path]);

  useEffect(() => {
    if (user !== undefined) return;
    api.get('/api/auth/verify', { noRedirect: true }).then(
      (u) => setUser(u && (u.authenticated || u.demo_mode) ? u : null),
      () => setUser(null),
    );
  }, [user]);

  // Logged out on a protected page -> /login?next=<page>
  useEffect(() => {
    if (user === null && loc.path !== '/login') {
      const to = loginRedirectUrl(loc.url);
      if (to) navigate(to, { replace: true });
    }
  }, [user, loc.url]);

  // First start: an admin of a fresh install is taken to the setup page once per page load until it is done or skipped.
  const [setupAsked, setSetupAsked] = useState(false);
  useEffect(() => {
    if (!user || setupAsked || !can(user, 'admin') || loc.path === '/login') return;
    setSetupAsked(true);
    api.get('/api/setup/status', { noRedirect: true }).then(
      (s) => { if (s && s.complete === false && loc.path !== '/setup') navigate('/setup'); },
      () => {},
    );
  }, [user, loc.path]);

  // Already signed in and sent to /login (e.g. an old bookmark): go where the user wanted.
  useEffect(() => {
    if (loc.path === '/login' && user && !loc.query.get('logout')) navigate(safeNext(loc.query.get('next')), { replace: true });
  }, [user, loc.url]);

  let body;
  if (loc.path === '/login') body = <LoginPage onLogin={(u) => setUser(u)} />;
  else if (user === undefined || user === null) body = <Loading />;
  else {
    const route = ROUTES[loc.path];
    const Page = route?.page;
    body = (
      <Layout>
        {!route ? <Empty>Page not found. <a class="underline" href="/live">Go to Live view</a></Empty>
          : route.admin && !can(user, 'admin') ? <Empty>This page needs the admin role.</Empty>
          : <Page key={loc.path} />}
      </Layout>
    );
  }
  return (
    <AuthContext.Provider value={{ user, setUser }}>
      {body}
      <Toasts />
    </AuthContext.Provider>
  );
}
