// Two-way audio in headless Debian chromium: a fake microphone playing a WAV file (--use-file-for-fake-audio-capture)
// is sent to the server in the same peer connection that receives the camera (audio transceiver sendrecv), via
// go2rtc's JSON POST /go2rtc/api/webrtc. Prints one JSON line: the answer's audio direction, connection states and
// outbound-rtp audio samples [Date.now(), packetsSent, codec].
// usage: node talk.mjs <baseUrl> <stream> <user> <password> <tone.wav> [seconds]
import { chromium } from 'playwright-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const [base, stream, user, password, wav, secondsArg] = process.argv.slice(2);
const seconds = Number(secondsArg ?? 6);
const profile = mkdtempSync(join(tmpdir(), 'lightnvr-chromium-talk-'));
const html = `<!doctype html><html><body><video id="v" muted autoplay playsinline></video><script>
window.result = {};
window.start = async (stream) => {
  const mic = await navigator.mediaDevices.getUserMedia({ audio: { echoCancellation: false, noiseSuppression: false, autoGainControl: false } });
  const pc = new RTCPeerConnection();
  pc.addTransceiver('video', { direction: 'recvonly' });
  pc.addTransceiver(mic.getAudioTracks()[0], { direction: 'sendrecv' });
  pc.ontrack = e => { if (e.track.kind === 'video') document.getElementById('v').srcObject = new MediaStream([e.track]); };
  pc.onconnectionstatechange = () => { (window.result.states = window.result.states || []).push(pc.connectionState); };
  await pc.setLocalDescription(await pc.createOffer());
  const r = await fetch('/go2rtc/api/webrtc?src=' + encodeURIComponent(stream), { method: 'POST',
    headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ type: 'offer', sdp: pc.localDescription.sdp }) });
  if (!r.ok) { window.result.error = r.status + ' ' + await r.text(); return; }
  const answer = await r.json();
  window.result.audioDirection = (answer.sdp.split('m=audio')[1] || '').match(/a=(sendrecv|recvonly|sendonly|inactive)/)?.[1];
  await pc.setRemoteDescription(answer);
  setInterval(async () => {
    const stats = await pc.getStats();
    stats.forEach(s => {
      if (s.type === 'transport') window.result.transport = [s.iceState, s.dtlsState, s.dtlsRole];
      if (s.type === 'candidate-pair' && s.nominated) window.result.pair = s.state;
      if (s.type === 'outbound-rtp' && s.kind === 'audio') {
        const c = s.codecId && stats.get(s.codecId);
        (window.result.sent = window.result.sent || []).push([Date.now(), s.packetsSent || 0, c ? c.mimeType : null]);
      }
    });
  }, 500);
};
</script></body></html>`;

const context = await chromium.launchPersistentContext(profile, {
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update',
    '--disable-sync', '--autoplay-policy=no-user-gesture-required', '--disable-features=LocalNetworkAccessChecks',
    // With microphone permission chromium gathers its real interfaces (no mDNS) and leaves loopback out, which the
    // server's 127.0.0.1 candidate needs: allow it.
    '--allow-loopback-in-peer-connection',
    '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', `--use-file-for-fake-audio-capture=${wav}`],
});
let out;
try {
  const login = await context.request.post(base + '/api/auth/login', { data: { username: user, password } });
  if (!login.ok()) throw new Error('login failed: ' + login.status());
  const page = await context.newPage();
  await page.route(base + '/__test/talk.html', r => r.fulfill({ contentType: 'text/html', body: html }));
  await page.goto(base + '/__test/talk.html');
  await page.evaluate(s => window.start(s), stream);
  await page.waitForTimeout(seconds * 1000);
  out = await page.evaluate(() => window.result);
} catch (e) {
  out = { error: String(e) };
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}
console.log(JSON.stringify(out));
