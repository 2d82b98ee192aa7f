// The ICE servers the WebRTC player gives its RTCPeerConnection: GET /api/ice-servers (upstream LightNVR's shape,
// {"ice_servers":[{urls, username?, credential?}]}), so a browser that cannot reach the server directly can relay
// through the configured TURN server. Asked once and kept for CACHE_MS (time-limited TURN credentials last a day);
// a failed lookup gives [] (direct candidates only) and is asked again on the next player start.

export const CACHE_MS = 10 * 60 * 1000;

let cached = null; // { at, promise }

/** RTCIceServer entries from the endpoint's JSON: entries without urls are left out. */
export function toIceServers(body) {
  const list = Array.isArray(body?.ice_servers) ? body.ice_servers : [];
  return list
    .filter((s) => s && (typeof s.urls === 'string' || (Array.isArray(s.urls) && s.urls.length)))
    .map((s) => {
      const server = { urls: s.urls };
      if (typeof s.username === 'string' && s.username) server.username = s.username;
      if (typeof s.credential === 'string' && s.credential) server.credential = s.credential;
      return server;
    });
}

export function loadIceServers(win = globalThis, now = Date.now()) {
  if (cached && now - cached.at < CACHE_MS) return cached.promise;
  const promise = Promise.resolve()
    .then(() => win.fetch('/api/ice-servers', { credentials: 'same-origin', headers: { Accept: 'application/json' } }))
    .then((res) => (res.ok ? res.json() : null))
    .then(toIceServers)
    .catch(() => []);
  cached = { at: now, promise };
  promise.then((servers) => { if (!servers.length && cached?.promise === promise) cached = null; });
  return promise;
}

/** Tests: forget the cached answer. */
export function resetIceServers() { cached = null; }
