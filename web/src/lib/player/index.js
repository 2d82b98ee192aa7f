// Player registry: kind -> factory(video, url, callbacks). Add 'webrtc' here when the server offers it.
import { createMsePlayer } from './mse.js';
import { createHlsPlayer } from './hls.js';

export const PLAYERS = { mse: createMsePlayer, hls: createHlsPlayer };
export const AVAILABLE = Object.keys(PLAYERS);
