import { describe, expect, it } from 'vitest';
import { MICRO_STOPS, combined, oeeTrend, pareto, worstLosses } from './pareto';
import type { Report, ReportRow } from './types';

function row(machine: string, key: string, extra: Partial<ReportRow> = {}): ReportRow {
  return {
    machine,
    machine_name: machine.toUpperCase(),
    line: 'L',
    period: { key, shift: null, start_ms: key === 'd1' ? 0 : 86_400_000, end_ms: 1 },
    shift_s: 0,
    planned_s: 1000,
    break_s: 0,
    planned_stop_s: 0,
    no_data_s: 0,
    run_s: 800,
    down_s: 200,
    down_by_state: { stopped_s: 200, idle_s: 0, setup_s: 0, fault_s: 0 },
    down_by_reason: [],
    micro_stops: { count: 0, s: 0 },
    parts_total: 100,
    parts_good: 90,
    parts_scrap: 10,
    scrap_counted: 0,
    scrap_entered: 10,
    ideal_s: 600,
    availability: 0.8,
    performance: 0.75,
    quality: 0.9,
    oee: 0.54,
    counter_events: [],
    how: {} as ReportRow['how'],
    ...extra,
  };
}

const d = (reason_id: number | null, label: string, s: number, count: number) => ({
  reason_id,
  category: null,
  label,
  s,
  count,
});

describe('manager view', () => {
  it('makes a Pareto of downtime by reason, biggest first, adding up', () => {
    const rows = [
      row('a', 'd1', { down_by_reason: [d(1, 'Jam', 300, 2), d(null, 'Not explained', 60, 1)], micro_stops: { count: 4, s: 90 } }),
      row('b', 'd1', { down_by_reason: [d(2, 'Sensor', 400, 1), d(1, 'Jam', 200, 1)] }),
    ];
    const p = pareto(rows);
    expect(p.map((b) => [b.label, b.seconds, b.count])).toEqual([
      ['Jam', 500, 3],
      ['Sensor', 400, 1],
      ['Micro-stops', 90, 4],
      ['Not explained', 60, 1],
    ]);
    expect(p[2].reasonId).toBe(MICRO_STOPS);
    expect(p[0].cumulative).toBeCloseTo(500 / 1050);
    expect(p[3].cumulative).toBe(1);
    expect(pareto([])).toEqual([]);
  });

  it('draws OEE per period for each machine and each line', () => {
    const report = {
      rows: [row('a', 'd1', { oee: 0.5 }), row('a', 'd2', { oee: 0.6 }), row('b', 'd2', { oee: 0.7 })],
      lines: [{ line: 'L', machines: [], period: { key: 'd2', shift: null, start_ms: 5, end_ms: 6 }, oee: 0.65 }],
      plant: [
        { line: null, machines: [], period: { key: 'd1', shift: null, start_ms: 0, end_ms: 5 }, oee: 0.5 },
        { line: null, machines: [], period: { key: 'd2', shift: null, start_ms: 5, end_ms: 6 }, oee: 0.65 },
      ],
    } as unknown as Report;
    const m = oeeTrend(report, 'machine');
    expect(m.keys).toEqual(['d1', 'd2']);
    expect(m.series).toEqual([
      { name: 'A', values: [0.5, 0.6] },
      { name: 'B', values: [null, 0.7] },
    ]);
    const l = oeeTrend(report, 'line');
    expect(l.series).toEqual([
      { name: 'L', values: [null, 0.65] },
      { name: 'Plant', values: [0.5, 0.65] },
    ]);
  });

  it('finds the worst losses in time', () => {
    const rows = [
      row('a', 'd1', { down_by_reason: [d(1, 'Jam', 300, 2)] }),
      row('a', 'd2', { down_by_reason: [d(1, 'Jam', 100, 1)], run_s: 700, ideal_s: 650 }),
    ];
    const w = worstLosses(rows, 3);
    expect(w.map((l) => [l.what, l.seconds])).toEqual([
      ['Jam', 400],
      ['Slow running', 250],
      ['Scrap', 60 + 65],
    ]);
  });

  it('combines periods by adding times and parts, not by averaging ratios', () => {
    const c = combined([row('a', 'd1'), row('a', 'd2', { run_s: 400, planned_s: 500, ideal_s: 300, parts_total: 50, parts_good: 50 })]);
    expect(c.availability).toBeCloseTo(1200 / 1500);
    expect(c.performance).toBeCloseTo(900 / 1200);
    expect(c.quality).toBeCloseTo(140 / 150);
    expect(combined([row('a', 'd1', { ideal_s: null })]).performance).toBeNull();
  });
});
