// Runs npm's onvif client (an ONVIF client nobody here wrote) against a device and prints what it read as one JSON
// line: used by tests/LightNvr.Interop.Tests/Onvif/NpmOnvifCrossCheckTests.cs against the project's ONVIF stand-in.
// Steps: connect, device information, sub-stream URI, PTZ (continuous move + stop, presets, goto preset, absolute
// move, status, set home, relative move, goto home), imaging (read, set brightness 70, read again).
// Usage: node crosscheck.js <port> <username> <password>
const { Cam } = require('onvif');
const [port, username, password] = process.argv.slice(2);
const fail = (step, err) => { console.log(JSON.stringify({ ok: false, step, error: String(err && err.message || err) })); process.exit(1); };
new Cam({ hostname: '127.0.0.1', port: Number(port), username, password, path: '/onvif/device_service', timeout: 5000, preserveAddress: true },
  async function (err) {
    if (err) return fail('connect', err);
    const cam = this;
    let step = '';
    const call = (name, ...args) => new Promise((resolve, reject) => {
      step = name;
      cam[name](...args, (e, value) => (e ? reject(e) : resolve(value)));
    });
    const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
    try {
      const info = await call('getDeviceInformation');
      const sub = await call('getStreamUri', { protocol: 'RTSP', profileToken: 'sub' });
      await call('continuousMove', { x: 0.5, y: 0, zoom: 0 });
      await sleep(500);
      await call('stop', {});
      const presets = await call('getPresets', {});
      await call('gotoPreset', { preset: '1' });
      const atPreset = (await call('getStatus', {})).position;
      await call('absoluteMove', { x: -0.5, y: 0.25, zoom: 0.75 });
      const absolute = (await call('getStatus', {})).position;
      await call('setHomePosition', {});
      await call('relativeMove', { x: 0.25, y: -0.5, zoom: 0 });
      const relative = (await call('getStatus', {})).position;
      await call('gotoHomePosition', {});
      const home = (await call('getStatus', {})).position;
      const imagingBefore = await call('getImagingSettings', {});
      await call('setImagingSettings', { brightness: 70 });
      const imagingAfter = await call('getImagingSettings', {});
      console.log(JSON.stringify({
        ok: true,
        model: info.model,
        profiles: cam.profiles.map(p => ({ token: p.$.token, width: p.videoEncoderConfiguration.resolution.width })),
        mainUri: cam.defaultProfile && cam.defaultProfile.$.token,
        subUri: sub.uri,
        presets,
        atPreset, absolute, relative, home,
        brightnessBefore: imagingBefore.brightness,
        brightnessAfter: imagingAfter.brightness,
      }));
    } catch (e) {
      fail(step, e);
    }
  });
