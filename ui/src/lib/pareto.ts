// The manager's view of a report: downtime by reason as a Pareto (minutes and count,
// biggest first, with the running share), OEE per period as trend lines per machine or
// per line, and the worst losses (downtime of one reason, speed, quality) in time.

import type { Report, ReportRow, ReportTotal } from './types';
import { t } from './i18n.svelte';

export interface ParetoBar {
  /** The reason's id; null for stops not explained, -1 for micro-stops. */
  reasonId: number | null;
  label: string;
  seconds: number;
  count: number;
  /** The share of all downtime up to and including this bar, 0..1. */
  cumulative: number;
}

export const MICRO_STOPS = -1;

/**
 * Downtime by reason over rows (machines and periods), biggest first. Micro-stops are a
 * bar of their own; the bars add up to the rows' downtime.
 */
export function pareto(rows: readonly ReportRow[]): ParetoBar[] {
  const by = new Map<number | null, ParetoBar>();
  const add = (reasonId: number | null, label: string, seconds: number, count: number) => {
    const b = by.get(reasonId) ?? { reasonId, label, seconds: 0, count: 0, cumulative: 0 };
    b.seconds += seconds;
    b.count += count;
    by.set(reasonId, b);
  };
  for (const r of rows) {
    for (const d of r.down_by_reason) {
      add(d.reason_id, d.reason_id === null ? t('production.not_explained') : d.label, d.s, d.count);
    }
    if (r.micro_stops.count > 0) add(MICRO_STOPS, t('production.loss.micro'), r.micro_stops.s, r.micro_stops.count);
  }
  const bars = [...by.values()].sort((a, b) => b.seconds - a.seconds || a.label.localeCompare(b.label));
  const total = bars.reduce((n, b) => n + b.seconds, 0);
  let run = 0;
  for (const b of bars) {
    run += b.seconds;
    b.cumulative = total > 0 ? run / total : 0;
  }
  return bars;
}

export interface Trend {
  /** Period starts (ms) and keys. */
  t: number[];
  keys: string[];
  series: { name: string; values: (number | null)[] }[];
}

/** OEE per period, a series per machine, per line (and the plant), from a report. */
export function oeeTrend(report: Report, group: 'machine' | 'line'): Trend {
  const keys: string[] = [];
  const t: number[] = [];
  const seen = new Set<string>();
  const periodsOf = group === 'machine' ? report.rows.map((r) => r.period) : report.plant.map((r) => r.period);
  for (const p of periodsOf) {
    if (seen.has(p.key)) continue;
    seen.add(p.key);
    keys.push(p.key);
    t.push(p.start_ms);
  }
  const series: Trend['series'] = [];
  const put = (name: string, key: string, oee: number | null) => {
    let s = series.find((x) => x.name === name);
    if (!s) {
      s = { name, values: keys.map(() => null) };
      series.push(s);
    }
    const i = keys.indexOf(key);
    if (i >= 0) s.values[i] = oee;
  };
  if (group === 'machine') {
    for (const r of report.rows) put(r.machine_name, r.period.key, r.oee);
  } else {
    for (const l of report.lines) put(l.line ?? 'Plant', l.period.key, l.oee);
    for (const p of report.plant) put('Plant', p.period.key, p.oee);
  }
  return { t, keys, series };
}

export interface Loss {
  machine: string;
  what: string;
  seconds: number;
  how: string;
}

function add(into: Map<string, Loss>, machine: string, what: string, seconds: number, how: string): void {
  const k = `${machine}\u0000${what}`;
  const l = into.get(k);
  if (l) l.seconds += seconds;
  else into.set(k, { machine, what, seconds, how });
}

/**
 * The biggest losses in time over a report, per machine: downtime of each reason (and
 * not explained, and micro-stops), running slower than the ideal cycle (run time less
 * the parts' ideal time), and scrap (its parts' ideal time).
 */
export function worstLosses(rows: readonly ReportRow[], n: number): Loss[] {
  const m = new Map<string, Loss>();
  for (const r of rows) {
    for (const d of r.down_by_reason) {
      const what = d.reason_id === null ? t('production.loss.not_explained') : d.label;
      add(m, r.machine_name, what, d.s, t('production.loss.how_reason'));
    }
    if (r.micro_stops.s > 0) {
      add(m, r.machine_name, t('production.loss.micro'), r.micro_stops.s, t('production.loss.how_micro'));
    }
    if (r.ideal_s !== null && r.run_s > r.ideal_s) {
      add(m, r.machine_name, t('production.loss.slow'), r.run_s - r.ideal_s, t('production.loss.how_slow'));
    }
    if (r.ideal_s !== null && r.parts_total > 0 && r.parts_scrap > 0) {
      const s = (r.ideal_s * r.parts_scrap) / r.parts_total;
      add(m, r.machine_name, t('production.loss.scrap'), s, t('production.loss.how_scrap'));
    }
  }
  return [...m.values()].sort((a, b) => b.seconds - a.seconds).slice(0, n);
}

/** A report's rows by machine, in the report's order. */
export function totalsByMachine(rows: readonly ReportRow[]): Map<string, ReportRow[]> {
  const m = new Map<string, ReportRow[]>();
  for (const r of rows) m.set(r.machine, [...(m.get(r.machine) ?? []), r]);
  return m;
}

/** Availability, performance and quality over several periods (times and parts added). */
export function combined(rows: readonly (ReportRow | ReportTotal)[]): {
  availability: number | null;
  performance: number | null;
  quality: number | null;
  oee: number | null;
} {
  let run = 0;
  let base = 0;
  let ideal = 0;
  let idealKnown = true;
  let parts = 0;
  let good = 0;
  for (const r of rows) {
    run += r.run_s;
    base += r.planned_s - r.no_data_s;
    if (r.ideal_s === null) idealKnown = false;
    else ideal += r.ideal_s;
    parts += r.parts_total;
    good += r.parts_good;
  }
  const availability = base > 0 ? run / base : null;
  const performance = idealKnown && run > 0 ? ideal / run : null;
  const quality = parts > 0 ? good / parts : null;
  const oee = availability !== null && performance !== null && quality !== null ? availability * performance * quality : null;
  return { availability, performance, quality, oee };
}
