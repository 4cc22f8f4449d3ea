// The uPlot options of each chart look (see ChartLook): one tag as a line, with
// whole-number ticks for a part counter; one state tag as a timeline; several tags with
// one y axis per unit, a colour per series and a stepped line for a state tag. All share
// the x axis in the plant's zone, drag and wheel zoom and the page's shared cursor. Only
// options: the chart component owns the plot, its data and what it draws.

import uPlot from 'uplot';
import {
  axisStyle,
  gapPlugin,
  paddedRange,
  timeAxis,
  tzDate,
  yAxisSize,
  zoomCursor,
} from './chart';
import type { PlotTag } from './chartdata';
import { COUNT_INCRS, countRange } from './counter';
import { formatCount, formatTicks } from './format';
import type { Window } from './series';
import { assignAxes, colourFor } from './trends';
import { chartColours } from './theme';

/** What every look needs. */
export interface PlotFrame {
  width: number;
  height: number;
  /** Charts with the same key share the cursor. */
  syncKey: string;
  /** The plant's time zone, once known. */
  zone: () => string | undefined;
  /** The span on the x axis. */
  window: () => Window;
  /** Drag and wheel zoom (zoomPlugin). */
  zoom: uPlot.Plugin;
  /** Told the time under the cursor, null when it leaves the plot. */
  hover?: (ms: number | null) => void;
}

type Bands = readonly (readonly [number, number])[];

function frame(f: PlotFrame, cursor: uPlot.Cursor = {}): uPlot.Options {
  const opts: uPlot.Options = {
    width: f.width,
    height: f.height,
    ms: 1,
    tzDate: tzDate(f.zone),
    legend: { show: false },
    cursor: zoomCursor(f.syncKey, cursor),
    series: [],
  };
  const hover = f.hover;
  if (hover) {
    opts.hooks = {
      setCursor: [
        (u) => {
          const x = u.cursor.left;
          hover(x === undefined || x === null || x < 0 ? null : u.posToVal(x, 'x'));
        },
      ],
    };
  }
  return opts;
}

function xScale(f: PlotFrame): uPlot.Scale {
  return { time: true, range: () => [f.window().from, f.window().to] };
}

/** One tag as a line; a part counter (role `count`) on whole-number ticks. */
export function lineOptions(f: PlotFrame, tag: Pick<PlotTag, 'label' | 'role'>, bands: () => Bands): uPlot.Options {
  const count = tag.role === 'count';
  return {
    ...frame(f),
    plugins: [f.zoom, gapPlugin(() => [bands()])],
    scales: {
      x: xScale(f),
      y: { range: (_u, min, max) => (count ? countRange(min, max) : paddedRange(min, max)) },
    },
    axes: [
      timeAxis(f.zone),
      {
        ...axisStyle,
        size: yAxisSize,
        ...(count ? { incrs: [...COUNT_INCRS] } : {}),
        values: (_u, splits, _axis, _space, incr) =>
          count ? splits.map((v) => formatCount(v)) : formatTicks(splits, incr),
      },
    ],
    series: [
      {},
      {
        label: tag.label,
        stroke: () => chartColours.line,
        width: 2,
        fill: () => chartColours.lineFill,
        spanGaps: false,
        points: { size: 5, fill: () => chartColours.line },
      },
    ],
  };
}

/** One state tag as a timeline: `draw` paints its stretches; no y axis, no line. */
export function stateOptions(f: PlotFrame, label: string, draw: (u: uPlot) => void): uPlot.Options {
  const opts = frame(f, { y: false, points: { show: false } });
  return {
    ...opts,
    padding: [4, 18, 0, 18],
    plugins: [f.zoom],
    scales: { x: xScale(f), y: { range: () => [0, 1] } },
    axes: [timeAxis(f.zone, { grid: { show: false }, size: 36 }), { show: false }],
    series: [{}, { label, paths: () => null, points: { show: false } }],
    hooks: { ...opts.hooks, draw: [draw] },
  };
}

/**
 * Several tags: one y axis per unit (left and right in turn, labelled with the unit, in
 * the series' colour when it carries one series), a colour per series, a state tag as a
 * stepped line, breaks shaded in the colour of their series.
 */
export function tagsOptions(f: PlotFrame, list: readonly PlotTag[], bands: () => Bands[]): uPlot.Options {
  const { axes, seriesAxis } = assignAxes(list.map((t) => t.unit));
  const scales: uPlot.Scales = { x: xScale(f) };
  for (const a of axes) scales[a.scale] = { range: (_u, min, max) => paddedRange(min, max) };
  return {
    ...frame(f, { points: { size: 7 } }),
    plugins: [f.zoom, gapPlugin(bands, colourFor)],
    scales,
    axes: [
      timeAxis(f.zone),
      ...axes.map((a, i): uPlot.Axis => {
        const mine = list.filter((_, k) => seriesAxis[k] === i);
        const only = mine.length === 1 ? colourFor(list.indexOf(mine[0])) : axisStyle.stroke;
        return {
          ...axisStyle,
          scale: a.scale,
          side: a.side,
          stroke: only,
          grid: i === 0 ? axisStyle.grid : { show: false },
          label: a.unit || 'no unit',
          labelSize: 22,
          labelFont: 'bold 13px system-ui, sans-serif',
          size: yAxisSize,
          values: (_u, splits, _axis, _space, incr) => formatTicks(splits, incr),
        };
      }),
    ],
    series: [
      {},
      ...list.map((t, i): uPlot.Series => ({
        label: `${t.machineName ?? ''} · ${t.label}`,
        scale: axes[seriesAxis[i]].scale,
        stroke: colourFor(i),
        width: 2,
        spanGaps: false,
        points: { size: 4, fill: colourFor(i) },
        ...(t.role === 'state' ? { paths: uPlot.paths.stepped!({ align: 1 }) } : {}),
      })),
    ],
  };
}
