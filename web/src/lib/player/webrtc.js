// WebRTC player: one RTCPeerConnection that receives the stream's video and audio. Signalling is go2rtc's
// POST /go2rtc/api/webrtc?src=NAME with {"type":"offer","sdp"} → {"type":"answer","sdp"}. The server is ICE-lite
// and puts its candidates in the answer, so nothing is trickled. Tried only when the user picks WebRTC
// (select.js); a refusal, a failed connection or a stall falls back to MSE and HLS like any other player error.
export function createWebRtcPlayer(video, url, { onError, onPlaying } = {}, win = globalThis) {
  let pc = null, closed = false;
  const onPlayingEv = () => onPlaying?.();
  const fail = (msg) => { if (!closed) { stop(); onError?.(new Error(msg)); } };

  async function start() {
    video.addEventListener('playing', onPlayingEv);
    pc = new win.RTCPeerConnection();
    const media = win.MediaStream ? new win.MediaStream() : null;
    pc.addTransceiver('video', { direction: 'recvonly' });
    pc.addTransceiver('audio', { direction: 'recvonly' });
    pc.ontrack = (e) => {
      if (media) media.addTrack(e.track);
      if (video.srcObject !== (media || e.streams[0])) video.srcObject = media || e.streams[0];
      video.play().catch(() => {});
    };
    pc.onconnectionstatechange = () => {
      if (pc && (pc.connectionState === 'failed' || pc.connectionState === 'closed')) fail(`WebRTC connection ${pc.connectionState}`);
    };
    const offer = await pc.createOffer();
    await pc.setLocalDescription(offer);
    if (closed) return;
    const res = await win.fetch(url, {
      method: 'POST', credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'X-Requested-With': 'XMLHttpRequest' },
      body: JSON.stringify({ type: 'offer', sdp: pc.localDescription.sdp }),
    });
    if (closed) return;
    const text = await res.text();
    let body = null;
    try { body = JSON.parse(text); } catch { /* not JSON: reported below */ }
    if (!res.ok || body?.type !== 'answer') return fail(`WebRTC refused (${res.status}): ${body?.error || text.slice(0, 120)}`);
    await pc.setRemoteDescription({ type: 'answer', sdp: body.sdp });
  }

  function stop() {
    if (closed) return;
    closed = true;
    video.removeEventListener('playing', onPlayingEv);
    if (pc) { pc.ontrack = null; pc.onconnectionstatechange = null; pc.close(); pc = null; }
    video.srcObject = null;
  }

  return { kind: 'webrtc', start, stop };
}
