// Alarms marked on trend charts (issue 13): from the alarm journal of the machines shown, a mark
// where an alarm was raised (or came back) and where it cleared, drawn as a thin
// vertical line over the plot with a small flag on top (the priority's colour for a
// raise, green for a clear).

import type uPlot from 'uplot';
import type { JournalEntry } from './types';

export interface AlarmMark {
  at: number;
  /** raised (also a return) or cleared */
  what: 'raised' | 'cleared';
  name: string;
  priority: string;
}

const COLOURS: Record<string, string> = {
  critical: '#7f1d1d',
  high: '#dc2626',
  medium: '#d97706',
  low: '#64748b',
};
const CLEARED = '#16a34a';

/** The marks of journal entries within [from, to], oldest first. */
export function marksFrom(entries: readonly JournalEntry[], from: number, to: number): AlarmMark[] {
  const out: AlarmMark[] = [];
  for (const e of entries) {
    if (e.at < from || e.at > to) continue;
    if (e.what === 'raised' || e.what === 'returned') out.push({ at: e.at, what: 'raised', name: e.name, priority: e.priority });
    else if (e.what === 'cleared') out.push({ at: e.at, what: 'cleared', name: e.name, priority: e.priority });
  }
  return out.sort((a, b) => a.at - b.at);
}

/**
 * The marks of several journals (one per machine of a Trends chart) within [from, to],
 * oldest first; an entry in two of them is marked once.
 */
export function marksFromJournals(
  journals: readonly (readonly JournalEntry[])[],
  from: number,
  to: number,
): AlarmMark[] {
  const seen = new Set<number>();
  const entries: JournalEntry[] = [];
  for (const list of journals) {
    for (const e of list) {
      if (seen.has(e.id)) continue;
      seen.add(e.id);
      entries.push(e);
    }
  }
  return marksFrom(entries, from, to);
}

/** The colour of a mark. */
export function markColour(m: AlarmMark): string {
  return m.what === 'cleared' ? CLEARED : (COLOURS[m.priority] ?? COLOURS.medium);
}

/** The mark nearest to `ms` within `tolerance` ms, for the chart's tooltip. */
export function markAt(marks: readonly AlarmMark[], ms: number, tolerance: number): AlarmMark | null {
  let best: AlarmMark | null = null;
  for (const m of marks) {
    const d = Math.abs(m.at - ms);
    if (d <= tolerance && (best === null || d < Math.abs(best.at - ms))) best = m;
  }
  return best;
}

/** A uPlot plugin drawing `marks()` over the plot. */
export function alarmMarksPlugin(marks: () => readonly AlarmMark[]): uPlot.Plugin {
  return {
    hooks: {
      draw: [
        (u: uPlot) => {
          const list = marks();
          if (list.length === 0) return;
          const ctx = u.ctx;
          const { left, top, width, height } = u.bbox;
          const px = devicePixelRatio || 1;
          ctx.save();
          for (const m of list) {
            const x = Math.round(u.valToPos(m.at, 'x', true));
            if (x < left || x > left + width) continue;
            const colour = markColour(m);
            ctx.strokeStyle = colour;
            ctx.fillStyle = colour;
            ctx.lineWidth = 1.5 * px;
            ctx.setLineDash(m.what === 'cleared' ? [4 * px, 3 * px] : []);
            ctx.beginPath();
            ctx.moveTo(x, top);
            ctx.lineTo(x, top + height);
            ctx.stroke();
            // the flag: a triangle pointing down at the top of the plot
            const s = 5 * px;
            ctx.setLineDash([]);
            ctx.beginPath();
            ctx.moveTo(x - s, top);
            ctx.lineTo(x + s, top);
            ctx.lineTo(x, top + s * 1.4);
            ctx.closePath();
            ctx.fill();
          }
          ctx.restore();
        },
      ],
    },
  };
}
