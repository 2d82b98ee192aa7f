// N WebRTC viewers without a browser: npm node-datachannel (libdatachannel: its own ICE, DTLS (OpenSSL/GnuTLS),
// SRTP) on loopback only (bindAddress 127.0.0.1). Each offers a recvonly H.264 (packetization-mode 1) video and a
// recvonly PCMU audio track, POSTs go2rtc JSON {type:'offer',sdp} to /go2rtc/api/webrtc (Basic auth), and counts
// the RTP packets its track hands over (decrypted: SRTP checked by libdatachannel). Prints one JSON line.
// usage: node ndc_viewers.mjs <baseUrl> <stream> <user> <password> <count> <seconds> [profile-level-id]
import nodeDataChannel from 'node-datachannel';

const { PeerConnection, Video, Audio } = nodeDataChannel;
const [base, stream, user, password, countArg, secondsArg, profileArg] = process.argv.slice(2);
const count = Number(countArg ?? 1), seconds = Number(secondsArg ?? 5);
const auth = 'Basic ' + Buffer.from(user + ':' + password).toString('base64');
const t0 = Date.now();

async function viewer(i) {
  const v = { state: [], packets: 0, bytes: 0, audioPackets: 0, keyframe: false, status: null, error: null, connectedMs: null, firstRtpMs: null };
  const pc = new PeerConnection('viewer' + i, { iceServers: [], bindAddress: '127.0.0.1' });
  v.pc = pc;
  pc.onStateChange(s => { v.state.push(s); if (s === 'connected' && v.connectedMs === null) v.connectedMs = Date.now() - t0; });
  const video = new Video('video', 'RecvOnly');
  video.addH264Codec(96, 'profile-level-id=' + (profileArg ?? '640029') + ';packetization-mode=1;level-asymmetry-allowed=1');
  video.addSSRC(1000 + i, 'v' + i);
  const vt = pc.addTrack(video);
  vt.onMessage(buf => {
    if (v.firstRtpMs === null) v.firstRtpMs = Date.now() - t0;
    v.packets++; v.bytes += buf.length;
    // RFC 6184: NAL type 5 (IDR) alone, or inside STAP-A (24) / FU-A (28) with start bit.
    const cc = buf[0] & 0x0f, off = 12 + cc * 4 + ((buf[0] & 0x10) ? 4 + (buf.readUInt16BE(12 + cc * 4 + 2) * 4) : 0);
    const t = buf[off] & 0x1f;
    if (t === 5 || (t === 28 && (buf[off + 1] & 0x1f) === 5) || (t === 24 && (buf[off + 3] & 0x1f) === 7)) v.keyframe = true;
  });
  const audio = new Audio('audio', 'RecvOnly');
  audio.addAudioCodec(0, 'PCMU/8000');
  const at = pc.addTrack(audio);
  at.onMessage(() => { v.audioPackets++; });
  const gathered = new Promise(resolve => pc.onGatheringStateChange(s => { if (s === 'complete') resolve(); }));
  pc.setLocalDescription();
  await gathered;
  const offer = pc.localDescription();
  const r = await fetch(base + '/go2rtc/api/webrtc?src=' + encodeURIComponent(stream), {
    method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: auth },
    body: JSON.stringify({ type: 'offer', sdp: offer.sdp }),
  });
  v.status = r.status;
  if (!r.ok) { v.error = await r.text(); return v; }
  const answer = await r.json();
  pc.setRemoteDescription(answer.sdp, 'answer');
  return v;
}

const viewers = await Promise.all(Array.from({ length: count }, (_, i) => viewer(i).catch(e => ({ error: String(e), state: [] }))));
await new Promise(r => setTimeout(r, seconds * 1000));
const out = {
  viewers: count,
  connected: viewers.filter(v => v.state.includes('connected')).length,
  withKeyframe: viewers.filter(v => v.keyframe).length,
  packetsMin: Math.min(...viewers.map(v => v.packets ?? 0)),
  audioPacketsMin: Math.min(...viewers.map(v => v.audioPackets ?? 0)),
  bytesTotal: viewers.reduce((a, v) => a + (v.bytes ?? 0), 0),
  connectedMsMax: Math.max(...viewers.map(v => v.connectedMs ?? -1)),
  firstRtpMsMax: Math.max(...viewers.map(v => v.firstRtpMs ?? -1)),
  statuses: [...new Set(viewers.map(v => v.status))],
  errors: viewers.filter(v => v.error).map(v => v.error).slice(0, 3),
};
console.log(JSON.stringify(out));
// Closing 20 peer connections then cleanup() at once crashed libdatachannel's threads at exit (SIGSEGV); closing
// them one by one with a pause, and leaving the rest to process exit, does not.
for (const v of viewers) { try { v.pc?.close(); } catch { /* closing */ } await new Promise(r => setTimeout(r, 20)); }
await new Promise(r => setTimeout(r, 300));
process.exit(0);
