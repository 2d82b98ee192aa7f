// Viewer churn for the soak: <slots> viewers, each joins a random camera, stays a random 10-60 s, leaves, waits
// 1-5 s and joins again, until <seconds> have passed. Three joins in four are go2rtc MSE over WebSocket (what the
// live page uses), one in four reads HTTP stream.mp4 (fMP4 over a chunked response). A join counts as good when it
// received media (a binary message, or body bytes past the fMP4 header). Prints one JSON line at the end.
// A join to a camera that the flapper has marked down (a file <downDir>/camN exists at the join or the leave) is
// counted apart, as "duringFlap", not as a failure: no media from a stopped camera is the expected outcome.
// usage: node --experimental-websocket viewers.mjs <baseUrl> <user:password> <cameraCount> <slots> <seconds> <downDir>
import { existsSync } from 'node:fs';
const [base, cred, camArg, slotArg, secondsArg, downDir] = process.argv.slice(2);
const cameras = Number(camArg), slots = Number(slotArg), seconds = Number(secondsArg);
const auth = 'Basic ' + Buffer.from(cred).toString('base64');
const deadline = Date.now() + seconds * 1000;
const totals = { joins: 0, good: 0, failed: 0, duringFlap: 0, mse: 0, mp4: 0, bytes: 0, errors: {} };
const rand = (lo, hi) => lo + Math.random() * (hi - lo);
const sleep = ms => new Promise(r => setTimeout(r, ms));
const fail = reason => { totals.failed++; totals.errors[reason] = (totals.errors[reason] ?? 0) + 1; };

function watchMse(cam, stayMs) {
  return new Promise(resolve => {
    const ws = new WebSocket(`${base.replace(/^http/, 'ws')}/go2rtc/api/ws?src=${cam}`,
      { headers: { Authorization: auth, 'User-Agent': 'soak-viewer' } });
    ws.binaryType = 'arraybuffer';
    let media = 0, error = null;
    const end = () => { clearTimeout(timer); resolve({ media, error }); };
    const timer = setTimeout(() => { try { ws.close(); } catch { /* closing anyway */ } end(); }, stayMs);
    ws.onopen = () => ws.send(JSON.stringify({ type: 'mse', value: 'avc1.640029,mp4a.40.2' }));
    ws.onmessage = ev => {
      if (typeof ev.data === 'string') {
        const m = JSON.parse(ev.data);
        if (m.type === 'error') error = `ws: ${m.value}`;
        return;
      }
      media += ev.data.byteLength;
    };
    ws.onerror = e => { error ??= `ws: ${e.message ?? e.type}`; };
    ws.onclose = () => { if (Date.now() < deadline) error ??= media ? null : 'ws: closed early'; };
  });
}

async function watchMp4(cam, stayMs) {
  const ac = new AbortController();
  const timer = setTimeout(() => ac.abort(), stayMs);
  let media = 0, error = null;
  try {
    const res = await fetch(`${base}/go2rtc/api/stream.mp4?src=${cam}`,
      { headers: { Authorization: auth }, signal: ac.signal });
    if (!res.ok) error = `mp4: HTTP ${res.status}`;
    else for await (const chunk of res.body) media += chunk.byteLength;
  } catch (e) {
    if (e.name !== 'AbortError') error = `mp4: ${e.cause?.code ?? e.message}`;
  }
  clearTimeout(timer);
  return { media, error };
}

async function slot() {
  await sleep(rand(0, 5000)); // do not all arrive in the same second
  while (Date.now() < deadline - 12_000) {
    const cam = `cam${1 + Math.floor(Math.random() * cameras)}`;
    const stay = Math.min(rand(10_000, 60_000), deadline - Date.now() - 1000);
    const mp4 = Math.random() < 0.25;
    totals.joins++;
    if (mp4) totals.mp4++; else totals.mse++;
    const down = () => downDir && existsSync(`${downDir}/${cam}`);
    const downAtJoin = down();
    const { media, error } = mp4 ? await watchMp4(cam, stay) : await watchMse(cam, stay);
    totals.bytes += media;
    if (downAtJoin || down()) totals.duringFlap++;
    else if (error) fail(error);
    else if (media < 2048) fail(mp4 ? 'mp4: no media' : 'ws: no media');
    else totals.good++;
    await sleep(rand(1000, 5000));
  }
}

await Promise.all(Array.from({ length: slots }, slot));
console.log(JSON.stringify(totals));
process.exit(0);
