// Runs npm's onvif client (an ONVIF client nobody here wrote) against a device and prints what it read as one JSON
// line: used by tests/LightNvr.Interop.Tests/Onvif/NpmOnvifCrossCheckTests.cs against the project's ONVIF stand-in.
// Usage: node crosscheck.js <port> <username> <password>
const { Cam } = require('onvif');
const [port, username, password] = process.argv.slice(2);
const fail = (step, err) => { console.log(JSON.stringify({ ok: false, step, error: String(err && err.message || err) })); process.exit(1); };
new Cam({ hostname: '127.0.0.1', port: Number(port), username, password, path: '/onvif/device_service', timeout: 5000, preserveAddress: true },
  function (err) {
    if (err) return fail('connect', err);
    const cam = this;
    cam.getDeviceInformation((err, info) => {
      if (err) return fail('getDeviceInformation', err);
      cam.getStreamUri({ protocol: 'RTSP', profileToken: 'sub' }, (err, sub) => {
        if (err) return fail('getStreamUri', err);
        cam.continuousMove({ x: 0.5, y: 0, zoom: 0 }, (err) => {
          if (err) return fail('continuousMove', err);
          setTimeout(() => cam.stop({}, (err) => {
            if (err) return fail('stop', err);
            cam.getPresets({}, (err, presets) => {
              if (err) return fail('getPresets', err);
              cam.gotoPreset({ preset: '1' }, (err) => {
                if (err) return fail('gotoPreset', err);
                console.log(JSON.stringify({
                  ok: true,
                  model: info.model,
                  profiles: cam.profiles.map(p => ({ token: p.$.token, width: p.videoEncoderConfiguration.resolution.width })),
                  mainUri: cam.defaultProfile && cam.defaultProfile.$.token,
                  subUri: sub.uri,
                  presets,
                }));
              });
            });
          }), 500);
        });
      });
    });
  });
