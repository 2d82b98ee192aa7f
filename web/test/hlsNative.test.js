import { describe, expect, it } from 'vitest';
import { useNativeHls } from '../src/lib/player/hls.js';

const video = (answer) => ({ canPlayType: () => answer });

describe('useNativeHls', () => {
  it('uses native HLS only without MediaSource (iPhone Safari)', () => {
    expect(useNativeHls(video('maybe'), {})).toBe(true);
    expect(useNativeHls(video('maybe'), { ManagedMediaSource: function M() {} })).toBe(true);
  });
  it('prefers hls.js where MediaSource exists, even if the browser claims native HLS (Chromium)', () => {
    expect(useNativeHls(video('maybe'), { MediaSource: function M() {} })).toBe(false);
  });
  it('never native when the browser cannot play HLS', () => {
    expect(useNativeHls(video(''), {})).toBe(false);
  });
});
