// API load for the soak: <rate> requests per second, one at a time over keep-alive connections, cycling through the
// endpoints the UI polls (stream list, health, storage health, a camera's recordings page, a camera's timeline day),
// until <seconds> have passed. Every second, at most <rate> requests start; a slow reply delays the next ones (no
// pile-up). Prints one JSON line: requests, non-2xx and transport errors by kind, latency p50/p99/max in ms overall
// and per endpoint.
// usage: node api.mjs <baseUrl> <user:password> <cameraCount> <rate> <seconds>
const [base, cred, camArg, rateArg, secondsArg] = process.argv.slice(2);
const cameras = Number(camArg), rate = Number(rateArg), seconds = Number(secondsArg);
const headers = { Authorization: 'Basic ' + Buffer.from(cred).toString('base64') };
const deadline = Date.now() + seconds * 1000;
const sleep = ms => new Promise(r => setTimeout(r, ms));
const cam = () => `cam${1 + Math.floor(Math.random() * cameras)}`;
const endpoints = {
  streams: () => '/api/streams',
  health: () => '/api/health',
  storage: () => '/api/storage/health',
  recordings: () => `/api/recordings?stream=${cam()}&limit=20&sort=start_time&order=desc`,
  timeline: () => `/api/timeline/segments?stream=${cam()}`,
};
const names = Object.keys(endpoints);
const lat = Object.fromEntries(names.map(n => [n, []]));
const bad = {};
let requests = 0, i = 0;

while (Date.now() < deadline) {
  const slotEnd = Date.now() + 1000;
  for (let k = 0; k < rate && Date.now() < deadline; k++) {
    const name = names[i++ % names.length];
    const t0 = performance.now();
    try {
      const res = await fetch(base + endpoints[name](), { headers });
      await res.arrayBuffer();
      if (!res.ok) bad[`${name} HTTP ${res.status}`] = (bad[`${name} HTTP ${res.status}`] ?? 0) + 1;
    } catch (e) {
      const key = `${name} ${e.cause?.code ?? e.message}`;
      bad[key] = (bad[key] ?? 0) + 1;
    }
    lat[name].push(performance.now() - t0);
    requests++;
  }
  await sleep(Math.max(0, slotEnd - Date.now()));
}

const pct = (a, p) => a.length ? a[Math.min(a.length - 1, Math.floor(p * a.length))] : 0;
const summary = a => {
  a.sort((x, y) => x - y);
  return { n: a.length, p50: +pct(a, 0.5).toFixed(1), p99: +pct(a, 0.99).toFixed(1), max: +(a.at(-1) ?? 0).toFixed(1) };
};
const all = names.flatMap(n => lat[n]);
console.log(JSON.stringify({
  requests, errors: Object.values(bad).reduce((a, b) => a + b, 0), errorKinds: bad,
  all: summary(all), ...Object.fromEntries(names.map(n => [n, summary(lat[n])])),
}));
process.exit(0);
