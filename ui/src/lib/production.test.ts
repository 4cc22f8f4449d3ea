import { describe, expect, it } from 'vitest';
import {
  dur,
  figureText,
  howOf,
  minutes,
  oeeClass,
  pct,
  reasonGroups,
  splitPoint,
  stopMs,
  stopReasons,
  stopState,
  versusTarget,
} from './production';
import type { Figures, Reason, StopView } from './types';

const reason = (id: number, category: string, name: string, extra: Partial<Reason> = {}): Reason => ({
  id,
  kind: 'downtime',
  category,
  name,
  planned: false,
  active: true,
  ...extra,
});

const stop = (extra: Partial<StopView> = {}): StopView => ({
  start_ms: 10_000,
  end_ms: 130_000,
  down_s: 120,
  down_by_state: { stopped_s: 20, idle_s: 0, setup_s: 0, fault_s: 100 },
  no_data_s: 0,
  micro: false,
  needs_reason: true,
  segments: [],
  ...extra,
});

describe('production figures', () => {
  it('shows ratios as percentages and null as a dash', () => {
    expect(pct(0.76543)).toBe('76.5 %');
    expect(pct(1.093, 0)).toBe('109 %');
    expect(pct(null)).toBe('—');
  });

  it('shows times as people say them', () => {
    expect(dur(45)).toBe('45 s');
    expect(dur(750)).toBe('12 min 30 s');
    expect(dur(7500)).toBe('2 h 05 min');
    expect(dur(-60)).toBe('−1 min 00 s');
    expect(minutes(750)).toBe('12.5 min');
  });

  it('names each figure and says how it was computed', () => {
    const f = {
      oee: 0.5,
      availability: null,
      parts_total: 1234,
      planned_s: 3600,
      how: { oee: 'A × P × Q', availability: 'no value' },
    } as unknown as Figures;
    expect(figureText(f, 'oee')).toBe('50.0 %');
    expect(figureText(f, 'availability')).toBe('—');
    expect(figureText(f, 'parts')).toBe('1,234');
    expect(figureText(f, 'planned')).toBe('1 h 00 min');
    expect(howOf(f, 'oee')).toBe('A × P × Q');
  });

  it('colours OEE from 85 % good, from 60 % fair', () => {
    expect(oeeClass(0.85)).toBe('good');
    expect(oeeClass(0.6)).toBe('fair');
    expect(oeeClass(0.59)).toBe('poor');
    expect(oeeClass(null)).toBe('none');
  });

  it('groups the active downtime reasons by category', () => {
    const g = reasonGroups([
      reason(1, 'Mechanical', 'Jam'),
      reason(2, 'Electrical', 'Sensor'),
      reason(3, 'Mechanical', 'Tool'),
      reason(4, 'Mechanical', 'Old', { active: false }),
      reason(5, 'Scrap', 'Burr', { kind: 'scrap' }),
    ]);
    expect(g.map((x) => [x.category, x.reasons.map((r) => r.id)])).toEqual([
      ['Mechanical', [1, 3]],
      ['Electrical', [2]],
    ]);
  });

  it('says how long a stop lasted, why, and in which state', () => {
    expect(stopMs(stop(), 0)).toBe(120_000);
    expect(stopMs(stop({ end_ms: null }), 70_000)).toBe(60_000);
    expect(stopState(stop())).toBe('fault');
    expect(stopReasons(stop())).toBe('Not explained');
    const seg = (reason: string | null) => ({
      from_ms: 0,
      to_ms: 1,
      reason_id: null,
      reason,
      planned: false,
      comment: '',
      entered_by: null,
      entered_ms: null,
    });
    expect(stopReasons(stop({ segments: [seg('Jam'), seg('Jam')] }))).toBe('Jam');
    expect(stopReasons(stop({ segments: [seg('Jam'), seg(null)] }))).toBe('Jam, then Not explained');
  });

  it('splits a stop strictly inside it, on a whole second', () => {
    expect(splitPoint(stop(), 0, 0.5)).toBe(70_000);
    expect(splitPoint(stop(), 0, 0)).toBeNull();
    expect(splitPoint(stop({ end_ms: null }), 40_400, 1)).toBe(40_000);
  });

  it('compares parts with the target', () => {
    expect(versusTarget(1450, 1450)).toEqual({ value: '1,450 / 1,450', label: 'Parts / target (100 %)', cls: 'good' });
    expect(versusTarget(300, 450).cls).toBe('poor');
    expect(versusTarget(400, 450).cls).toBe('fair');
    expect(versusTarget(300, null)).toEqual({ value: '300', label: 'Parts (no target)', cls: 'none' });
  });
});
