// "Add ONVIF camera" (issue 16): find cameras (WS-Discovery through POST /api/onvif/discovery/discover, optionally
// unicast to given addresses), or type the device address; read its profiles with the credentials
// (GET /api/onvif/device/profiles, upstream's X-Device-URL/X-Username/X-Password headers); pick the main profile and a
// name; add (POST /api/onvif/device/add: the server takes the smaller profile as the sub-stream).
import { useState } from 'preact/hooks';
import { api } from '../lib/api.js';
import { Field, Modal, toast } from './ui.jsx';

const NAME_RE = /^[A-Za-z0-9._-]+$/;

export function suggestName(device) {
  const base = String(device?.name || device?.ip_address || 'camera').replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^_+|_+$/g, '');
  return (base || 'camera').slice(0, 64);
}

export function OnvifAddModal({ onClose, onAdded }) {
  const [network, setNetwork] = useState('');
  const [addresses, setAddresses] = useState('');
  const [devices, setDevices] = useState(null);
  const [url, setUrl] = useState('');
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [profiles, setProfiles] = useState(null);
  const [token, setToken] = useState('');
  const [name, setName] = useState('');
  const [busy, setBusy] = useState('');
  const [error, setError] = useState('');

  const run = async (what, fn) => {
    setBusy(what); setError('');
    try { await fn(); } catch (e) { setError(e.message); }
    setBusy('');
  };
  const discover = () => run('discover', async () => {
    const list = addresses.split(/[\s,]+/).filter(Boolean);
    const r = await api.post('/api/onvif/discovery/discover', { network: network.trim() || 'auto', ...(list.length ? { addresses: list } : {}) });
    setDevices(r.devices || []);
  });
  const use = (d) => { setUrl(d.device_service); setName((n) => n || suggestName(d)); setProfiles(null); };
  const loadProfiles = () => run('profiles', async () => {
    const r = await api.get('/api/onvif/device/profiles', { headers: { 'X-Device-URL': url.trim(), 'X-Username': username, 'X-Password': password } });
    const list = r.profiles || [];
    setProfiles(list);
    setToken(list[0]?.token || '');
  });
  const add = () => run('add', async () => {
    if (!NAME_RE.test(name)) throw new Error("Stream name can only contain letters, digits, '.', '-', and '_'");
    await api.post('/api/onvif/device/add', { device_url: url.trim(), profile_token: token, stream_name: name, username, password });
    toast(`${name} added`);
    onAdded?.(name);
  });

  return (
    <Modal title="Add ONVIF camera" onClose={onClose} testid="onvif-add">
      <div class="space-y-4">
        <section class="space-y-2">
          <h3 class="text-sm font-semibold">1. Find the camera</h3>
          <div class="grid grid-cols-1 gap-2 sm:grid-cols-2">
            <Field label="Network (CIDR, empty = this machine's networks)" id="onvif-network">
              <input id="onvif-network" class="input" placeholder="auto" value={network} onInput={(e) => setNetwork(e.currentTarget.value)} data-testid="onvif-network" />
            </Field>
            <Field label="Or probe addresses (ip[:port], comma-separated)" id="onvif-addresses">
              <input id="onvif-addresses" class="input" placeholder="192.168.1.20" value={addresses} onInput={(e) => setAddresses(e.currentTarget.value)} data-testid="onvif-addresses" />
            </Field>
          </div>
          <button class="btn" onClick={discover} disabled={!!busy} data-testid="onvif-discover">{busy === 'discover' ? 'Searching…' : 'Discover'}</button>
          {devices && (devices.length === 0
            ? <p class="text-sm text-zinc-500" data-testid="onvif-none">No camera answered.</p>
            : (
              <ul class="divide-y divide-zinc-200 rounded border border-zinc-200 dark:divide-zinc-800 dark:border-zinc-800" data-testid="onvif-devices">
                {devices.map((d) => (
                  <li key={d.endpoint || d.device_service} class="flex items-center gap-2 p-2 text-sm" data-testid="onvif-device">
                    <div class="min-w-0 flex-1">
                      <div class="truncate font-medium">{d.name || d.hardware || 'Camera'}</div>
                      <div class="truncate text-xs text-zinc-500">{d.ip_address} · {d.device_service}</div>
                    </div>
                    <button class="btn btn-sm" onClick={() => use(d)} data-testid="onvif-use">Use</button>
                  </li>
                ))}
              </ul>
            ))}
        </section>
        <section class="space-y-2">
          <h3 class="text-sm font-semibold">2. Sign in</h3>
          <Field label="Device address (URL, host or IP)" id="onvif-url">
            <input id="onvif-url" class="input" placeholder="http://192.168.1.20/onvif/device_service" value={url} onInput={(e) => { setUrl(e.currentTarget.value); setProfiles(null); }} data-testid="onvif-url" />
          </Field>
          <div class="grid grid-cols-2 gap-2">
            <Field label="User name" id="onvif-user">
              <input id="onvif-user" class="input" autocomplete="off" value={username} onInput={(e) => setUsername(e.currentTarget.value)} data-testid="onvif-username" />
            </Field>
            <Field label="Password" id="onvif-pass">
              <input id="onvif-pass" class="input" type="password" autocomplete="new-password" value={password} onInput={(e) => setPassword(e.currentTarget.value)} data-testid="onvif-password" />
            </Field>
          </div>
          <button class="btn" onClick={loadProfiles} disabled={!!busy || !url.trim()} data-testid="onvif-profiles-load">{busy === 'profiles' ? 'Connecting…' : 'Read profiles'}</button>
        </section>
        {profiles && (
          <section class="space-y-2">
            <h3 class="text-sm font-semibold">3. Choose the main profile</h3>
            <div class="space-y-1" role="radiogroup" data-testid="onvif-profiles">
              {profiles.map((p) => (
                <label key={p.token} class="flex items-center gap-2 rounded border border-zinc-200 p-2 text-sm dark:border-zinc-800" data-testid="onvif-profile">
                  <input type="radio" name="onvif-profile" value={p.token} checked={token === p.token} onChange={() => setToken(p.token)} />
                  <span class="font-medium">{p.name || p.token}</span>
                  <span class="text-xs text-zinc-500">{p.width}×{p.height} · {p.encoding} · {p.fps} fps</span>
                </label>
              ))}
            </div>
            <p class="text-xs text-zinc-500">A smaller profile becomes the sub-stream (live grid and detection).</p>
            <Field label="Stream name" id="onvif-name">
              <input id="onvif-name" class="input" value={name} onInput={(e) => setName(e.currentTarget.value)} data-testid="onvif-name" />
            </Field>
            <button class="btn btn-primary" onClick={add} disabled={!!busy || !token || !name} data-testid="onvif-add-submit">{busy === 'add' ? 'Adding…' : 'Add camera'}</button>
          </section>
        )}
        {error && <p class="rounded bg-red-100 p-2 text-sm text-red-800 dark:bg-red-950 dark:text-red-200" role="alert" data-testid="onvif-error">{error}</p>}
      </div>
    </Modal>
  );
}
