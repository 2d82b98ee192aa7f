// What the end-to-end suite runs against: a real GStreamer RTSP camera, the real server from build/lightnvr with a
// config in a temp folder, and headless Debian chromium driven by playwright-core (never a downloaded browser).
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const SERVER_BIN = join(ROOT, 'build/lightnvr/lightnvr');
export const CAMERA_SCRIPT = join(ROOT, 'tests/cameras/rtsp_camera.py');
// The ONVIF device STAND-IN (tests/onvif-standin, built by run.sh): written from the ONVIF specs, not a camera.
export const ONVIF_STANDIN_BIN = join(ROOT, 'build/onvif-standin/onvif-standin');
// docs/screenshots is the documentation; E2E_SCREENSHOTS=DIR sends them elsewhere (e.g. to keep the tree clean in CI).
export const SHOTS = process.env.E2E_SCREENSHOTS ? resolve(process.env.E2E_SCREENSHOTS) : join(ROOT, 'docs/screenshots');
export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
export const ADMIN = { username: 'admin', password: 'e2e-Admin-pass-1' };

export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };

/** A TCP port nobody listens on right now (the kernel picks it). */
export function freePort() {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.unref();
    s.on('error', fail);
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => ok(port)); });
  });
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Polls `fn` until it returns a truthy value (returned) or `ms` pass (throws with `what` and the last error). */
export async function waitFor(what, fn, { ms = 20000, every = 250 } = {}) {
  const until = Date.now() + ms;
  let last;
  for (;;) {
    try { const v = await fn(); if (v) return v; } catch (e) { last = e; }
    if (Date.now() > until) throw new Error(`timed out after ${ms} ms waiting for ${what}${last ? `: ${last.message}` : ''}`);
    await sleep(every);
  }
}

// Children still running when node exits (a crash, Ctrl-C, a runner timeout) are killed, never left behind.
// So are the temp folders, unless E2E_KEEP is set.
const children = new Set();
const tempDirs = new Set();
process.on('exit', () => {
  for (const c of children) { try { c.kill('SIGKILL'); } catch { /* gone */ } }
  if (!process.env.E2E_KEEP) for (const d of tempDirs) removeDir(d);
});
for (const sig of ['SIGINT', 'SIGTERM']) process.once(sig, () => process.exit(130));

/** Starts a child, keeps the tail of its output for failure messages, and resolves once `ready` matches stdout. */
function startProcess(name, cmd, args, { ready, ms = 30000, env } = {}) {
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  children.add(child);
  child.on('exit', () => children.delete(child));
  let out = '';
  const keep = (d) => { out = (out + d.toString()).slice(-8000); };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const proc = { name, child, output: () => out };
  if (!ready) return Promise.resolve(proc);
  return new Promise((ok, fail) => {
    const timer = setTimeout(() => { stop(proc); fail(new Error(`${name} not ready after ${ms} ms:\n${out}`)); }, ms);
    const onData = () => { const m = ready.exec(out); if (m) { clearTimeout(timer); child.stdout.off('data', onData); proc.match = m; ok(proc); } };
    child.stdout.on('data', onData);
    child.on('exit', (code, sig) => { clearTimeout(timer); fail(new Error(`${name} exited (${code ?? sig}) before it was ready:\n${out}`)); });
  });
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves when the process has gone. */
export function stop(proc, graceMs = 5000) {
  const c = proc?.child;
  if (!c || c.exitCode !== null || c.signalCode !== null) return Promise.resolve();
  return new Promise((ok) => {
    const kill = setTimeout(() => { try { c.kill('SIGKILL'); } catch { /* gone */ } }, graceMs);
    c.once('exit', () => { clearTimeout(kill); ok(); });
    try { c.kill('SIGTERM'); } catch { clearTimeout(kill); ok(); }
  });
}

/**
 * The GStreamer test camera (tests/cameras/rtsp_camera.py): 640×360, 15 fps, a keyframe every second. SMPTE bars, so
 * a screenshot plainly shows a picture (the default bouncing ball is mostly black).
 */
export async function startCamera({ width = 640, height = 360, name = 'camera', extraArgs = [] } = {}) {
  const port = await freePort();
  const proc = await startProcess(name, '/usr/bin/python3', [CAMERA_SCRIPT, '--port', String(port), '--width', String(width), '--height', String(height), '--fps', '15', '--gop', '15', '--pattern', 'smpte', ...extraArgs],
    { ready: /READY (rtsp:\/\/\S+)/ });
  proc.url = proc.match[1];
  return proc;
}

/**
 * The ONVIF device stand-in (a STAND-IN: no ONVIF camera emulator is packaged anywhere reachable; issue 16 item 7)
 * serving `main`/`sub` as its profiles' RTSP URIs. Resolves with its device service URL and WS-Discovery UDP port;
 * `ops()` lists the SOAP operations it answered.
 */
export async function startOnvifStandIn({ main, sub, username = 'admin', password = 'secret' }) {
  if (!existsSync(ONVIF_STANDIN_BIN)) throw new Error(`${ONVIF_STANDIN_BIN} is missing: tests/e2e/run.sh builds it`);
  const proc = await startProcess('onvif-standin', ONVIF_STANDIN_BIN, ['--main', main, '--sub', sub, '--user', username, '--password', password],
    { ready: /READY (\S+) (\d+)/ });
  proc.deviceUrl = proc.match[1];
  proc.discoveryPort = Number(proc.match[2]);
  proc.ops = () => [...proc.output().matchAll(/^OP (\S+)$/gm)].map((m) => m[1]);
  return proc;
}

/** The real server with everything (database, recordings, log, pid) in a fresh temp folder. */
export async function startServer() {
  if (!existsSync(SERVER_BIN)) throw new Error(`${SERVER_BIN} is missing: run \`make build\` first`);
  const dir = mkdtempSync(join(tmpdir(), 'lightnvr-e2e-'));
  tempDirs.add(dir);
  const [port, rtsp, webrtc, api] = [await freePort(), await freePort(), await freePort(), await freePort()];
  const ini = `; written by tests/e2e
[general]
pid_file = ${dir}/lightnvr.pid
log_file = ${dir}/lightnvr.log
log_level = 2
[web]
port = ${port}
bind_ip = 127.0.0.1
username = ${ADMIN.username}
password = ${ADMIN.password}
[database]
path = ${dir}/lightnvr.db
backup_interval_minutes = 0
[storage]
path = ${dir}/recordings
mp4_path = ${dir}/recordings/mp4
[models]
path = ${dir}/models
[memory]
swap_file = ${dir}/swap
[go2rtc]
rtsp_port = ${rtsp}
api_port = ${api}
webrtc_listen_port = ${webrtc}
stun_enabled = false
`;
  writeFileSync(join(dir, 'lightnvr.ini'), ini);
  const proc = await startProcess('server', SERVER_BIN, ['-c', join(dir, 'lightnvr.ini')], { env: { DOTNET_gcServer: '0' } });
  proc.dir = dir;
  proc.base = `http://127.0.0.1:${port}`;
  proc.rtspPort = rtsp;
  try {
    await waitFor('the server to answer /api/health', async () => {
      if (proc.child.exitCode !== null) throw new Error(`server exited (${proc.child.exitCode}):\n${proc.output()}`);
      const r = await fetch(`${proc.base}/api/health`);
      return r.ok;
    }, { ms: 40000, every: 200 });
  } catch (e) {
    await stop(proc);
    throw e;
  }
  return proc;
}

export function removeDir(dir) {
  if (dir && dir.includes('lightnvr-e2e-')) rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
}

export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--autoplay-policy=no-user-gesture-required', '--disable-dev-shm-usage',
  '--mute-audio'];

export function launchBrowser() {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing (apt-get install chromium)`);
  // A fresh temporary profile per launch (playwright-core's default); executablePath: never a downloaded browser.
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, timeout: 60000 });
}

/**
 * Collects console errors and page errors of every page in `context`. The only accepted one: the 401 chromium logs
 * for GET /api/auth/verify when nobody is logged in (docs/ui.md "Console"). Call `check()` to get the others.
 * `missing`: URL patterns of API routes this server build does not have (found by `probeMissingRoutes`); the UI
 * asks once and hides the feature, and chromium logs that one 404, which is accepted only for those routes.
 */
export function watchConsole(context, label, missing = []) {
  const errors = [];
  const allowed = [];
  const hook = (page) => {
    page.on('console', (msg) => {
      if (msg.type() !== 'error') return;
      const loc = msg.location()?.url || '';
      const text = msg.text();
      // chromium's "Failed to load resource: ... 401" line names the URL only in location().
      if (/status of 401/.test(text) && /\/api\/auth\/verify/.test(loc)) { allowed.push(text); return; }
      if (/status of 404/.test(text) && missing.some((re) => re.test(loc))) { allowed.push(`${text} (${loc})`); return; }
      errors.push(`[${label}] console error: ${text}${loc ? ` (${loc})` : ''}`);
    });
    page.on('pageerror', (err) => errors.push(`[${label}] page error: ${err.message}`));
  };
  context.pages().forEach(hook);
  context.on('page', hook);
  return {
    errors,
    allowed,
    /** Lets a test accept specific expected messages (e.g. a 403 it provoked on purpose). */
    take: (re) => { for (let i = errors.length - 1; i >= 0; i--) if (re.test(errors[i])) errors.splice(i, 1); },
  };
}

/**
 * Which optional API routes this server lacks (the detection work lands separately from the UI): an anonymous GET
 * answers 404 from the catch-all when the route does not exist and 401 when it does. Returns {events, zones} flags
 * and the URL patterns watchConsole should accept a 404 for.
 */
export async function probeMissingRoutes(base) {
  const missing = async (path) => (await fetch(`${base}${path}`, { redirect: 'manual' })).status === 404;
  const events = await missing('/api/events');
  const zones = await missing('/api/streams/x/zones');
  const patterns = [];
  if (events) patterns.push(/\/api\/events(\?|\/|$)/);
  if (zones) patterns.push(/\/api\/streams\/[^/]+\/zones/);
  return { events, zones, patterns };
}

/** Logs in through the form on /login (returns once the app has navigated away from /login). */
export async function loginViaForm(page, base, { username, password }, { next = '' } = {}) {
  await page.goto(`${base}/login${next ? `?next=${encodeURIComponent(next)}` : ''}`);
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
  await page.waitForURL((u) => !u.pathname.startsWith('/login'), { timeout: 15000 });
}

/** docs/screenshots/<name>-<desktop|phone>.png */
export async function screenshot(page, name, kind) {
  mkdirSync(SHOTS, { recursive: true });
  // Let toasts and transitions settle, park the mouse so no hover styles show.
  await page.mouse.move(0, 0).catch(() => {});
  await page.screenshot({ path: join(SHOTS, `${name}-${kind}.png`), animations: 'disabled', caret: 'hide' });
}

/** JSON API call with the cookies of `context` (playwright's request object shares them). */
export async function apiJson(context, base, method, path, body) {
  const r = await context.request.fetch(`${base}${path}`, { method, data: body, headers: { 'content-type': 'application/json' }, failOnStatusCode: false });
  let json = null;
  try { json = await r.json(); } catch { /* not JSON */ }
  return { status: r.status(), json };
}

export function readLog(dir) {
  try { return readFileSync(join(dir, 'lightnvr.log'), 'utf8'); } catch { return ''; }
}
