import { describe, it, expect } from 'vitest';
import { afterFailure } from '../src/lib/player/retry.js';
import { tabsFor, changedSettings, label } from '../src/lib/settingsTabs.js';
import { appendLogs } from '../src/pages/System.jsx';
import { jobProgress, jobDone } from '../src/components/BatchJob.jsx';
import { exportUrl } from '../src/components/ExportModal.jsx';
import { fmtDuration, fmtBytes } from '../src/lib/format.js';

describe('tile retry sequence', () => {
  const mid = { random: () => 0.5 };
  it('tries each player at once, then backs off before starting the list again', () => {
    let s = { idx: 0, failures: 0 };
    const seen = [];
    for (let i = 0; i < 7; i++) { s = afterFailure(s, 3, mid); seen.push([s.idx, s.delay]); }
    expect(seen).toEqual([[1, 0], [2, 0], [0, 1000], [1, 0], [2, 0], [0, 2000], [1, 0]]);
  });
  it('with a single player every retry is a backoff', () => {
    expect(afterFailure({ idx: 0, failures: 0 }, 1, mid)).toEqual({ idx: 0, failures: 1, delay: 1000 });
    expect(afterFailure({ idx: 0, failures: 5 }, 1, mid).delay).toBe(15000);
  });
});

describe('settings', () => {
  it('groups known keys into tabs and puts unknown keys under Other, never read-only ones', () => {
    const tabs = tabsFor({ web_port: 8080, mqtt_enabled: true, brand_new_key: 1, max_streams_ceiling: 16 });
    expect(tabs.map((t) => [t.id, t.keys])).toEqual([['general', ['web_port']], ['mqtt', ['mqtt_enabled']], ['other', ['brand_new_key']]]);
  });
  it('sends only changed writable keys', () => {
    const orig = { web_port: 8080, retention_days: 30, mqtt_password: '********', max_streams_ceiling: 16, trusted_proxy_cidrs: '' };
    expect(changedSettings(orig, { ...orig, retention_days: 7, max_streams_ceiling: 99 })).toEqual({ retention_days: 7 });
    expect(changedSettings(orig, { ...orig })).toEqual({});
  });
  it('labels keys readably', () => {
    expect(label('mqtt_ha_discovery')).toBe('MQTT HA discovery');
    expect(label('storage_min_free_pct')).toBe('Storage min free PCT');
  });
});

describe('logs, jobs, export, formatting', () => {
  it('keeps only the newest log lines', () => {
    const a = Array.from({ length: 8 }, (_, i) => i);
    expect(appendLogs(a, [8, 9, 10], 5)).toEqual([6, 7, 8, 9, 10]);
    expect(appendLogs([], [1], 5)).toEqual([1]);
  });
  it('reads progress from batch-delete and batch-download status bodies', () => {
    expect(jobProgress({ status: 'running', total: 10, current: 4 })).toBe(0.4);
    expect(jobProgress({ status: 'complete', total: 0, current: 0, complete: true })).toBe(1);
    expect(jobProgress(null)).toBe(0);
    expect(jobDone({ status: 'running', complete: false })).toBe(false);
    expect(jobDone({ status: 'error' })).toBe(true);
    expect(jobDone({ status: 'complete' })).toBe(true);
  });
  it('builds the export URL with UTC ISO times', () => {
    expect(exportUrl('front door', 1704110400, 1704114000)).toBe('/api/recordings/export?stream=front%20door&start=2024-01-01T12%3A00%3A00Z&end=2024-01-01T13%3A00%3A00Z');
  });
  it('formats durations and sizes', () => {
    expect(fmtDuration(3725)).toBe('1h 2m');
    expect(fmtDuration(59)).toBe('59s');
    expect(fmtDuration(90061)).toBe('1d 1h 1m');
    expect(fmtBytes(1536)).toBe('1.5 KB');
    expect(fmtBytes(undefined)).toBe('—');
  });
});

import { zoomAt, clampPan, MAX_ZOOM } from '../src/components/useVideoZoom.js';
describe('digital zoom maths', () => {
  it('zooms around the pointer: the point under it stays put', () => {
    const z = zoomAt({ scale: 1, x: 0, y: 0 }, 2, 100, 50, 400, 200);
    expect(z).toEqual({ scale: 2, x: -100, y: -50 });
    // the content point under (100,50) before: (100,50); after: (100 - x)/scale = 100 → unchanged
    expect((100 - z.x) / z.scale).toBe(100);
  });
  it('never zooms out below 1× or beyond the maximum, and never shows empty edges', () => {
    expect(zoomAt({ scale: 1, x: 0, y: 0 }, 0.5, 10, 10, 400, 200)).toEqual({ scale: 1, x: 0, y: 0 });
    expect(zoomAt({ scale: 7, x: 0, y: 0 }, 2, 0, 0, 400, 200).scale).toBe(MAX_ZOOM);
    expect(clampPan({ scale: 2, x: 50, y: -500 }, 400, 200)).toEqual({ scale: 2, x: 0, y: -200 });
  });
});
