// End-to-end: headless Debian chromium against the real server (build/lightnvr) and a real GStreamer RTSP camera.
// One admin session walks through the app the way a person would; a viewer checks what it may not do; screenshots
// of every page at desktop and phone width land in docs/screenshots/. Tests run in order and share state.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { after, before, beforeEach, describe, test as nodeTest } from 'node:test';
import {
  ADMIN, DESKTOP, PHONE, apiJson, launchBrowser, loginViaForm, probeMissingRoutes, readLog, removeDir, screenshot, sleep,
  startCamera, startServer, stop, waitFor, watchConsole,
} from './lib/harness.mjs';

const STREAM = 'frontdoor';
const VIEWER = { username: 'viewer1', password: 'e2e-Viewer-pass-1' };

let camera, server, browser, desk, phone, page, phonePage, deskConsole, phoneConsole;
let missing = { events: false, zones: false, patterns: [] }; // optional API routes this server build lacks
const base = () => server.base;
const keepTemp = !!process.env.E2E_KEEP;
let failed = false;
/** node:test's test(), remembering whether any failed (then the server log tail is printed). */
const test = (name, fn) => nodeTest(name, async (t) => { try { await fn(t); } catch (e) { failed = true; throw e; } });

/** currentTime and decoded frames of the first <video> matching `selector`, sampled `ms` apart. */
async function videoProgress(p, selector, ms = 2500) {
  const sample = () => p.evaluate((sel) => {
    const v = document.querySelector(sel);
    if (!v) return null;
    const q = v.getVideoPlaybackQuality ? v.getVideoPlaybackQuality() : { totalVideoFrames: 0 };
    return { t: v.currentTime, frames: q.totalVideoFrames, w: v.videoWidth, h: v.videoHeight, paused: v.paused, ready: v.readyState, err: v.error?.message || null, src: v.currentSrc };
  }, selector);
  const a = await sample();
  await sleep(ms);
  const b = await sample();
  return { a, b };
}

async function assertVideoAdvances(p, selector, what) {
  // Wait for a first decoded frame, then require both the clock and the decoded frame count to move.
  await waitFor(`${what}: a decoded frame`, () => p.evaluate((sel) => {
    const v = document.querySelector(sel);
    return v && v.readyState >= 2 && v.videoWidth > 0;
  }, selector), { ms: 30000 });
  // A player may rebuffer once right after start (HLS waits for its next segment on a loaded machine), so the
  // video must advance within one of a few 2.5 s windows, not necessarily the first.
  let a, b;
  for (let window = 0; window < 4; window++) {
    ({ a, b } = await videoProgress(p, selector));
    assert.ok(a && b, `${what}: no <video>`);
    assert.equal(b.err, null, `${what}: video error ${b.err}`);
    if (b.t > a.t + 0.8 && b.frames > a.frames + 5) return b;
  }
  assert.ok(b.t > a.t + 0.8, `${what}: currentTime did not advance (${a.t} -> ${b.t})`);
  assert.ok(b.frames > a.frames + 5, `${what}: decoded frames did not grow (${a.frames} -> ${b.frames})`);
  return b;
}

function assertNoConsoleErrors() {
  const all = [...deskConsole.errors, ...phoneConsole.errors];
  deskConsole.errors.length = 0;
  phoneConsole.errors.length = 0;
  assert.deepEqual(all, [], 'console errors');
}

/** The same page at phone width (390×844, touch) in a second context sharing the admin session. */
async function phoneShot(path, name, ready) {
  await phonePage.goto(`${base()}${path}`);
  if (ready) await ready(phonePage);
  await screenshot(phonePage, name, 'phone');
}

describe('LightNVR in chromium', { timeout: 240000 }, () => {
  before(async () => {
    [camera, server] = await Promise.all([startCamera(), startServer()]);
    missing = await probeMissingRoutes(server.base);
    if (missing.events || missing.zones) {
      console.log(`e2e: this server answers 404 for ${[missing.events && '/api/events', missing.zones && '/api/streams/x/zones'].filter(Boolean).join(' and ')}: `
        + 'the tests that need those routes are skipped and the one 404 the UI makes to find out is accepted');
    }
    browser = await launchBrowser();
    desk = await browser.newContext({ viewport: DESKTOP, deviceScaleFactor: 1, locale: 'en-GB', timezoneId: 'UTC', colorScheme: 'light' });
    phone = await browser.newContext({ viewport: PHONE, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'en-GB', timezoneId: 'UTC', colorScheme: 'light' });
    deskConsole = watchConsole(desk, 'desktop', missing.patterns);
    phoneConsole = watchConsole(phone, 'phone', missing.patterns);
    page = await desk.newPage();
    phonePage = await phone.newPage();
    page.setDefaultTimeout(15000);
    phonePage.setDefaultTimeout(15000);
  });

  // Each test answers for the console errors of its own steps.
  beforeEach(() => { if (deskConsole) { deskConsole.errors.length = 0; phoneConsole.errors.length = 0; } });

  after(async () => {
    await browser?.close().catch(() => {});
    await Promise.all([stop(server), stop(camera)]);
    if (server && (failed || keepTemp)) console.log(`--- server log tail (${server.dir}) ---\n${readLog(server.dir).slice(-3000)}`);
    if (!keepTemp) removeDir(server?.dir);
  });

  test('first start: the admin of a fresh install is taken to the setup page and through it to /live', async () => {
    // Its own browser context, so the admin session of the tests below starts logged out as before.
    const ctx = await browser.newContext({ viewport: DESKTOP, deviceScaleFactor: 1, locale: 'en-GB', timezoneId: 'UTC', colorScheme: 'light' });
    try {
      const p = await ctx.newPage();
      p.setDefaultTimeout(15000);
      const before = await apiJson(ctx, base(), 'GET', '/api/setup/status');
      assert.deepEqual(before.json, { complete: false, setup_completed_at: 0 });
      await loginViaForm(p, base(), ADMIN);
      await p.waitForURL(/\/setup$/);
      await p.getByTestId('setup-password').waitFor();
      await screenshot(p, 'setup', 'desktop');
      await p.getByTestId('setup-password-keep').click(); // the configured password stays (the generated-password flow is untouched)
      await assertText(p.getByTestId('setup-storage-result'), /^Writable; .+ free of /);
      await p.getByTestId('setup-storage-next').click();
      await p.getByTestId('setup-camera-skip').click(); // the camera is added on the Streams page by the tests below
      await p.getByTestId('setup-finish').click();
      await p.waitForURL(/\/live$/);
      const after = await apiJson(ctx, base(), 'GET', '/api/setup/status');
      assert.equal(after.json.complete, true);
      assert.ok(after.json.setup_completed_at > 0);
    } finally {
      await ctx.close();
    }
  });

  test('a protected page sends you to /login; a wrong password is refused; the form logs you in and lands on /live', async () => {
    await page.goto(`${base()}/recordings`);
    await page.waitForURL(/\/login\?next=%2Frecordings$/);
    await page.getByTestId('login-form').waitFor();
    await screenshot(page, 'login', 'desktop');
    await phonePage.goto(`${base()}/login`);
    await phonePage.getByTestId('login-form').waitFor();
    await screenshot(phonePage, 'login', 'phone');

    await page.getByTestId('login-username').fill(ADMIN.username);
    await page.getByTestId('login-password').fill('not-the-password');
    await page.getByTestId('login-submit').click();
    await assertText(page.getByTestId('login-error'), /Invalid username or password/);
    deskConsole.take(/status of 401.*\/api\/auth\/login/); // the refused login itself, on purpose

    // Straight to the form on /login: lands on the default page, /live.
    await loginViaForm(page, base(), ADMIN);
    assert.equal(new URL(page.url()).pathname, '/live');
    await assertText(page.getByTestId('current-user'), /^admin$/);
    await page.getByTestId('nav-settings').waitFor();
    // And `next` is honoured.
    await page.goto(`${base()}/login?next=%2Fstreams`);
    await page.waitForURL(/\/streams$/);

    await phone.addCookies(await desk.cookies());
    assertNoConsoleErrors();
  });

  test('add a camera through the streams form; it connects and records', async () => {
    await page.goto(`${base()}/streams`);
    await page.getByTestId('empty').waitFor();
    await page.getByTestId('stream-add').click();
    const form = page.getByTestId('stream-form');
    await form.waitFor();
    await page.getByTestId('stream-field-name').fill(STREAM);
    await page.getByTestId('stream-field-url').fill(camera.url);
    await page.getByTestId('stream-tab-recording').click();
    await page.getByTestId('stream-field-record').check();
    await page.getByTestId('stream-field-segment_duration').fill('10');
    await page.getByTestId('stream-field-record_audio').uncheck();
    await screenshot(page, 'streams-form', 'desktop');
    await page.getByTestId('stream-save').click();
    await form.waitFor({ state: 'detached' });

    const row = page.locator(`[data-testid=stream-row][data-stream=${STREAM}]`);
    await row.waitFor();
    // The row shows the camera's real properties once connected (probed from its SDP/SPS); the page does not poll.
    await waitFor('the stream row to show a running 640×360 camera', async () => {
      const t = await row.textContent();
      if (/Running/i.test(await row.getByTestId('stream-status').textContent()) && /640×360/.test(t) && /15 fps/.test(t)) return true;
      await page.getByRole('button', { name: 'Refresh' }).click();
      return false;
    }, { ms: 30000, every: 1000 });
    const { status, json } = await apiJson(desk, base(), 'GET', `/api/streams/${STREAM}`);
    assert.equal(status, 200);
    assert.equal(json.url, camera.url);
    assert.equal(json.record, true);
    assert.equal(json.segment_duration, 10);
    assert.equal(json.record_audio, false);
    await screenshot(page, 'streams', 'desktop');
    await phoneShot('/streams', 'streams', (p) => p.locator(`[data-testid=stream-row][data-stream=${STREAM}]`).waitFor());
    assertNoConsoleErrors();
  });

  test('stream form: "Test connection" reaches the camera and reports what it sends', async () => {
    await page.goto(`${base()}/streams`);
    await page.locator(`[data-testid=stream-row][data-stream=${STREAM}]`).getByTestId('stream-edit').click();
    await page.getByTestId('stream-form').waitFor();
    assert.equal(await page.getByTestId('stream-field-url').inputValue(), camera.url);
    await page.getByTestId('stream-test').click();
    const result = page.getByTestId('stream-test-result');
    const text = await assertText(result, /^(?!Testing)\S/, 20000); // the answer, whatever it is
    assert.match(text.trim(), /^Connected.*640×360/, `the form shows "${text.trim()}" for POST /api/streams/test`);
    await page.keyboard.press('Escape');
    await page.getByTestId('stream-form').waitFor({ state: 'detached' });
    assertNoConsoleErrors();
  });

  test('zone editor: draw a triangle over a fresh snapshot (mouse), a second zone by touch on the phone, save, reload: both are there', async (t) => {
    if (missing.zones) { t.skip('the server answers 404 for /api/streams/x/zones (zones API not in this build)'); return; }
    const openEditor = async (p) => {
      await p.goto(`${base()}/streams`);
      await p.locator(`[data-testid=stream-row][data-stream=${STREAM}]`).getByTestId('stream-edit').click();
      await p.getByTestId('stream-form').waitFor();
      await p.getByTestId('stream-tab-detection').click();
      await p.getByTestId('zone-editor').waitFor();
      // The picture is a fresh frame of the camera.
      await waitFor('the zone snapshot to load', () => p.getByTestId('zone-snapshot').evaluate((img) => img.complete && img.naturalWidth > 0), { ms: 20000 });
      assert.deepEqual(await p.getByTestId('zone-snapshot').evaluate((img) => [img.naturalWidth, img.naturalHeight]), [640, 360]);
      await p.getByTestId('zone-canvas').scrollIntoViewIfNeeded();
      return p.getByTestId('zone-canvas');
    };
    const at = (box, x, y) => [box.x + x * box.width, box.y + y * box.height];

    const canvas = await openEditor(page);
    const box = await canvas.boundingBox();
    await page.getByTestId('zone-add').click();
    for (const [x, y] of [[0.1, 0.1], [0.6, 0.1], [0.35, 0.7]]) await page.mouse.click(...at(box, x, y));
    assert.equal(await page.getByTestId('zone-point').count(), 3);
    await page.getByTestId('zone-close').click();
    // Drag the third point down a little (the Finish click may have scrolled the dialog: measure again).
    const box2 = await canvas.boundingBox();
    const p3 = (await page.getByTestId('zone-point').nth(2).boundingBox());
    await page.mouse.move(p3.x + p3.width / 2, p3.y + p3.height / 2);
    await page.mouse.down();
    await page.mouse.move(...at(box2, 0.35, 0.8), { steps: 5 });
    await page.mouse.up();
    await page.getByTestId('zone-name').fill('Driveway');
    await page.getByTestId('zone-save').click();
    await page.locator('[data-testid=zone-editor][data-dirty=false]').waitFor();
    await screenshot(page, 'zones', 'desktop');

    let zones = (await apiJson(desk, base(), 'GET', `/api/streams/${STREAM}/zones`)).json.zones;
    assert.equal(zones.length, 1, JSON.stringify(zones));
    assert.equal(zones[0].name, 'Driveway');
    assert.equal(zones[0].enabled, true);
    const want = [[0.1, 0.1], [0.6, 0.1], [0.35, 0.8]];
    zones[0].polygon.forEach((pt, i) => assert.ok(Math.abs(pt.x - want[i][0]) < 0.02 && Math.abs(pt.y - want[i][1]) < 0.02, `point ${i}: ${JSON.stringify(pt)} vs ${want[i]}`));

    // The phone: taps add the points of a second zone.
    const pcanvas = await openEditor(phonePage);
    assert.equal(await phonePage.getByTestId('zone-item').count(), 1, 'the saved zone is listed on the phone');
    await phonePage.getByTestId('zone-add').click();
    const pbox = await pcanvas.boundingBox();
    for (const [x, y] of [[0.7, 0.3], [0.95, 0.3], [0.95, 0.9], [0.7, 0.9]]) await phonePage.touchscreen.tap(...at(pbox, x, y));
    assert.equal(await phonePage.getByTestId('zone-point').count(), 4, 'four taps, four points');
    await phonePage.getByTestId('zone-close').click();
    await phonePage.getByTestId('zone-save').click();
    await phonePage.locator('[data-testid=zone-editor][data-dirty=false]').waitFor();
    await screenshot(phonePage, 'zones', 'phone');
    zones = (await apiJson(desk, base(), 'GET', `/api/streams/${STREAM}/zones`)).json.zones;
    assert.deepEqual(zones.map((z) => z.polygon.length), [3, 4]);

    await page.reload();
    await openEditor(page);
    assert.deepEqual(await page.getByTestId('zone-item').allTextContents(), ['Driveway', 'Zone 2']);
    assert.equal(await page.locator('polygon[data-testid=zone-shape]').count(), 2);
    await page.keyboard.press('Escape');
    await phonePage.goto('about:blank');
    assertNoConsoleErrors();
  });

  test('change a setting: saved, survives a reload, and GET /api/settings agrees', async () => {
    const before = (await apiJson(desk, base(), 'GET', '/api/settings')).json;
    const want = before.retention_days === 21 ? 22 : 21;
    await page.goto(`${base()}/settings`);
    await page.getByTestId('settings-tab-storage').click();
    const field = page.getByTestId('setting-retention_days');
    await field.fill(String(want));
    await assertText(page.getByTestId('settings-save'), /Save \(1\)/);
    await page.getByTestId('settings-save').click();
    await assertText(page.getByTestId('settings-save'), /^Saved$/);
    await page.reload();
    await page.getByTestId('settings-tab-storage').click();
    assert.equal(await page.getByTestId('setting-retention_days').inputValue(), String(want));
    const after = (await apiJson(desk, base(), 'GET', '/api/settings')).json;
    assert.equal(after.retention_days, want);
    await screenshot(page, 'settings', 'desktop');
    await phoneShot('/settings', 'settings', (p) => p.getByTestId('settings-tab-general').waitFor());
    assertNoConsoleErrors();
  });

  test('create a viewer user on /users', async () => {
    await page.goto(`${base()}/users`);
    await page.locator('[data-testid=user-row][data-username=admin]').waitFor();
    await page.getByTestId('user-add').click();
    await page.getByTestId('user-form').waitFor();
    await page.getByTestId('user-username').fill(VIEWER.username);
    await page.getByTestId('user-email').fill('viewer1@example.test');
    await page.getByTestId('user-password-input').fill(VIEWER.password);
    await page.getByTestId('user-role').selectOption({ label: 'viewer' });
    await page.getByTestId('user-save').click();
    await page.getByTestId('user-form').waitFor({ state: 'detached' });
    const row = page.locator(`[data-testid=user-row][data-username=${VIEWER.username}]`);
    await assertText(row, /viewer/);
    const users = (await apiJson(desk, base(), 'GET', '/api/auth/users')).json.users;
    const v = users.find((u) => u.username === VIEWER.username);
    assert.ok(v, 'viewer in GET /api/auth/users');
    assert.equal(v.role, 2, 'role 2 = viewer');
    await screenshot(page, 'users', 'desktop');
    await phoneShot('/users', 'users', (p) => p.locator(`[data-testid=user-row][data-username=${VIEWER.username}]`).waitFor());
    assertNoConsoleErrors();
  });

  test('system page: version, uptime, resources and the log tail', async () => {
    await page.goto(`${base()}/system`);
    await assertText(page.getByTestId('system-version'), /\d+\.\d+/);
    await assertText(page.getByTestId('system-uptime'), /\d/);
    await assertText(page.getByTestId('system-memory'), /\d/);
    // The live log tail shows the server's own lines (the camera started a moment ago).
    await assertText(page.getByTestId('log-lines'), new RegExp(STREAM));
    await page.getByTestId('stream-health').waitFor();
    // The recorder nodes (docs/scale.md): on one box, this node alone, up, holding the camera.
    await page.getByTestId('system-nodes').waitFor();
    assert.equal(await page.getByTestId('node-row').count(), 1, 'one node on one box');
    assert.equal(await page.getByTestId('node-row').first().getAttribute('data-state'), 'up');
    await assertText(page.getByTestId('node-row'), /this node/);
    await screenshot(page, 'system', 'desktop');
    await phoneShot('/system', 'system', (p) => p.getByTestId('system-version').waitFor());
    assertNoConsoleErrors();
  });

  test('system page: "Download database backup" saves a checked copy of the database (POST /api/system/backup)', async () => {
    await page.goto(`${base()}/system`);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('system-backup').click()]);
    assert.match(download.suggestedFilename(), /^lightnvr-backup-\d{8}-\d{6}\.db$/);
    const file = await download.path();
    assert.equal(readFileSync(file).subarray(0, 16).toString('latin1'), 'SQLite format 3\0');
    const out = execFileSync('sqlite3', ['-readonly', file, 'PRAGMA integrity_check; SELECT name FROM streams;']).toString();
    assert.match(out, /^ok\n/, out);
    assert.match(out, new RegExp(`^${STREAM}$`, 'm'), out);
    assertNoConsoleErrors();
  });

  test('system page: stream health lists the camera with its figures (GET /api/health streams_detail)', async () => {
    const health = (await apiJson(desk, base(), 'GET', '/api/health')).json;
    const mine = (health.streams_detail || []).find((x) => x.name === STREAM);
    const info = (await apiJson(desk, base(), 'GET', '/api/system/info')).json;
    assert.ok(mine, `/api/health streams_detail has ${STREAM} (got ${JSON.stringify(health.streams_detail)}; streams ${JSON.stringify(health.streams)}; `
      + `/api/system/info streams ${JSON.stringify(info.streams)}, recordings ${JSON.stringify(info.recordings)})`);
    assert.ok(info.streams.total >= 1 && info.streams.active >= 1, `/api/system/info streams ${JSON.stringify(info.streams)}`);
    await page.goto(`${base()}/system`);
    await page.locator(`[data-testid=health-row][data-stream=${STREAM}]`).waitFor();
    assertNoConsoleErrors();
  });

  test('live: the tile plays the camera and the video advances', async () => {
    await page.goto(`${base()}/live`);
    const tile = page.locator(`[data-testid=live-tile][data-stream=${STREAM}]`);
    await tile.waitFor();
    await page.waitForSelector(`[data-testid=live-tile][data-stream=${STREAM}][data-status=playing]`, { timeout: 30000 }).catch(async (e) => {
      throw new Error(`tile never played: status=${await tile.getAttribute('data-status')} player=${await tile.getAttribute('data-player')} text=${await tile.textContent()}`, { cause: e });
    });
    const sel = `[data-testid=live-tile][data-stream=${STREAM}] video`;
    const v = await assertVideoAdvances(page, sel, 'live tile');
    assert.equal(v.w, 640);
    assert.equal(v.h, 360);
    await screenshot(page, 'live', 'desktop');
    await phoneShot('/live', 'live', async (p) => {
      await p.waitForSelector(`[data-testid=live-tile][data-stream=${STREAM}][data-status=playing]`, { timeout: 30000 });
      await assertVideoAdvances(p, sel, 'live tile (phone)');
    });
    assertNoConsoleErrors();
  });

  test('live: with the player switched to HLS the tile plays over HLS and advances', async () => {
    await phonePage.goto('about:blank'); // one viewer at a time from here on
    await page.goto(`${base()}/live`);
    await page.locator(`[data-testid=live-tile][data-stream=${STREAM}][data-status=playing]`).waitFor({ timeout: 30000 });
    await page.getByTestId('live-player').selectOption('hls'); // switches the playing tile
    try {
      const sel = `[data-testid=live-tile][data-stream=${STREAM}][data-player=hls][data-status=playing]`;
      await page.waitForSelector(sel, { timeout: 40000 }).catch(async (e) => {
        const tile = page.locator(`[data-testid=live-tile][data-stream=${STREAM}]`);
        throw new Error(`HLS tile never played: status=${await tile.getAttribute('data-status')} player=${await tile.getAttribute('data-player')} text=${await tile.textContent()}`, { cause: e });
      });
      await assertVideoAdvances(page, `${sel} video`, 'live tile over HLS');
      await page.reload();
      assert.equal(await page.getByTestId('live-player').inputValue(), 'hls', 'the choice is remembered');
      await page.waitForSelector(sel, { timeout: 40000 });
    } finally {
      await page.getByTestId('live-player').selectOption('auto'); // kept in localStorage: put it back
    }
    assertNoConsoleErrors();
  });

  test('live: with the player switched to WebRTC the tile plays over WebRTC and advances', async () => {
    await page.goto(`${base()}/live`);
    await page.locator(`[data-testid=live-tile][data-stream=${STREAM}][data-status=playing]`).waitFor({ timeout: 30000 });
    await page.getByTestId('live-player').selectOption('webrtc'); // offered: the server has WebRTC on by default
    try {
      const sel = `[data-testid=live-tile][data-stream=${STREAM}][data-player=webrtc][data-status=playing]`;
      await page.waitForSelector(sel, { timeout: 40000 }).catch(async (e) => {
        const tile = page.locator(`[data-testid=live-tile][data-stream=${STREAM}]`);
        throw new Error(`WebRTC tile never played: status=${await tile.getAttribute('data-status')} player=${await tile.getAttribute('data-player')} text=${await tile.textContent()}`, { cause: e });
      });
      await assertVideoAdvances(page, `${sel} video`, 'live tile over WebRTC');
      const size = await page.locator(`${sel} video`).evaluate((v) => [v.videoWidth, v.videoHeight]);
      assert.ok(size[0] > 0 && size[1] > 0, `decoded picture size ${size}`);
    } finally {
      await page.getByTestId('live-player').selectOption('auto'); // kept in localStorage: put it back
    }
    assertNoConsoleErrors();
  });

  test('live: Auto plays over WebRTC first; the tile selector switches one tile to MSE; an H.265 camera skips WebRTC and says why', async () => {
    await page.goto(`${base()}/live`);
    const tileSel = `[data-testid=live-tile][data-stream=${STREAM}]`;
    const rtc = `${tileSel}[data-player=webrtc][data-status=playing]`;
    await page.waitForSelector(rtc, { timeout: 40000 }).catch(async (e) => {
      const tile = page.locator(tileSel);
      throw new Error(`Auto never played over WebRTC: status=${await tile.getAttribute('data-status')} player=${await tile.getAttribute('data-player')} text=${await tile.textContent()}`, { cause: e });
    });
    await assertVideoAdvances(page, `${rtc} video`, 'auto tile over WebRTC');
    assert.match(await page.locator(`${tileSel} [data-testid=tile-status]`).textContent(), /Live · WebRTC/);
    const mode = page.locator(`${tileSel} [data-testid=tile-mode]`);
    await mode.selectOption('mse');
    try {
      const mse = `${tileSel}[data-player=mse][data-status=playing]`;
      await page.waitForSelector(mse, { timeout: 40000 });
      await assertVideoAdvances(page, `${mse} video`, 'tile switched to MSE');
      assert.equal(await page.getByTestId('live-player').inputValue(), 'auto', 'the page keeps its own choice');
    } finally {
      await mode.selectOption('auto'); // back to following the page (the per-tile choice is kept in localStorage)
    }

    const hevc = await startCamera({ name: 'hevc-camera', extraArgs: ['--video', 'h265', '--audio', 'none'] });
    try {
      const made = await apiJson(desk, base(), 'POST', '/api/streams', { name: 'hevc', url: hevc.url, enabled: true, record: false });
      assert.ok(made.status < 300, `POST /api/streams hevc: ${made.status}`);
      await page.goto(`${base()}/live`);
      const note = page.locator('[data-testid=live-tile][data-stream=hevc] [data-testid=tile-note]');
      await note.waitFor({ timeout: 40000 });
      assert.match(await note.getAttribute('title'), /415.*not playable over WebRTC/);
      for (let i = 0; i < 3; i++) { // never WebRTC again for that stream, whatever MSE/HLS make of H.265 here
        assert.notEqual(await page.locator('[data-testid=live-tile][data-stream=hevc]').getAttribute('data-player'), 'webrtc');
        await sleep(1000);
      }
    } finally {
      await page.goto('about:blank'); // no tile of the deleted stream left polling
      await apiJson(desk, base(), 'DELETE', '/api/streams/hevc');
      await stop(hevc);
    }
    deskConsole.errors.length = 0; // the refused offer (415) and H.265 fallbacks here are expected console noise
  });

  test('live: a stream with a sub-stream plays it in its grid tile (320×180) and the main stream when expanded (640×360)', async () => {
    const sub = await startCamera({ width: 320, height: 180, name: 'sub-camera' });
    const name = 'yard';
    try {
      const created = await apiJson(desk, base(), 'POST', '/api/streams',
        { name, url: camera.url, sub_stream_url: sub.url, record: false, record_audio: false });
      assert.equal(created.status, 201, `POST /api/streams: ${JSON.stringify(created)}`);
      await page.goto(`${base()}/live`);
      const grid = `[data-testid=live-tile][data-stream=${name}]`;
      await page.waitForSelector(`${grid}[data-status=playing]`, { timeout: 40000 }).catch(async (e) => {
        const tile = page.locator(grid).first();
        throw new Error(`sub-stream tile never played: status=${await tile.getAttribute('data-status')} text=${await tile.textContent()}`, { cause: e });
      });
      const small = await assertVideoAdvances(page, `${grid} video`, 'grid tile (sub-stream)');
      assert.deepEqual([small.w, small.h], [320, 180], 'the grid tile plays NAME_sub');

      await page.locator(grid).first().hover();
      await page.locator(`${grid} [data-testid=tile-expand]`).first().click();
      const big = `[data-testid=live-expanded] [data-testid=live-tile][data-stream=${name}]`;
      await page.waitForSelector(`${big}[data-status=playing]`, { timeout: 40000 });
      const large = await assertVideoAdvances(page, `${big} video`, 'expanded view (main stream)');
      assert.deepEqual([large.w, large.h], [640, 360], 'the expanded view plays the main stream');
      await page.keyboard.press('Escape');
    } finally {
      await page.goto('about:blank'); // no tile left asking for the stream once it is deleted
      await apiJson(desk, base(), 'DELETE', `/api/streams/${name}`).catch(() => {});
      await stop(sub);
    }
    assertNoConsoleErrors();
  });

  test('recordings: a finished segment is listed and plays in the modal', async () => {
    // segment_duration = 10 s: the first complete segment exists ~10 s after the camera connected.
    const list = await waitFor('a recording of the camera in GET /api/recordings', async () => {
      const r = await apiJson(desk, base(), 'GET', `/api/recordings?stream=${STREAM}`);
      return r.json?.recordings?.length ? r.json.recordings : null;
    }, { ms: 40000, every: 1000 });
    const rec = list[0];
    assert.ok(rec.duration >= 5, `duration ${rec.duration}`);

    await page.goto(`${base()}/recordings`);
    const row = page.locator(`[data-testid=recording-row][data-id="${rec.id}"]`);
    await assertText(row, new RegExp(STREAM));
    await screenshot(page, 'recordings', 'desktop');
    await phoneShot('/recordings', 'recordings', (p) => p.getByTestId('recording-row').first().waitFor());

    await row.getByTestId('recording-play').click();
    await page.getByTestId('player-modal').waitFor();
    const v = await assertVideoAdvances(page, '[data-testid=recording-video]', 'recording in the modal');
    assert.equal(v.w, 640);
    assert.match(v.src, new RegExp(`/api/recordings/play/${rec.id}$`));
    const duration = await page.getByTestId('recording-video').evaluate((el) => el.duration);
    assert.ok(Math.abs(duration - rec.duration) <= 1.5, `media duration ${duration} s vs listed ${rec.duration} s`);
    await screenshot(page, 'recordings-play', 'desktop');
    await page.keyboard.press('Escape');
    await page.getByTestId('player-modal').waitFor({ state: 'detached' });
    assertNoConsoleErrors();
  });

  test('timeline: segments are drawn; dragging on the ruler moves the cursor and the video seeks there', async () => {
    // The day of the first recording (the suite may run across midnight; the browser runs in UTC).
    const first = (await apiJson(desk, base(), 'GET', `/api/recordings?stream=${STREAM}&sort=start_time&order=asc&limit=1`)).json.recordings[0];
    const date = first.start_time.slice(0, 10);
    await page.goto(`${base()}/timeline?stream=${STREAM}&date=${date}`);
    const bar = page.getByTestId('timeline');
    await page.getByTestId('timeline-segment').first().waitFor();
    // Zoom to one hour so 10 s segments are a few pixels wide each.
    await page.getByTestId('timeline-zoom').selectOption('24');
    await sleep(300);
    const segs = await page.$$eval('[data-testid=timeline-segment]', (els) => els.map((e) => ({ id: e.dataset.id, ...JSON.parse(JSON.stringify(e.getBoundingClientRect())) })));
    assert.ok(segs.length >= 1, 'segments drawn');
    const { json } = await apiJson(desk, base(), 'GET', `/api/recordings?stream=${STREAM}&sort=start_time&order=asc`);
    const recs = json.recordings;
    const box = await bar.boundingBox();
    const view = { start: Number(await bar.getAttribute('data-view-start')), end: Number(await bar.getAttribute('data-view-end')) };
    const timeAt = (x) => view.start + ((x - box.x) / box.width) * (view.end - view.start);

    // Target: the middle of the widest drawn segment.
    const target = segs.reduce((a, b) => (b.width > a.width ? b : a));
    const rec = recs.find((r) => String(r.id) === target.id);
    assert.ok(rec, `segment ${target.id} is a recording`);
    // Drawn where the recording is: left edge at its start time on the bar's scale (within 2 px; clipped at 0).
    const wantLeft = box.x + Math.max(0, ((rec.start_time_unix - view.start) / (view.end - view.start)) * box.width);
    assert.ok(Math.abs(target.x - wantLeft) <= 2, `segment ${rec.id} drawn at x=${target.x}, expected ${wantLeft.toFixed(1)}`);
    const startX = box.x + 4;
    const endX = target.x + target.width / 2;
    const y = box.y + box.height / 2;
    const cursorNow = async () => Number(await bar.getAttribute('aria-valuenow'));

    const before = await cursorNow();
    await page.mouse.move(startX, y);
    await page.mouse.down();
    const atStart = await cursorNow();
    assert.ok(Math.abs(atStart - timeAt(startX)) < 30, `cursor follows the pointer (${atStart} vs ${timeAt(startX)})`);
    await page.mouse.move((startX + endX) / 2, y, { steps: 5 });
    const mid = await cursorNow();
    assert.ok(mid > atStart, 'cursor moves while dragging');
    await page.mouse.move(endX, y, { steps: 5 });
    const wantT = timeAt(endX);
    await page.mouse.up();
    assert.notEqual(await cursorNow(), before);

    // The video loads that segment and seeks to the offset under the pointer, then plays on.
    const video = page.getByTestId('timeline-video');
    await video.waitFor();
    assert.match(await video.getAttribute('src'), new RegExp(`/api/recordings/play/${rec.id}$`));
    const wantOffset = wantT - rec.start_time_unix;
    await waitFor('the timeline video to seek', () => page.evaluate(() => {
      const v = document.querySelector('[data-testid=timeline-video]');
      return v && v.readyState >= 2 && v.currentTime > 0;
    }), { ms: 20000 });
    const t0 = await video.evaluate((v) => v.currentTime);
    assert.ok(t0 >= wantOffset - 1 && t0 <= wantOffset + 5, `video at ${t0.toFixed(2)} s, pointer at ${wantOffset.toFixed(2)} s into the segment`);
    await assertVideoAdvances(page, '[data-testid=timeline-video]', 'timeline video');
    // The cursor follows the playing video.
    const c = await cursorNow();
    assert.ok(Math.abs(c - (rec.start_time_unix + (await video.evaluate((v) => v.currentTime)))) < 3, 'cursor tracks playback');

    await screenshot(page, 'timeline', 'desktop');
    await phoneShot(`/timeline?stream=${STREAM}&date=${date}`, 'timeline', async (p) => {
      await p.getByTestId('timeline-segment').first().waitFor();
      await p.getByTestId('timeline-zoom').selectOption('24');
      await p.getByTestId('timeline-play').click();
      await assertVideoAdvances(p, '[data-testid=timeline-video]', 'timeline video (phone)');
    });
    assertNoConsoleErrors();
  });

  test('events: an external trigger appears live on /events and as a live-tile badge, ends, and is marked on the timeline', async (t) => {
    if (missing.events) { t.skip('the server answers 404 for /api/events (events API not in this build)'); return; }
    const label = `e2e-${Date.now() % 100000}`;
    await page.goto(`${base()}/events`);
    await page.getByTestId('events-filters').waitFor();
    await sleep(500); // the feed connects
    const start = await apiJson(desk, base(), 'POST', '/api/motion/trigger', { stream: STREAM, action: 'start', label });
    assert.ok(start.status < 300, `POST /api/motion/trigger start: ${start.status} ${JSON.stringify(start.json)}`);
    // Through the server-sent feed, without a reload.
    const row = page.locator(`[data-testid=event-row][data-label="${label}"]`);
    await row.waitFor({ timeout: 15000 });
    assert.equal(await row.getAttribute('data-active'), 'true');
    assert.equal(await row.getByTestId('event-label').textContent(), label);
    assert.equal(await row.getByTestId('event-stream').textContent(), STREAM);
    assert.equal(await row.getByTestId('event-source').textContent(), 'external');
    const id = await row.getAttribute('data-id');

    await page.goto(`${base()}/live`);
    const badge = page.locator(`[data-testid=live-tile][data-stream=${STREAM}] [data-testid=tile-event]`);
    await assertText(badge, new RegExp(label));
    await screenshot(page, 'live-event', 'desktop');
    const stop = await apiJson(desk, base(), 'POST', '/api/motion/trigger', { stream: STREAM, action: 'stop', label });
    assert.ok(stop.status < 300, `POST /api/motion/trigger stop: ${stop.status} ${JSON.stringify(stop.json)}`);
    await badge.waitFor({ state: 'detached', timeout: 30000 }); // the end arrives over the feed (after the post-event buffer)

    const ev = (await apiJson(desk, base(), 'GET', `/api/events/${id}`)).json;
    assert.equal(ev.active, false);
    assert.ok(ev.end_time >= ev.start_time);
    await page.goto(`${base()}/events?stream=${STREAM}`);
    const listed = page.locator(`[data-testid=event-row][data-id="${id}"]`);
    await listed.waitFor();
    assert.equal(await listed.getAttribute('data-active'), 'false');
    await screenshot(page, 'events', 'desktop');
    await phoneShot(`/events?stream=${STREAM}`, 'events', (p) => p.locator(`[data-testid=event-row][data-id="${id}"]`).waitFor());

    const date = new Date(ev.start_time * 1000).toISOString().slice(0, 10);
    await page.goto(`${base()}/timeline?stream=${STREAM}&date=${date}`);
    await page.locator(`[data-testid=timeline-event][data-id="${id}"]`).waitFor();

    // The recordings filter by detection label: the continuous segment covering the event carries its label.
    const recs = await waitFor(`a recording labelled ${label} in GET /api/recordings`, async () => {
      const r = await apiJson(desk, base(), 'GET', `/api/recordings?stream=${STREAM}&detection_label=${label}`);
      return r.json?.recordings?.length ? r.json.recordings : null;
    }, { ms: 40000, every: 1000 });
    await page.goto(`${base()}/recordings`);
    await page.getByTestId('recording-row').first().waitFor(); // the unfiltered list (every segment so far)
    const filtered = page.waitForResponse((r) => /\/api\/recordings\?/.test(r.url()) && new URL(r.url()).searchParams.get('detection_label') === label);
    await page.getByTestId('filter-label').selectOption(label);
    await filtered;
    await page.waitForURL(new RegExp(`[?&]label=${label}`));
    await waitFor('the list to show only the labelled recordings', async () => {
      const ids = await page.$$eval('[data-testid=recording-row]', (rows) => rows.map((r) => Number(r.dataset.id)));
      return ids.length === recs.length && recs.every((r) => ids.includes(r.id));
    }, { ms: 10000 });
    await phonePage.goto('about:blank');
    assertNoConsoleErrors();
  });

  test('a viewer sees no settings, users or system, no edit or delete buttons, and the API refuses writes', async () => {
    const ctx = await browser.newContext({ viewport: DESKTOP, locale: 'en-GB', timezoneId: 'UTC' });
    const watch = watchConsole(ctx, 'viewer', missing.patterns);
    try {
      const p = await ctx.newPage();
      p.setDefaultTimeout(15000);
      await loginViaForm(p, base(), VIEWER);
      assert.equal(new URL(p.url()).pathname, '/live');
      await assertText(p.getByTestId('current-user'), new RegExp(`^${VIEWER.username}$`));
      await p.getByTestId('nav-streams').waitFor();
      for (const nav of ['nav-settings', 'nav-users', 'nav-system']) assert.equal(await p.getByTestId(nav).count(), 0, `${nav} hidden`);

      await p.goto(`${base()}/streams`);
      await p.locator(`[data-testid=stream-row][data-stream=${STREAM}]`).waitFor();
      for (const b of ['stream-add', 'stream-edit', 'stream-delete', 'stream-toggle', 'stream-privacy']) assert.equal(await p.getByTestId(b).count(), 0, `${b} hidden`);

      await p.goto(`${base()}/recordings`);
      await p.getByTestId('recording-row').first().waitFor();
      assert.ok(await p.getByTestId('recording-play').count() > 0, 'viewer may play');
      for (const b of ['recording-delete', 'recording-protect']) assert.equal(await p.getByTestId(b).count(), 0, `${b} hidden`);

      for (const path of ['/settings', '/users', '/system']) {
        await p.goto(`${base()}${path}`);
        await assertText(p.getByTestId('empty'), /needs the admin role/);
      }

      const refused = [
        ['POST', '/api/streams', { name: 'sneaky', url: camera.url }],
        ['PUT', `/api/streams/${STREAM}`, { record: false }],
        ['DELETE', `/api/streams/${STREAM}`],
        ['POST', '/api/settings', { retention_days: 1 }],
        ['GET', '/api/auth/users'],
        ['POST', '/api/auth/users', { username: 'evil', password: 'evil-pass-123', role: 0 }],
      ];
      for (const [m, path, body] of refused) {
        const r = await apiJson(ctx, base(), m, path, body);
        assert.equal(r.status, 403, `${m} ${path} as viewer`);
      }
      // Nothing changed.
      const s = (await apiJson(desk, base(), 'GET', `/api/streams/${STREAM}`)).json;
      assert.equal(s.record, true);
      assert.equal((await apiJson(desk, base(), 'GET', '/api/streams/sneaky')).status, 404);
      assert.deepEqual(watch.errors, [], 'viewer console errors');
    } finally {
      await ctx.close();
    }
    assertNoConsoleErrors();
  });


  test('PTZ pad on the phone: a stream with ptz_enabled offers it on its live tile; a tap on an arrow moves then stops, home goes home', async () => {
    // No ONVIF camera in this suite (the stand-in is C#): the browser's PTZ calls are answered by page.route and
    // recorded; the server's PTZ routes are covered by tests/LightNvr.Tests/Api/Onvif against the stand-in.
    const put = await apiJson(desk, base(), 'PUT', `/api/streams/${STREAM}`, { ptz_enabled: true });
    assert.ok(put.status < 300, JSON.stringify(put.json));
    await waitFor('ptz_enabled to apply', async () => (await apiJson(desk, base(), 'GET', `/api/streams/${STREAM}`)).json?.ptz_enabled === true, { ms: 10000 });
    const calls = [];
    await phonePage.route(`**/api/streams/${STREAM}/ptz/**`, (route) => {
      const r = route.request();
      calls.push([r.method(), new URL(r.url()).pathname.split('/ptz/')[1], r.postDataJSON?.() ?? null]);
      const presets = r.url().endsWith('/presets');
      return route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(presets ? { presets: [{ token: '1', name: 'Gate' }], count: 1 } : { success: true }) });
    });
    try {
      await phonePage.goto(`${base()}/live`);
      const tile = phonePage.locator(`[data-testid=live-tile][data-stream=${STREAM}]`);
      await tile.getByTestId('tile-ptz').tap();
      const pad = tile.getByTestId('ptz-pad');
      await pad.waitFor();
      await waitFor('the presets to load', async () => (await pad.getByTestId('ptz-presets').locator('option').count()) === 2);
      const up = await pad.getByTestId('ptz-up').boundingBox();
      assert.ok(up.width >= 44 && up.height >= 44, `arrow buttons are finger-sized: ${JSON.stringify(up)}`);
      const box = await pad.boundingBox();
      assert.ok(box.x >= 0 && box.x + box.width <= 390 + 1, `the pad fits the phone's width: ${JSON.stringify(box)}`);
      // It covers neither the name bar (stream name, status dot) nor the tile's button row (issue 16: it did).
      const bar = await tile.getByTestId('tile-namebar').boundingBox();
      const buttons = await tile.getByTestId('tile-buttons').boundingBox();
      assert.ok(box.y >= bar.y + bar.height, `the pad starts below the name bar: pad ${JSON.stringify(box)}, bar ${JSON.stringify(bar)}`);
      assert.ok(box.y + box.height <= buttons.y + 0.5, `the pad ends above the button row: pad ${JSON.stringify(box)}, buttons ${JSON.stringify(buttons)}`);
      const name = await tile.getByTestId('tile-namebar').locator('span.truncate').boundingBox();
      const hit = await phonePage.evaluate(([x, y]) => document.elementFromPoint(x, y)?.closest('[data-testid=ptz-pad]') === null, [name.x + 2, name.y + name.height / 2]);
      assert.ok(hit, 'nothing of the pad lies over the stream name');
      await screenshot(phonePage, 'live-ptz', 'phone');
      await pad.getByTestId('ptz-up').tap();
      await pad.getByTestId('ptz-home').tap();
      await waitFor('move, stop and home', () => calls.filter(([m]) => m !== 'GET').length >= 3);
      assert.deepEqual(calls.filter(([m]) => m !== 'GET'), [['POST', 'move', { pan: 0, tilt: 0.5, zoom: 0 }], ['POST', 'stop', {}], ['POST', 'home', {}]]);
    } finally {
      await phonePage.unroute(`**/api/streams/${STREAM}/ptz/**`);
      await phonePage.goto('about:blank');
      await apiJson(desk, base(), 'PUT', `/api/streams/${STREAM}`, { ptz_enabled: false });
    }
    assertNoConsoleErrors();
  });

  test('log out: back to /login, protected pages and the API need a login again', async () => {
    await page.goto(`${base()}/live`);
    await page.getByTestId('logout').click();
    await page.waitForURL(/\/login\?logout=true$/);
    await assertText(page.getByRole('status'), /logged out/);
    for (const path of ['/live', '/streams', '/settings']) {
      await page.goto(`${base()}${path}`);
      await page.waitForURL(new RegExp(`/login\\?next=${encodeURIComponent(path)}$`));
      await page.getByTestId('login-form').waitFor();
    }
    assert.equal((await apiJson(desk, base(), 'GET', '/api/streams')).status, 401);
    assert.equal((await apiJson(desk, base(), 'GET', '/api/auth/verify')).status, 401);
    assertNoConsoleErrors();
  });
});

async function assertText(locator, re, ms = 15000) {
  await locator.first().waitFor({ timeout: ms });
  const until = Date.now() + ms;
  let t = '';
  while (Date.now() < until) {
    t = (await locator.first().textContent()) || '';
    if (re.test(t.trim())) return t;
    await sleep(200);
  }
  throw new Error(`expected ${re} in "${t.trim()}"`);
}
