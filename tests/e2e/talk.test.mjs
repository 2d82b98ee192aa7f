// End-to-end push-to-talk: headless Debian chromium with a fake microphone playing a generated 1 kHz tone (as
// tests/browser/talk.mjs), the real server (build/lightnvr) and a GStreamer camera with an ONVIF PCMU backchannel
// (tests/cameras/rtsp_camera.py --backchannel pcmu --backchannel-wav FILE). The admin opens /live with the player on
// WebRTC, holds the tile's push-to-talk button for 3 s, and the camera must hear the tone (8 kHz PCM it writes).
import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { chromium } from 'playwright-core';
import {
  ADMIN, CHROMIUM, CHROMIUM_ARGS, DESKTOP, apiJson, loginViaForm, removeDir, sleep, startCamera, startServer, stop, waitFor,
} from './lib/harness.mjs';

const STREAM = 'doorbell';
let camera, server, browser, heard, tone;

/** A 16-bit mono WAV of a sine: what the fake microphone plays (looped by chromium). */
function writeTone(path, rate, hz, seconds) {
  const n = rate * seconds;
  const buf = Buffer.alloc(44 + n * 2);
  buf.write('RIFF', 0); buf.writeUInt32LE(36 + n * 2, 4); buf.write('WAVEfmt ', 8);
  buf.writeUInt32LE(16, 16); buf.writeUInt16LE(1, 20); buf.writeUInt16LE(1, 22); buf.writeUInt32LE(rate, 24);
  buf.writeUInt32LE(rate * 2, 28); buf.writeUInt16LE(2, 32); buf.writeUInt16LE(16, 34);
  buf.write('data', 36); buf.writeUInt32LE(n * 2, 40);
  for (let i = 0; i < n; i++) buf.writeInt16LE(Math.round(10000 * Math.sin((2 * Math.PI * hz * i) / rate)), 44 + i * 2);
  writeFileSync(path, buf);
}

/** The camera's WAV so far (wavenc fixes its header only at the end): samples after the 44-byte header. */
function heardSamples() {
  if (!existsSync(heard) || statSync(heard).size <= 44) return new Int16Array(0);
  const b = readFileSync(heard);
  const n = Math.floor((b.length - 44) / 2);
  return new Int16Array(b.buffer.slice(b.byteOffset + 44, b.byteOffset + 44 + n * 2));
}

describe('push-to-talk in chromium', { timeout: 180000 }, () => {
  before(async () => {
    server = await startServer();
    heard = join(server.dir, 'heard.wav');
    tone = join(server.dir, 'tone.wav');
    writeTone(tone, 48000, 1000, 4);
    camera = await startCamera({ name: 'bc-camera', extraArgs: ['--audio', 'pcmu', '--backchannel', 'pcmu', '--backchannel-wav', heard] });
    browser = await chromium.launch({
      executablePath: CHROMIUM, headless: true, timeout: 60000,
      // Fake microphone from the WAV, permission granted without a prompt; with microphone permission chromium
      // gathers its real interfaces and leaves loopback out, which the 127.0.0.1 server needs.
      args: [...CHROMIUM_ARGS, '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream',
        `--use-file-for-fake-audio-capture=${tone}`, '--allow-loopback-in-peer-connection'],
    });
  });

  after(async () => {
    await browser?.close();
    await Promise.all([stop(camera), stop(server)]);
    if (server) removeDir(server.dir);
  });

  test('holding the tile button sends the microphone to the camera over WebRTC; releasing it stops', async () => {
    const ctx = await browser.newContext({ viewport: DESKTOP, locale: 'en-GB', timezoneId: 'UTC', permissions: ['microphone'] });
    const page = await ctx.newPage();
    page.setDefaultTimeout(15000);
    await loginViaForm(page, server.base, ADMIN);
    assert.ok((await apiJson(ctx, server.base, 'POST', '/api/setup/status', { complete: true })).status < 300);
    const add = await apiJson(ctx, server.base, 'POST', '/api/streams',
      { name: STREAM, url: camera.url, enabled: true, record: false, backchannel_enabled: true });
    assert.ok(add.status < 300, JSON.stringify(add.json));

    await page.goto(`${server.base}/live`);
    await page.getByTestId('live-player').selectOption('webrtc');
    const tile = page.locator(`[data-testid=live-tile][data-stream=${STREAM}][data-player=webrtc][data-status=playing]`);
    await tile.waitFor({ timeout: 60000 });
    const button = tile.getByTestId('tile-talk');
    const box = await button.boundingBox();
    assert.ok(box.width >= 44 && box.height >= 44, `the button is finger-sized: ${JSON.stringify(box)}`);

    assert.equal(heardSamples().length, 0, 'nothing reaches the camera before the button is pressed');
    await button.hover();
    await page.mouse.down();
    await waitFor('aria-pressed', async () => (await button.getAttribute('aria-pressed')) === 'true', { ms: 5000 });
    await waitFor('the camera to hear 1 s of the microphone', () => heardSamples().length >= 8000, { ms: 30000 });
    await sleep(2000);
    await page.mouse.up();
    await waitFor('aria-pressed off', async () => (await button.getAttribute('aria-pressed')) === 'false', { ms: 5000 });

    // The tone arrived: 1 kHz by zero crossings over the loudest second, and loud.
    const s = heardSamples();
    let best = 0, bestAt = 0;
    for (let at = 0; at + 8000 <= s.length; at += 800) {
      let e = 0;
      for (let i = at; i < at + 8000; i++) e += s[i] * s[i];
      if (e > best) { best = e; bestAt = at; }
    }
    let crossings = 0;
    for (let i = bestAt + 1; i < bestAt + 8000; i++) if ((s[i - 1] < 0) !== (s[i] < 0)) crossings++;
    const rms = Math.sqrt(best / 8000);
    console.log(`e2e talk: ${s.length} samples heard, ${crossings / 2} Hz, RMS ${rms.toFixed(0)}`);
    assert.ok(Math.abs(crossings / 2 - 1000) <= 30, `heard ${crossings / 2} Hz, sent 1000 Hz`);
    assert.ok(rms > 2000, `heard RMS ${rms}`);

    // Released: the microphone is off the sender, so the camera's file stops growing (beyond what was in flight).
    await sleep(1500);
    const settled = heardSamples().length;
    await sleep(2000);
    assert.ok(heardSamples().length - settled < 800, 'audio kept arriving after the button was released');
    await ctx.close();
  });
});
