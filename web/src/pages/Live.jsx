import { useEffect, useMemo, useState } from 'preact/hooks';
import { api } from '../lib/api.js';
import { fetchStreams, streamTags } from '../lib/streams.js';
import { PRESETS, loadLayout, saveLayout, layoutId, pageItems, pageCount, effectiveCols, clampDim, MAX_DIM } from '../lib/grid.js';
import { detectCapabilities } from '../lib/player/select.js';
import { navigate, useLocation } from '../lib/router.js';
import { VideoTile } from '../components/VideoTile.jsx';
import { useActiveEvents } from '../components/useActiveEvents.js';
import { Empty, ErrorBox, Loading, Modal, useFetch } from '../components/ui.jsx';

const PLAYER_KEY = 'lightnvr.player';
const BOXES_KEY = 'lightnvr.boxes'; // 'off' hides detection boxes on the live tiles; anything else shows them

export function LivePage() {
  const { query } = useLocation();
  const { data: streams, error, loading, reload } = useFetch(fetchStreams);
  const [layout, setLayout] = useState(loadLayout);
  const [page, setPage] = useState(0);
  const [width, setWidth] = useState(window.innerWidth);
  const [expanded, setExpanded] = useState(null);
  const [preferred, setPreferred] = useState(() => localStorage.getItem(PLAYER_KEY) || 'auto');
  const [showBoxes, setShowBoxes] = useState(() => localStorage.getItem(BOXES_KEY) !== 'off');
  const [server, setServer] = useState(null); // null until /api/settings answers, so tiles connect once
  const caps = useMemo(() => detectCapabilities(window), []);
  const tag = query.get('tag') || '';
  const activeEvents = useActiveEvents();
  const eventsOf = (name) => [...activeEvents.values()].filter((e) => e.stream === name);

  useEffect(() => {
    // Which live modes the server has switched off (settings are readable by every role upstream; ignore failure).
    api.get('/api/settings').then((s) => setServer({ mse_disabled: !!s?.mse_disabled, hls_disabled: !!s?.hls_disabled, webrtc_disabled: !!s?.webrtc_disabled, webrtc_offered: s?.go2rtc_webrtc_enabled !== false && !s?.webrtc_disabled }), () => setServer({}));
    const onResize = () => setWidth(window.innerWidth);
    window.addEventListener('resize', onResize);
    return () => window.removeEventListener('resize', onResize);
  }, []);

  const choose = (l) => { setLayout(l); saveLayout(l); setPage(0); };
  const visibleStreams = (streams || []).filter((s) => s.enabled !== false && (!tag || streamTags(s).includes(tag)));
  const allTags = [...new Set((streams || []).flatMap(streamTags))].sort();
  const pages = pageCount(visibleStreams.length, layout);
  const p = Math.min(page, pages - 1);
  const items = pageItems(visibleStreams, layout, p);
  const cols = effectiveCols(layout, items.length, width);

  return (
    <div>
      <div class="mb-3 flex flex-wrap items-center gap-2">
        <h1 class="mr-2 text-lg font-semibold">Live</h1>
        <div class="flex flex-wrap gap-1" role="group" aria-label="Grid layout">
          {PRESETS.map((pr) => (
            <button key={pr.id} class={`btn btn-sm ${layoutId(layout) === pr.id ? 'btn-primary' : ''}`} aria-pressed={layoutId(layout) === pr.id}
              onClick={() => choose(pr)} data-testid={`layout-${pr.id}`}>{pr.id.replace('x', '×')}</button>
          ))}
        </div>
        <label class="flex items-center gap-1 text-sm">
          <span class="sr-only">Columns</span>
          <input type="number" min="1" max={MAX_DIM} class="input w-16 min-h-8 py-1" value={layout.cols} aria-label="Columns" data-testid="layout-cols"
            onChange={(e) => choose({ ...layout, cols: clampDim(e.currentTarget.value) })} />
          ×
          <input type="number" min="1" max={MAX_DIM} class="input w-16 min-h-8 py-1" value={layout.rows} aria-label="Rows" data-testid="layout-rows"
            onChange={(e) => choose({ ...layout, rows: clampDim(e.currentTarget.value) })} />
        </label>
        {allTags.length > 0 && (
          <select class="input w-auto min-h-8 py-1" value={tag} aria-label="Filter by tag" data-testid="live-tag"
            onChange={(e) => navigate(e.currentTarget.value ? `/live?tag=${encodeURIComponent(e.currentTarget.value)}` : '/live')}>
            <option value="">All tags</option>
            {allTags.map((t) => <option key={t}>{t}</option>)}
          </select>
        )}
        <select class="input w-auto min-h-8 py-1" value={preferred} aria-label="Player" data-testid="live-player"
          onChange={(e) => { setPreferred(e.currentTarget.value); localStorage.setItem(PLAYER_KEY, e.currentTarget.value); }}>
          <option value="auto">{server?.webrtc_offered ? 'Auto (WebRTC → MSE → HLS)' : 'Auto (MSE → HLS)'}</option>
          <option value="mse">MSE</option>
          <option value="hls">HLS</option>
          {server?.webrtc_offered && <option value="webrtc">WebRTC (then MSE → HLS)</option>}
        </select>
        <button class={`btn btn-sm ${showBoxes ? 'btn-primary' : ''}`} aria-pressed={showBoxes} data-testid="live-boxes"
          title="Show object detection boxes on the tiles"
          onClick={() => { const next = !showBoxes; setShowBoxes(next); localStorage.setItem(BOXES_KEY, next ? 'on' : 'off'); }}>Boxes</button>
        <button class="btn btn-sm" onClick={() => { const g = document.querySelector('[data-testid=live-grid]'); if (g?.requestFullscreen) g.requestFullscreen().catch(() => {}); }} data-testid="live-fullscreen">Fullscreen</button>
        {pages > 1 && (
          <div class="ml-auto flex items-center gap-1 text-sm" data-testid="live-pager">
            <button class="btn btn-sm" disabled={p === 0} onClick={() => setPage(p - 1)} aria-label="Previous page">‹</button>
            <span>{p + 1} / {pages}</span>
            <button class="btn btn-sm" disabled={p >= pages - 1} onClick={() => setPage(p + 1)} aria-label="Next page">›</button>
          </div>
        )}
      </div>
      {(loading && !streams) || !server ? <Loading /> : error ? <ErrorBox error={error} onRetry={reload} /> : visibleStreams.length === 0 ? (
        <Empty>No cameras to show{tag ? ` with tag “${tag}”` : ''}. <a class="underline" href="/streams">Add a stream</a>.</Empty>
      ) : (
        <div class="grid gap-1.5 bg-zinc-50 sm:gap-2 dark:bg-zinc-950 [&:fullscreen]:content-center [&:fullscreen]:bg-black" style={{ gridTemplateColumns: `repeat(${cols}, minmax(0, 1fr))` }} data-testid="live-grid" data-cols={cols}>
          {items.map((s) => (
            <VideoTile key={s.name} stream={s} caps={caps} server={server} preferred={preferred} events={eventsOf(s.name)} showBoxes={showBoxes} onExpand={() => setExpanded(s)} />
          ))}
        </div>
      )}
      {expanded && (
        <Modal title={expanded.name} wide onClose={() => setExpanded(null)} testid="live-expanded">
          <VideoTile stream={expanded} caps={caps} server={server} preferred={preferred} events={eventsOf(expanded.name)} showBoxes={showBoxes} expanded />
        </Modal>
      )}
    </div>
  );
}
