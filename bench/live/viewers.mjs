// N go2rtc MSE viewers over WebSocket for a while; prints one JSON line: connected, fragments per viewer, bytes.
// usage: node --experimental-websocket viewers.mjs <wsUrl> <basicUser:password> <count> <seconds>
const [url, cred, countArg, secondsArg] = process.argv.slice(2);
const count = Number(countArg), seconds = Number(secondsArg);
const auth = 'Basic ' + Buffer.from(cred).toString('base64');
const stats = [];
for (let i = 0; i < count; i++) {
  const s = { open: false, mse: false, fragments: 0, bytes: 0, error: null };
  stats.push(s);
  const ws = new WebSocket(url, { headers: { Authorization: auth, 'User-Agent': 'bench-viewer' } });
  ws.binaryType = 'arraybuffer';
  ws.onopen = () => { s.open = true; ws.send(JSON.stringify({ type: 'mse', value: 'avc1.640029,mp4a.40.2' })); };
  ws.onmessage = ev => {
    if (typeof ev.data === 'string') { const m = JSON.parse(ev.data); s.mse = m.type === 'mse'; if (!s.mse) s.error = m.value; return; }
    s.fragments++; s.bytes += ev.data.byteLength;
  };
  ws.onerror = e => { s.error = String(e.message ?? e.type); };
  setTimeout(() => ws.close(), seconds * 1000);
}
setTimeout(() => {
  const f = stats.map(s => s.fragments).sort((a, b) => a - b);
  console.log(JSON.stringify({
    viewers: count, connected: stats.filter(s => s.mse).length,
    fragmentsMin: f[0] ?? 0, fragmentsMedian: f[Math.floor(f.length / 2)] ?? 0,
    bytesTotal: stats.reduce((a, s) => a + s.bytes, 0), errors: stats.filter(s => s.error).map(s => s.error).slice(0, 3),
  }));
  process.exit(0);
}, seconds * 1000 + 500);
