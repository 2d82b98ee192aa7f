// WebRTC player: one RTCPeerConnection that receives the stream's video and audio. Signalling is go2rtc's
// POST /go2rtc/api/webrtc?src=NAME with {"type":"offer","sdp"} → {"type":"answer","sdp"}. The server is ICE-lite
// and puts its candidates in the answer, so nothing is trickled. Tried first when the server offers WebRTC
// (select.js); a refusal, a failed connection or no picture within FIRST_FRAME_MS falls back to MSE and HLS like any
// other player error. A 415 (the camera's codec is not playable over WebRTC, e.g. H.265) is marked `unplayable` so
// the tile stops trying WebRTC for that stream and says why.
// Audio: the live tile is muted, so the offer has no audio section unless `audio` (someone listens) or `talk` is
// set. A received audio track makes chromium open its audio output, which on a browser that has not played audio yet
// held the connection (and the first frame) back by 350–900 ms here (docs/webrtc.md "First picture").

/** How long WebRTC may take to show a picture before the tile falls back (first frame 0.25–0.5 s, bench/webrtc). */
export const FIRST_FRAME_MS = 4000;

// `talk`: the audio transceiver is sendrecv (two-way audio, the server accepts it for backchannel streams and roles
// that may control cameras); setTalking(true) puts the microphone on it (push-to-talk), setTalking(false) takes it off.
// One talker per stream: when another viewer holds the stream's two-way audio the answer says why (`talk_refused`)
// and setTalking(true) rejects with that message, which the tile shows.
export function createWebRtcPlayer(video, url, { onError, onPlaying, firstFrameMs = FIRST_FRAME_MS, talk = false, audio: listen = false, iceServers = null } = {}, win = globalThis) {
  let pc = null, closed = false, timer = null, audio = null, mic = null, talkRefused = null;
  // stop() cancels an offer still on its way: a tile that is gone (a page left, a log-out) asks nothing more.
  const asking = win.AbortController ? new win.AbortController() : null;
  const onPlayingEv = () => { (win.clearTimeout || clearTimeout)(timer); timer = null; onPlaying?.(); };
  const fail = (msg, extra = {}) => {
    if (closed) return;
    stop();
    onError?.(Object.assign(new Error(msg), extra));
  };

  async function start() {
    video.addEventListener('playing', onPlayingEv);
    timer = (win.setTimeout || setTimeout)(() => fail(`WebRTC: no picture within ${firstFrameMs / 1000} s`), firstFrameMs);
    // iceServers: an array or a function giving a promise of one (loadIceServers: STUN/TURN from /api/ice-servers).
    const servers = typeof iceServers === 'function' ? await Promise.resolve(iceServers()).catch(() => []) : iceServers;
    if (closed) return;
    pc = servers?.length ? new win.RTCPeerConnection({ iceServers: servers }) : new win.RTCPeerConnection();
    const media = win.MediaStream ? new win.MediaStream() : null;
    pc.addTransceiver('video', { direction: 'recvonly' });
    if (talk || listen) audio = pc.addTransceiver('audio', { direction: talk ? 'sendrecv' : 'recvonly' });
    pc.ontrack = (e) => {
      if (media) media.addTrack(e.track);
      if (video.srcObject !== (media || e.streams[0])) video.srcObject = media || e.streams[0];
      video.play().catch(() => {});
    };
    pc.onconnectionstatechange = () => {
      if (pc && (pc.connectionState === 'failed' || pc.connectionState === 'closed')) fail(`WebRTC connection ${pc.connectionState}`);
    };
    const offer = await pc.createOffer();
    if (closed) return; // stopped meanwhile: pc is gone
    await pc.setLocalDescription(offer);
    if (closed) return;
    let res;
    try {
      res = await win.fetch(url, {
        method: 'POST', credentials: 'same-origin', signal: asking?.signal,
        headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'X-Requested-With': 'XMLHttpRequest' },
        body: JSON.stringify({ type: 'offer', sdp: pc.localDescription.sdp }),
      });
    } catch (e) {
      if (closed) return; // aborted by stop()
      throw e;
    }
    if (closed) return;
    let text;
    try { text = await res.text(); } catch (e) { if (closed) return; throw e; }
    if (closed) return;
    let body = null;
    try { body = JSON.parse(text); } catch { /* not JSON: reported below */ }
    if (!res.ok || body?.type !== 'answer') {
      return fail(`WebRTC refused (${res.status}): ${body?.error || text.slice(0, 120)}`, { status: res.status, unplayable: res.status === 415 });
    }
    talkRefused = body.talk_refused || null; // another viewer holds this stream's two-way audio
    await pc.setRemoteDescription({ type: 'answer', sdp: body.sdp });
  }

  /** Push-to-talk: the microphone on (asks for it the first time) or off. Resolves false when not possible. */
  async function setTalking(on) {
    if (!talk || !audio || closed) return false;
    if (on && talkRefused) throw new Error(talkRefused);
    if (on) {
      if (!mic) mic = await win.navigator.mediaDevices.getUserMedia({ audio: { echoCancellation: true, noiseSuppression: true } });
      if (closed) return false;
      await audio.sender.replaceTrack(mic.getAudioTracks()[0]);
      return true;
    }
    await audio.sender.replaceTrack(null);
    return true;
  }

  function stop() {
    if (closed) return;
    closed = true;
    asking?.abort();
    if (mic) { for (const t of mic.getTracks()) t.stop(); mic = null; }
    (win.clearTimeout || clearTimeout)(timer);
    video.removeEventListener('playing', onPlayingEv);
    if (pc) { pc.ontrack = null; pc.onconnectionstatechange = null; pc.close(); pc = null; }
    video.srcObject = null;
  }

  return { kind: 'webrtc', start, stop, setTalking };
}
