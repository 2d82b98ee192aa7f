// Player registry: kind -> factory(video, url, callbacks).
import { createMsePlayer } from './mse.js';
import { createHlsPlayer } from './hls.js';
import { createWebRtcPlayer } from './webrtc.js';

export const PLAYERS = { mse: createMsePlayer, hls: createHlsPlayer, webrtc: createWebRtcPlayer };
export const AVAILABLE = Object.keys(PLAYERS);
