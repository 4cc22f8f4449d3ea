// What the trend charts share: the look of axes, the x axis in the plant's time zone
// with labels by span, zooming by dragging a span and by the mouse wheel, light bands
// where a line breaks, the state timeline's fills, the plot width to ask data for.

import uPlot from 'uplot';
import { axisFormat, axisLabels, axisSpace, wheelFactor } from './span';
import type { Segment, SegmentKind } from './states';
import { chartColours } from './theme';

/** Axes in the theme's colours, read at each draw (a theme change needs a redraw only). */
export const axisStyle = {
  stroke: () => chartColours.axis,
  grid: { stroke: () => chartColours.grid, width: 1 },
  ticks: { stroke: () => chartColours.ticks, width: 1 },
  font: '13px system-ui, sans-serif',
};

function xSpan(u: uPlot): number {
  const s = u.scales.x;
  return (s?.max ?? 0) - (s?.min ?? 0);
}

/** The time axis: labels by span (14:03:12 · 14:03 · 26 Nov · Nov 2025) in the zone. */
export function timeAxis(tz: () => string | undefined, extra: Partial<uPlot.Axis> = {}): uPlot.Axis {
  return {
    ...axisStyle,
    space: (u: uPlot) => axisSpace(xSpan(u)),
    values: (u: uPlot, splits: number[], _axis: number, _space: number, incr: number) =>
      axisLabels(splits, axisFormat(xSpan(u), incr), tz()),
    ...extra,
  };
}

/** uPlot's dates in the plant's zone. */
export function tzDate(tz: () => string | undefined): (ts: number) => Date {
  return (ts: number) => {
    const zone = tz();
    return zone ? uPlot.tzDate(new Date(ts), zone) : new Date(ts);
  };
}

/** The cursor of a chart that zooms by dragging a span and shares its cursor. */
export function zoomCursor(syncKey: string, extra: uPlot.Cursor = {}): uPlot.Cursor {
  return {
    drag: { x: true, y: false, setScale: false, dist: 8 },
    sync: { key: syncKey, setSeries: false },
    ...extra,
  };
}

/** Least drag in CSS pixels that counts as a span. */
const MIN_DRAG_PX = 8;

/**
 * Zoom: a span dragged out calls `onSelect(from, to)`; the wheel over the plot calls
 * `onWheel(time under the cursor, factor)`.
 */
export function zoomPlugin(on: {
  select: (from: number, to: number) => void;
  wheel: (anchor: number, factor: number) => void;
}): uPlot.Plugin {
  return {
    hooks: {
      setSelect: [
        (u: uPlot) => {
          const { left, width } = u.select;
          if (width >= MIN_DRAG_PX) on.select(u.posToVal(left, 'x'), u.posToVal(left + width, 'x'));
          if (width > 0) u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
        },
      ],
      ready: [
        (u: uPlot) => {
          u.over.addEventListener(
            'wheel',
            (e: WheelEvent) => {
              if (e.ctrlKey || Math.abs(e.deltaY) < Math.abs(e.deltaX)) return;
              e.preventDefault();
              const rect = u.over.getBoundingClientRect();
              on.wheel(u.posToVal(e.clientX - rect.left, 'x'), wheelFactor(e.deltaY, e.deltaMode));
            },
            { passive: false },
          );
        },
      ],
    },
  };
}

/**
 * Fills spans of time [a, b) across the plot area (clipped to it), each in the style
 * `style(i)` gives for span i: gap bands, state timelines.
 */
export function fillSpans(
  u: uPlot,
  spans: readonly (readonly [number, number])[],
  style: (i: number) => string | CanvasPattern,
  alpha = 1,
): void {
  const { left, top, width, height } = u.bbox;
  const ctx = u.ctx;
  ctx.save();
  ctx.beginPath();
  ctx.rect(left, top, width, height);
  ctx.clip();
  ctx.globalAlpha = alpha;
  spans.forEach(([a, b], i) => {
    const x0 = Math.round(u.valToPos(a, 'x', true));
    const x1 = Math.round(u.valToPos(b, 'x', true));
    if (x1 < left || x0 > left + width) return;
    ctx.fillStyle = style(i);
    ctx.fillRect(x0, top, Math.max(1, x1 - x0), height);
  });
  ctx.restore();
}

/** The light grey of the bands where the line of a one-tag chart breaks. */
export const GAP_FILL = 'rgba(148, 163, 184, 0.18)';

/**
 * Light bands over the stretches where lines break (see gapBands), a list per series:
 * light grey, or with `colour` lighter still in the colour of the series they break.
 */
export function gapPlugin(
  bands: () => readonly (readonly (readonly [number, number])[])[],
  colour?: (series: number) => string,
): uPlot.Plugin {
  return {
    hooks: {
      drawAxes: [
        (u: uPlot) =>
          bands().forEach((list, i) =>
            colour ? fillSpans(u, list, () => colour(i), 0.09) : fillSpans(u, list, () => GAP_FILL),
          ),
      ],
    },
  };
}

/**
 * Draws a state timeline's stretches: in the state colours of the page's CSS (so the
 * timeline matches the chips), "no data" hatched diagonally like the NO DATA tiles.
 * One painter per chart: it keeps the colours and the pattern once made.
 */
export function statePainter(): (u: uPlot, segments: readonly Segment[]) => void {
  const colours = new Map<SegmentKind, string>();
  let hatch: CanvasPattern | null = null;

  function colour(kind: SegmentKind): string {
    let c = colours.get(kind);
    if (c === undefined) {
      const name = kind === 'nodata' ? '--nodata-a' : `--${kind}`;
      c = getComputedStyle(document.documentElement).getPropertyValue(name).trim() || '#cbd5e1';
      colours.set(kind, c);
    }
    return c;
  }

  function hatchPattern(ctx: CanvasRenderingContext2D): CanvasPattern | string {
    if (hatch) return hatch;
    const k = Math.max(8, Math.round(10 * (window.devicePixelRatio || 1)));
    const c = document.createElement('canvas');
    c.width = k;
    c.height = k;
    const g = c.getContext('2d');
    if (!g) return colour('nodata');
    g.fillStyle = chartColours.hatchA;
    g.fillRect(0, 0, k, k);
    g.strokeStyle = chartColours.hatchB;
    g.lineWidth = k / 4;
    g.beginPath();
    for (const o of [-k, 0, k]) {
      g.moveTo(o, k);
      g.lineTo(o + k, 0);
    }
    g.stroke();
    hatch = ctx.createPattern(c, 'repeat');
    return hatch ?? colour('nodata');
  }

  return (u, segments) =>
    fillSpans(
      u,
      segments.map((s) => [s.from, s.to] as const),
      (i) => (segments[i].kind === 'nodata' ? hatchPattern(u.ctx) : colour(segments[i].kind)),
    );
}

/** The width of the plot area in CSS pixels: the number of points to ask for. */
export function plotWidth(plot: uPlot | null, el: HTMLElement | null): number {
  const w = plot && plot.bbox.width > 0 ? plot.bbox.width / uPlot.pxRatio : (el?.clientWidth ?? 800) - 70;
  return Math.max(50, Math.min(10_000, Math.round(w)));
}

/** Room for the longest tick label, so large values are not cut off. */
export function yAxisSize(_u: uPlot, values: string[] | null): number {
  const longest = values ? Math.max(1, ...values.map((v) => v.length)) : 4;
  return Math.ceil(longest * 7.6) + 22;
}

/** A y range with room around the values; a flat line gets a band around it. */
export function paddedRange(min: number | null, max: number | null): uPlot.Range.MinMax {
  if (min === null || max === null || !Number.isFinite(min) || !Number.isFinite(max)) return [0, 1];
  if (min === max) {
    const pad = Math.abs(min) > 0 ? Math.abs(min) * 0.05 : 1;
    return [min - pad, max + pad];
  }
  return uPlot.rangeNum(min, max, 0.1, true);
}
