// End-to-end, issue 16 "Discover → profiles → add → the stream records and plays live, through the UI": headless
// Debian chromium on the real server (build/lightnvr), a real GStreamer RTSP camera, and the project's ONVIF device
// STAND-IN (tests/onvif-standin: written from the ONVIF specs, not a camera; no emulator is packaged anywhere
// reachable) whose two profiles point at that camera. Discovery here is a unicast WS-Discovery Probe of the
// stand-in's loopback UDP port (the UI's "probe addresses" field); multicast discovery is covered by
// tests/LightNvr.Tests/Onvif/MulticastDiscoveryTests (docs/onvif.md "Discovery").
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  ADMIN, DESKTOP, apiJson, launchBrowser, loginViaForm, readLog, removeDir, screenshot, startCamera,
  startOnvifStandIn, startServer, stop, waitFor, watchConsole,
} from './lib/harness.mjs';

const NAME = 'onvif_gate';
const CAM_USER = 'admin';
const CAM_PASS = 'e2e-Cam-pass-1';

let camera, standIn, server, browser, desk, page, deskConsole;
let failed = false;
const base = () => server.base;

describe('Add ONVIF camera in chromium, against the ONVIF stand-in', { timeout: 300000 }, () => {
  before(async () => {
    camera = await startCamera();
    [standIn, server] = await Promise.all([
      startOnvifStandIn({ main: camera.url, sub: camera.url, username: CAM_USER, password: CAM_PASS }),
      startServer(),
    ]);
    browser = await launchBrowser();
    desk = await browser.newContext({ viewport: DESKTOP, deviceScaleFactor: 1, locale: 'en-GB', timezoneId: 'UTC', colorScheme: 'light' });
    deskConsole = watchConsole(desk, 'desktop');
    page = await desk.newPage();
    page.setDefaultTimeout(20000);
    await loginViaForm(page, base(), ADMIN);
    // A fresh install sends the admin to /setup first (nvr.test.mjs walks through it); this suite only marks it done.
    const done = await apiJson(desk, base(), 'POST', '/api/setup/status', { complete: true });
    assert.ok(done.status < 300, JSON.stringify(done.json));
  });

  after(async () => {
    await browser?.close().catch(() => {});
    await Promise.all([stop(server), stop(standIn), stop(camera)]);
    if (server && (failed || process.env.E2E_KEEP)) {
      console.log(`--- server log tail (${server.dir}) ---\n${readLog(server.dir).slice(-3000)}\n--- stand-in ---\n${standIn?.output().slice(-1500)}`);
    }
    if (!process.env.E2E_KEEP) removeDir(server?.dir);
  });

  test('discover (unicast probe) → read profiles with the camera password → add → the stream is listed, records and plays live', async () => {
    try {
      await page.goto(`${base()}/streams`);
      await page.getByTestId('stream-add-onvif').click();
      const modal = page.getByTestId('onvif-add');
      await modal.waitFor();

      // 1. Discover: WS-Discovery Probe, unicast to the stand-in's UDP port on loopback.
      await modal.getByTestId('onvif-addresses').fill(`127.0.0.1:${standIn.discoveryPort}`);
      await modal.getByTestId('onvif-discover').click();
      const device = modal.getByTestId('onvif-device');
      await device.first().waitFor({ timeout: 20000 });
      assert.equal(await device.count(), 1);
      assert.match(await device.first().textContent(), new RegExp(standIn.deviceUrl.replace(/[.?*+^$()|[\]\\/]/g, '\\$&')));
      await device.first().getByTestId('onvif-use').click();
      assert.equal(await modal.getByTestId('onvif-url').inputValue(), standIn.deviceUrl);

      // 2. A wrong password first: the camera's refusal is shown, nothing is added.
      await modal.getByTestId('onvif-username').fill(CAM_USER);
      await modal.getByTestId('onvif-password').fill('not-the-password');
      await modal.getByTestId('onvif-profiles-load').click();
      const error = modal.getByTestId('onvif-error');
      await error.waitFor();
      assert.match(await error.textContent(), /wrong password/i);
      deskConsole.take(/status of 502/); // the API's answer to a refused login (502 + message): expected here

      // 3. The right password: both profiles, with the stand-in's resolutions.
      await modal.getByTestId('onvif-password').fill(CAM_PASS);
      await modal.getByTestId('onvif-profiles-load').click();
      const profiles = modal.getByTestId('onvif-profile');
      await waitFor('two profiles', async () => (await profiles.count()) === 2);
      assert.match(await profiles.nth(0).textContent(), /MainStream.*1920×1080 · H264 · 25 fps/);
      assert.match(await profiles.nth(1).textContent(), /SubStream.*640×360 · H264 · 10 fps/);
      await screenshot(page, 'onvif-add', 'desktop');

      // 4. Add with the main profile (checked by default) under our name.
      await modal.getByTestId('onvif-name').fill(NAME);
      await modal.getByTestId('onvif-add-submit').click();
      await modal.waitFor({ state: 'detached', timeout: 20000 });

      // The stream is listed on the Streams page and stored as the API says an ONVIF stream is.
      await page.locator(`text=${NAME}`).first().waitFor({ timeout: 20000 });
      const s = (await apiJson(desk, base(), 'GET', `/api/streams/${NAME}`)).json;
      assert.equal(s.isOnvif, true);
      assert.equal(s.onvif_profile, 'main');
      assert.equal(s.onvif_username, CAM_USER);
      assert.ok(s.has_sub_stream || s.sub_stream_url, `the sub profile became the sub-stream: ${JSON.stringify(s)}`);
      const ops = standIn.ops();
      for (const op of ['GetSystemDateAndTime', 'GetServices', 'GetProfiles', 'GetStreamUri']) {
        assert.ok(ops.includes(op), `the stand-in answered ${op}: ${ops.join(',')}`);
      }

      // It plays live in its tile on /live (the camera's picture through the stand-in's RTSP URI).
      await page.goto(`${base()}/live`);
      const tile = page.locator(`[data-testid=live-tile][data-stream=${NAME}]`);
      await tile.waitFor({ timeout: 20000 });
      await page.locator(`[data-testid=live-tile][data-stream=${NAME}][data-status=playing]`).waitFor({ timeout: 60000 });
      const sel = `[data-testid=live-tile][data-stream=${NAME}] video`;
      await waitFor('a decoded frame in the tile', () => page.evaluate((q) => {
        const v = document.querySelector(q);
        return v && v.readyState >= 2 && v.videoWidth > 0;
      }, sel), { ms: 45000 });
      const a = await page.evaluate((q) => document.querySelector(q).currentTime, sel);
      await waitFor('the tile\'s video to advance', async () => (await page.evaluate((q) => document.querySelector(q).currentTime, sel)) > a + 1, { ms: 30000 });
      await screenshot(page, 'onvif-live', 'desktop');

      // Imaging sliders on the ONVIF tile (operators): the camera's brightness range, a change reaches the camera.
      await tile.getByTestId('tile-imaging').click();
      const slider = tile.getByTestId('imaging-brightness');
      await slider.waitFor({ timeout: 20000 });
      assert.deepEqual([await slider.getAttribute('min'), await slider.getAttribute('max')], ['0', '100']);
      await slider.focus();
      for (let i = 0; i < 5; i++) await page.keyboard.press('ArrowRight'); // 50 → 55, one change event per key
      await waitFor('the camera\'s brightness to be 55', async () =>
        (await apiJson(desk, base(), 'GET', `/api/streams/${NAME}/imaging/settings`)).json?.settings?.brightness === 55, { ms: 20000 });
      assert.ok(standIn.ops().includes('SetImagingSettings'));
      await screenshot(page, 'onvif-imaging', 'desktop');
      await tile.getByTestId('tile-imaging').click();

      // It records: a finished segment is listed (default segment_duration 30 s).
      const recs = await waitFor('a recording of the ONVIF stream', async () => {
        const r = await apiJson(desk, base(), 'GET', `/api/recordings?stream=${NAME}`);
        return r.json?.recordings?.length ? r.json.recordings : null;
      }, { ms: 120000, every: 2000 });
      assert.ok(recs[0].id, JSON.stringify(recs[0]));
      assert.deepEqual(deskConsole.errors, [], 'console errors');
    } catch (e) {
      failed = true;
      throw e;
    }
  });
});
