// Plays a LightNVR live stream in headless Debian chromium and prints one JSON line of measurements.
// usage: node play.mjs <baseUrl> <stream> <mse|hls|webrtc|webrtc-ws|whep> <user> <password> [seconds] [timecode]
// timecode: the camera is bench/webrtc/timecode_camera.py; every painted frame's clock squares are read back and
// result.g2g = {n, medianMs, p90Ms, maxMs} is Date.now() minus the time shown (glass to glass, same machine).
// result.phases: ms from window.start (the page opening the connection) to each step (offer, answer, ICE, DTLS,
// WebSocket open, first binary message, first frame).
// MSE: a small page speaking go2rtc's WebSocket protocol (request codecs, answer, init, fragments) appends to a
// SourceBuffer and jumps to the live edge (result: opens = WebSocket connections made, timeline = [Date.now(),
// currentTime] every 250 ms); HLS: hls.js from this folder's node_modules. The page is served by
// playwright's router under the server's origin, so the session cookie from /api/auth/login goes with every request.
// Never downloads a browser: executablePath is the Debian package's chromium.
import { chromium } from 'playwright-core';
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const [base, stream, mode, user, password, secondsArg, timecodeArg] = process.argv.slice(2);
const seconds = Number(secondsArg ?? 6);
const here = dirname(fileURLToPath(import.meta.url));
const hlsJs = readFileSync(join(here, 'node_modules/hls.js/dist/hls.min.js'), 'utf8');
const profile = mkdtempSync(join(tmpdir(), 'lightnvr-chromium-'));

const page_html = `<!doctype html><html><body><video id="v" muted autoplay playsinline></video>
<script src="/__test/hls.js"></script>
<script>
window.result = { samples: [], timeline: [], opens: 0 };
const video = document.getElementById('v');
let t0 = performance.now();
// Phase marks in ms since window.start (the moment the page opens the connection): result.phases.
function mark(name) { const p = (window.result.phases = window.result.phases || {}); if (!(name in p)) p[name] = Math.round(performance.now() - t0); }
const g2g = [];
function readTimecode() {
  // 32 squares of 40x40 px in two rows at the top of a 640x360 picture: bit 31 first, white = 1.
  const c = readTimecode.canvas || (readTimecode.canvas = Object.assign(document.createElement('canvas'), { width: 640, height: 80 }));
  const ctx = c.getContext('2d', { willReadFrequently: true });
  ctx.drawImage(video, 0, 0, 640, 360, 0, 0, 640, 360);
  const px = ctx.getImageData(0, 0, 640, 80).data;
  let ms = 0;
  for (let i = 0; i < 32; i++) {
    const x = (i % 16) * 40 + 20, y = Math.floor(i / 16) * 40 + 20;
    ms = ms * 2 + (px[(y * 640 + x) * 4] > 128 ? 1 : 0);
  }
  const d = (Date.now() % 4294967296) - ms;
  if (d > -1000 && d < 60000) g2g.push(d);
}
function onFirstFrame() {
  if (!('requestVideoFrameCallback' in video)) return;
  const cb = () => {
    if (window.result.firstFrameMs === undefined) { window.result.firstFrameMs = performance.now() - t0; mark('frame'); }
    if (window.timecode) { try { readTimecode(); } catch (e) { window.result.g2gError = String(e); } }
    if (window.timecode) video.requestVideoFrameCallback(cb);
  };
  video.requestVideoFrameCallback(cb);
}
window.g2gSummary = () => {
  if (!g2g.length) return null;
  const s = g2g.slice(Math.floor(g2g.length / 4)).sort((a, b) => a - b); // the first quarter is start-up
  return { n: s.length, medianMs: s[Math.floor(s.length / 2)], p90Ms: s[Math.floor(s.length * 0.9)], maxMs: s[s.length - 1] };
};
function mse(stream) {
  const ms = new MediaSource();
  video.src = URL.createObjectURL(ms);
  ms.addEventListener('sourceopen', () => {
    mark('sourceopen');
    const ws = new WebSocket('ws://' + location.host + '/go2rtc/api/ws?src=' + encodeURIComponent(stream));
    ws.binaryType = 'arraybuffer';
    const offered = ['avc1.640029', 'avc1.64002A', 'avc1.640033', 'hvc1.1.6.L153.B0', 'mp4a.40.2', 'mp4a.40.5']
      .filter(c => MediaSource.isTypeSupported('video/mp4; codecs="' + c + '"'));
    let sb = null; const queue = [];
    const pump = () => {
      if (!sb || sb.updating || queue.length === 0) return;
      sb.appendBuffer(queue.shift());
    };
    ws.onopen = () => { mark('ws-open'); window.result.opens++; ws.send(JSON.stringify({ type: 'mse', value: offered.join(',') })); };
    ws.onmessage = ev => {
      if (typeof ev.data === 'string') {
        const m = JSON.parse(ev.data);
        if (m.type === 'mse') {
          mark('mse-codecs');
          window.result.mime = m.value;
          sb = ms.addSourceBuffer(m.value);
          sb.mode = 'segments';
          sb.addEventListener('updateend', () => {
            const b = sb.buffered;
            if (b.length && b.end(b.length - 1) - video.currentTime > 1.0) {
              video.currentTime = Math.max(b.start(b.length - 1), b.end(b.length - 1) - 0.1); // live edge
            }
            if (video.paused) video.play().catch(() => {});
            pump();
          });
          onFirstFrame();
        } else {
          window.result.error = m.value;
        }
        return;
      }
      window.result.messages = (window.result.messages || 0) + 1;
      mark('binary-' + Math.min(window.result.messages, 3));
      queue.push(ev.data); pump();
    };
    ws.onclose = e => { window.result.closed = e.code + (e.reason ? ' ' + e.reason : ''); };
    fetch('/go2rtc/api/streams').then(r => { window.result.streamsStatus = r.status; });
  });
}
function hls(stream) {
  const h = new Hls({ liveSyncDurationCount: 2 });
  h.on(Hls.Events.ERROR, (e, d) => { if (d.fatal) window.result.error = d.type + ': ' + d.details; });
  h.loadSource('/hls/' + encodeURIComponent(stream) + '/index.m3u8');
  h.attachMedia(video);
  onFirstFrame();
  video.play().catch(() => {});
}
// WebRTC: an RTCPeerConnection receiving video (and audio) from the server. webrtc: go2rtc's POST
// /go2rtc/api/webrtc with JSON {type,sdp}; webrtc-ws: {"type":"webrtc/offer"} on go2rtc's WebSocket; whep: raw SDP
// (WHEP: 201 + Location; the resource is DELETEd at the end). result.stats: [Date.now(), framesDecoded] samples.
async function webrtc(stream, how) {
  // whep-tcp: WHEP with the answer's UDP candidates removed, so chromium can only use ICE-TCP (RFC 6544).
  const tcpOnly = how === 'whep-tcp';
  if (tcpOnly) how = 'whep';
  const pc = new RTCPeerConnection();
  window.pc = pc;
  pc.addTransceiver('video', { direction: 'recvonly' });
  if (window.webrtcAudio) pc.addTransceiver('audio', { direction: 'recvonly' }); // env WEBRTC_AUDIO=0: video only, as the muted live tile asks
  pc.ontrack = e => {
    if (e.track.kind !== 'video') {
      window.result.audioTrack = true;
      // Played out by an unmuted element: chromium computes audioLevel only for audio it renders.
      const a = new Audio(); a.srcObject = new MediaStream([e.track]); a.play().catch(() => {});
      window.audioOut = a;
      return;
    }
    mark('track');
    video.srcObject = e.streams[0] || new MediaStream([e.track]);
    onFirstFrame();
    video.play().catch(() => {});
  };
  pc.onconnectionstatechange = () => { (window.result.states = window.result.states || []).push(pc.connectionState); mark('pc-' + pc.connectionState); };
  pc.oniceconnectionstatechange = () => mark('ice-' + pc.iceConnectionState);
  // Trickled candidates, sent as go2rtc's player and WHEP clients do (the ICE-lite server discards them).
  const candidates = [];
  pc.onicecandidate = e => {
    if (!e.candidate || !e.candidate.candidate) return;
    candidates.push(e.candidate.candidate);
    if (window.ws && window.ws.readyState === 1) {
      window.ws.send(JSON.stringify({ type: 'webrtc/candidate', value: e.candidate.candidate }));
      window.result.wsCandidates = (window.result.wsCandidates || 0) + 1;
    }
  };
  pc.onicegatheringstatechange = () => mark('gather-' + pc.iceGatheringState);
  const offer = await pc.createOffer();
  await pc.setLocalDescription(offer);
  mark('offer');
  const url = '/go2rtc/api/webrtc?src=' + encodeURIComponent(stream);
  let answer;
  if (how === 'webrtc') {
    const r = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ type: 'offer', sdp: offer.sdp }) });
    if (!r.ok) { window.result.error = r.status + ' ' + await r.text(); return; }
    window.result.location = r.headers.get('Location'); // JSON sessions have a resource too: DELETEd at the end
    answer = await r.json();
  } else if (how === 'whep') {
    const r = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/sdp' }, body: offer.sdp });
    if (r.status !== 201) { window.result.error = r.status + ' ' + await r.text(); return; }
    window.result.location = r.headers.get('Location');
    window.result.etag = r.headers.get('ETag');
    answer = { type: 'answer', sdp: await r.text() };
  } else {
    answer = await new Promise((resolve, reject) => {
      const ws = new WebSocket('ws://' + location.host + '/go2rtc/api/ws?src=' + encodeURIComponent(stream));
      window.ws = ws;
      ws.onopen = () => {
        ws.send(JSON.stringify({ type: 'webrtc/offer', value: offer.sdp }));
        for (const c of candidates) ws.send(JSON.stringify({ type: 'webrtc/candidate', value: c }));
        window.result.wsCandidates = (window.result.wsCandidates || 0) + candidates.length;
      };
      ws.onmessage = ev => {
        const m = JSON.parse(ev.data);
        if (m.type === 'webrtc/answer') resolve({ type: 'answer', sdp: m.value });
        else if (m.type === 'error') reject(new Error(m.value));
      };
      ws.onclose = e => { window.result.closed = e.code; };
    }).catch(e => { window.result.error = String(e); return null; });
    if (!answer) return;
  }
  mark('answer');
  if (tcpOnly) answer.sdp = answer.sdp.split('\\r\\n').filter(l => !/^a=candidate:\\S+ \\d+ udp /i.test(l)).join('\\r\\n');
  await pc.setRemoteDescription(answer);
  mark('remote-set');
  if (how === 'whep') { // RFC 9725 §4.3.1 trickle: an SDP fragment with the offer's ICE credentials and candidates
    const ufrag = /a=ice-ufrag:(.*)/.exec(offer.sdp)[1].trim(), pwd = /a=ice-pwd:(.*)/.exec(offer.sdp)[1].trim();
    const frag = 'a=ice-ufrag:' + ufrag + '\\r\\na=ice-pwd:' + pwd + '\\r\\nm=video 9 UDP/TLS/RTP/SAVPF 0\\r\\na=mid:0\\r\\n' +
      candidates.map(c => 'a=' + c + '\\r\\n').join('') + 'a=end-of-candidates\\r\\n';
    fetch(window.result.location, { method: 'PATCH', body: frag,
      headers: { 'Content-Type': 'application/trickle-ice-sdpfrag', 'If-Match': window.result.etag } })
      .then(r => { window.result.patchStatus = r.status; window.result.patchCandidates = candidates.length; });
  }
  setInterval(async () => {
    const stats = await pc.getStats();
    stats.forEach(s => {
      if (s.type === 'inbound-rtp' && s.kind === 'video') {
        (window.result.stats = window.result.stats || []).push([Date.now(), s.framesDecoded || 0]);
        window.result.nackCount = s.nackCount; window.result.pliCount = s.pliCount;
        window.result.freezeCount = s.freezeCount; window.result.packetsLost = s.packetsLost;
      }
      if (s.type === 'transport') window.result.srtpCipher = s.srtpCipher; // e.g. SRTP_AEAD_AES_128_GCM
      if (s.type === 'inbound-rtp' && s.kind === 'audio') { // [Date.now(), totalSamplesReceived, audioLevel, codec]
        const codec = s.codecId && stats.get(s.codecId);
        (window.result.audioStats = window.result.audioStats || [])
          .push([Date.now(), s.totalSamplesReceived || 0, s.audioLevel || 0, codec ? codec.mimeType : null]);
      }
    });
  }, 500);
}
// loopback: chromium's own WebRTC with itself in this page (no server): a canvas track sent by one peer connection,
// received by another, first frame from the same start mark. The browser-side floor of WebRTC's first frame here.
async function loopback() {
  const canvas = Object.assign(document.createElement('canvas'), { width: 640, height: 360 });
  const ctx = canvas.getContext('2d');
  let x = 0;
  setInterval(() => { ctx.fillStyle = '#888'; ctx.fillRect(0, 0, 640, 360); ctx.fillStyle = '#fff'; ctx.fillRect(x = (x + 8) % 640, 100, 16, 160); }, 66);
  const a = new RTCPeerConnection(), b = new RTCPeerConnection();
  a.onicecandidate = e => e.candidate && b.addIceCandidate(e.candidate);
  b.onicecandidate = e => e.candidate && a.addIceCandidate(e.candidate);
  b.onconnectionstatechange = () => mark('pc-' + b.connectionState);
  b.ontrack = e => { mark('track'); video.srcObject = new MediaStream([e.track]); onFirstFrame(); video.play().catch(() => {}); };
  a.addTrack(canvas.captureStream(15).getVideoTracks()[0]);
  await a.setLocalDescription(); mark('offer');
  await b.setRemoteDescription(a.localDescription);
  await b.setLocalDescription(); mark('answer');
  await a.setRemoteDescription(b.localDescription);
}
window.stopWebrtc = async () => {
  if (window.result.location) {
    const r = await fetch(window.result.location, { method: 'DELETE' });
    window.result.deleteStatus = r.status;
  }
};
setInterval(() => {
  const b = video.buffered;
  if (b.length && video.currentTime > 0) window.result.samples.push(b.end(b.length - 1) - video.currentTime);
  window.result.timeline.push([Date.now(), video.currentTime]); // wall clock: a test lines it up with its own actions
}, 250);
window.start = (mode, stream) => (t0 = performance.now(), window.result.startedAt = Date.now(), mode === 'loopback' ? loopback() : mode === 'mse' ? mse(stream) : mode === 'hls' ? hls(stream) : webrtc(stream, mode));
</script></body></html>`;

// A fresh --user-data-dir per run (playwright passes the profile folder as that flag).
const context = await chromium.launchPersistentContext(profile, {
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--autoplay-policy=no-user-gesture-required',
    // The test page is fulfilled by playwright's router, which chromium does not count as a loopback document, so
    // Local Network Access would block its WebSocket to 127.0.0.1; the server itself is on loopback.
    '--disable-features=LocalNetworkAccessChecks'],
});
let out;
try {
  const login = await context.request.post(base + '/api/auth/login', { data: { username: user, password } });
  if (!login.ok()) throw new Error('login failed: ' + login.status());
  const page = await context.newPage();
  const consoleLines = [];
  page.on('console', m => { if (consoleLines.length < 20) consoleLines.push(m.text()); });
  await page.route(base + '/__test/page.html', r => r.fulfill({ contentType: 'text/html', body: page_html }));
  await page.route(base + '/__test/hls.js', r => r.fulfill({ contentType: 'text/javascript', body: hlsJs }));
  await page.goto(base + '/__test/page.html');
  await page.evaluate(([m, s, tc, a]) => { window.timecode = tc; window.webrtcAudio = a; return window.start(m, s); },
    [mode, stream, timecodeArg === 'timecode', process.env.WEBRTC_AUDIO !== '0']);
  await page.waitForTimeout(1500);
  const t1 = await page.evaluate(() => document.getElementById('v').currentTime);
  await page.waitForTimeout(seconds * 1000);
  out = await page.evaluate(() => {
    const v = document.getElementById('v');
    const q = v.getVideoPlaybackQuality();
    const s = window.result.samples.slice().sort((a, b) => a - b);
    return { ...window.result, samples: undefined, currentTime: v.currentTime, width: v.videoWidth, height: v.videoHeight,
      decodedFrames: q.totalVideoFrames, droppedFrames: q.droppedVideoFrames,
      aheadMedianSec: s.length ? s[Math.floor(s.length / 2)] : null, aheadMaxSec: s.length ? s[s.length - 1] : null,
      g2g: window.g2gSummary() };
  });
  out.advancedSec = out.currentTime - t1;
  if (mode === 'webrtc' || mode === 'whep' || mode === 'whep-tcp' || mode === 'webrtc-ws') {
    await page.evaluate(() => window.stopWebrtc());
    out.deleteStatus = await page.evaluate(() => window.result.deleteStatus);
  }
  if (consoleLines.length) out.console = consoleLines;
} catch (e) {
  out = { error: String(e) };
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}
console.log(JSON.stringify(out));
