// The state timeline: a state tag's history as coloured stretches of time. A value holds
// until the next one; a null is a gap ("no data") until the next value; the last value
// holds for at most `holdMs` (the core's gap threshold), then the timeline reads no data.

import type { Series } from './series';
import { stateKind } from './status';
import type { MachineState, StateKind, StateTimes } from './types';
import { t } from './i18n.svelte';

/**
 * The names Plantlog itself gives states (its standard state map when a machine lists
 * none, and the words it uses when a value has no name), by kind. A label the plant
 * wrote in its configuration ("Tool change", "Rüsten") is data and shown as written.
 */
const STANDARD: Record<string, string> = {
  Running: 'running',
  Idle: 'idle',
  Setup: 'setup',
  Stopped: 'stopped',
  Fault: 'fault',
  Unknown: 'unknown',
};

const KIND_KEYS: Record<string, string> = {
  running: 'common.state.kind.running',
  idle: 'common.state.kind.idle',
  setup: 'common.state.kind.setup',
  stopped: 'common.state.kind.stopped',
  fault: 'common.state.kind.fault',
  unknown: 'common.state.kind.unknown',
};

/**
 * A state's name in the user's language: Plantlog's own names (the standard map's
 * "Running", "Stopped", …, "No data", "State 7") by their kind or value; a name the plant
 * configured as it is.
 */
export function stateName(label: string, kind?: string | null): string {
  const std = STANDARD[label];
  if (std && (!kind || kind === std)) return t(KIND_KEYS[std]);
  if (label === 'No data') return t('common.state.no_data_label');
  const m = /^State (-?\d+)$/.exec(label);
  if (m) return t('common.state.value', { value: Number(m[1]) });
  return label;
}

export type SegmentKind = StateKind | 'nodata';

export interface Segment {
  from: number;
  to: number;
  /** The state value, null for no data. */
  value: number | null;
  label: string;
  kind: SegmentKind;
}

/** "No data" in the user's language (read when a label is made, so it follows a change). */
function noDataLabel(): string {
  return t('common.state.no_data_label');
}

/** The label and kind of a state value, as the core names values it does not know. */
export function describeState(
  value: number,
  states: readonly MachineState[],
): { label: string; kind: StateKind } {
  const v = Math.round(value);
  const def = states.find((s) => s.value === v);
  return def
    ? { label: stateName(def.label, def.kind), kind: stateKind(def.kind) }
    : { label: t('common.state.value', { value: v }), kind: 'unknown' };
}

function gap(from: number, to: number): Segment {
  return { from, to, value: null, label: noDataLabel(), kind: 'nodata' };
}

/**
 * The stretches of state in [from, to], in time order, neighbours with the same value
 * merged. Time before the first value is no data unless the first value comes within
 * `holdMs` of `from` (the sample just after the window opened).
 */
export function stateSegments(
  series: Series,
  states: readonly MachineState[],
  from: number,
  to: number,
  holdMs: number,
): Segment[] {
  const raw: Segment[] = [];
  const n = series.t.length;
  for (let i = 0; i < n; i++) {
    const t = series.t[i];
    const v = series.v[i];
    const next = i + 1 < n ? series.t[i + 1] : null;
    if (v === null || !Number.isFinite(v)) {
      raw.push(gap(t, next ?? to));
      continue;
    }
    const { label, kind } = describeState(v, states);
    const end = next ?? Math.min(to, t + holdMs);
    const value = Math.round(v);
    raw.push({ from: t, to: end, value, label, kind });
    if (next === null && end < to) raw.push(gap(end, to));
  }
  if (raw.length === 0) return from < to ? [gap(from, to)] : [];

  // Clip to the window; the part before the first value.
  const out: Segment[] = [];
  const first = raw[0];
  if (first.from > from) {
    if (first.value !== null && first.from - from <= holdMs) first.from = from;
    else out.push(gap(from, first.from));
  }
  for (const s of raw) {
    const a = Math.max(s.from, from);
    const b = Math.min(s.to, to);
    if (b <= a) continue;
    const prev = out[out.length - 1];
    if (prev && prev.value === s.value && prev.kind === s.kind && prev.to >= a) {
      prev.to = Math.max(prev.to, b);
    } else {
      out.push({ ...s, from: a, to: b });
    }
  }
  return out;
}

/**
 * The timeline of a long span from the core's columns: each column shows the state that
 * held longest in it (null: no data), neighbours with the same state merged.
 */
export function segmentsFromColumns(times: StateTimes, states: readonly MachineState[]): Segment[] {
  const cols = times.columns ?? [];
  const n = cols.length;
  const out: Segment[] = [];
  for (let k = 0; k < n; k++) {
    const from = times.from + ((times.to - times.from) * k) / n;
    const to = times.from + ((times.to - times.from) * (k + 1)) / n;
    const v = cols[k];
    const prev = out[out.length - 1];
    if (prev && prev.value === v) {
      prev.to = to;
    } else if (v === null) {
      out.push(gap(from, to));
    } else {
      out.push({ from, to, value: v, ...describeState(v, states) });
    }
  }
  return out;
}

/** The stretch that covers time `t`, or null outside all of them. */
export function segmentAt(segments: readonly Segment[], t: number): Segment | null {
  let lo = 0;
  let hi = segments.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const s = segments[mid];
    if (t < s.from) hi = mid - 1;
    else if (t >= s.to && !(mid === segments.length - 1 && t === s.to)) lo = mid + 1;
    else return s;
  }
  return null;
}

export interface LegendEntry {
  value: number | null;
  label: string;
  kind: SegmentKind;
  /** Total time in this state inside the segments, ms. */
  ms: number;
}

/**
 * One entry per state present, in the order the plant lists its states (unlisted
 * values after them, by value), with no data last; each with its total time.
 */
export function legend(segments: readonly Segment[], states: readonly MachineState[]): LegendEntry[] {
  const byKey = new Map<string, LegendEntry>();
  for (const s of segments) {
    const key = s.value === null ? 'nodata' : String(s.value);
    const e = byKey.get(key);
    if (e) e.ms += s.to - s.from;
    else byKey.set(key, { value: s.value, label: s.label, kind: s.kind, ms: s.to - s.from });
  }
  return ordered([...byKey.values()], states);
}

/** The legend from the core's exact time in each state (long spans, where the
 * timeline's few values per pixel cannot say how long each state lasted). */
export function legendFromTimes(times: StateTimes, states: readonly MachineState[]): LegendEntry[] {
  const entries: LegendEntry[] = times.states
    .filter((s) => s.ms > 0)
    .map((s) => ({ value: s.value, ...describeState(s.value, states), ms: s.ms }));
  if (times.no_data_ms > 0) {
    entries.push({ value: null, label: noDataLabel(), kind: 'nodata', ms: times.no_data_ms });
  }
  return ordered(entries, states);
}

function ordered(entries: LegendEntry[], states: readonly MachineState[]): LegendEntry[] {
  const order = (e: LegendEntry): number => {
    if (e.value === null) return Number.MAX_SAFE_INTEGER;
    const i = states.findIndex((s) => s.value === e.value);
    return i >= 0 ? i : states.length + e.value / 1e9;
  };
  return entries.sort((a, b) => order(a) - order(b) || (a.value ?? 0) - (b.value ?? 0));
}
