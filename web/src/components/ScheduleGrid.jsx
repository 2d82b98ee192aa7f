// 7×24 weekly schedule editor (168 booleans, Sunday 00:00 first, hour-major as upstream). Click or drag to paint.
import { useRef } from 'preact/hooks';

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

export function ScheduleGrid({ value, onChange, testid }) {
  const paint = useRef(null);
  const set = (i, v) => { const next = value.slice(); next[i] = v; onChange(next); };
  return (
    <div class="overflow-x-auto" data-testid={testid} onPointerUp={() => { paint.current = null; }} onPointerLeave={() => { paint.current = null; }}>
      <table class="border-separate border-spacing-0.5 text-[10px]">
        <thead><tr><th />{Array.from({ length: 24 }, (_, h) => <th key={h} class="w-4 font-normal text-zinc-500">{h % 3 === 0 ? h : ''}</th>)}</tr></thead>
        <tbody>
          {DAYS.map((d, di) => (
            <tr key={d}>
              <th class="pr-1 text-left font-normal text-zinc-500">{d}</th>
              {Array.from({ length: 24 }, (_, h) => {
                const i = di * 24 + h;
                return (
                  <td key={h}>
                    <button type="button" aria-label={`${d} ${h}:00`} aria-pressed={!!value[i]}
                      class={`block h-4 w-4 rounded-sm ${value[i] ? 'bg-green-600' : 'bg-zinc-300 dark:bg-zinc-700'}`}
                      onPointerDown={(e) => { e.preventDefault(); paint.current = !value[i]; set(i, paint.current); }}
                      onPointerEnter={() => { if (paint.current !== null) set(i, paint.current); }}
                      onKeyDown={(e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); set(i, !value[i]); } }} />
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
      <div class="mt-1 flex gap-2">
        <button type="button" class="btn btn-sm" onClick={() => onChange(Array(168).fill(true))}>All</button>
        <button type="button" class="btn btn-sm" onClick={() => onChange(Array(168).fill(false))}>None</button>
      </div>
    </div>
  );
}
