import { describe, expect, it } from 'vitest';
import { announced, commentRequired, journalQuery, stateLabel, toSound, total } from './alarmsapi';
import type { AlarmView } from './types';

function alarm(over: Partial<AlarmView>): AlarmView {
  return {
    id: 1,
    key: 'hot',
    kind: 'high',
    name: 'Oil hot',
    priority: 'high',
    roles: ['operator'],
    action: 'Check the cooler',
    machine: 'press-1',
    value: 85,
    state: 'active_unacked',
    raised_at: 1000,
    cleared_at: null,
    acked_at: null,
    acked_by: null,
    ack_comment: null,
    shelved_until: null,
    shelved_by: null,
    shelve_reason: null,
    suppressed: false,
    ...over,
  };
}

describe('alarms', () => {
  it('sounds once for each new critical or high alarm that is announced', () => {
    const list = [
      alarm({ id: 1 }),
      alarm({ id: 2, priority: 'critical' }),
      alarm({ id: 3, priority: 'medium' }),
      alarm({ id: 4, state: 'active_acked' }),
      alarm({ id: 5, shelved_until: 5000 }),
      alarm({ id: 6, suppressed: true }),
      alarm({ id: 7, state: 'cleared_unacked' }),
    ];
    expect(toSound(list, new Set(), 2000)).toEqual([1, 2]);
    expect(toSound(list, new Set([1]), 2000)).toEqual([2]);
    // The shelf ran out: it is announced again.
    expect(toSound(list, new Set([1, 2]), 5000)).toEqual([5]);
  });

  it('reads states, counts and filters', () => {
    expect(stateLabel(alarm({}))).toBe('Active, not acknowledged');
    expect(stateLabel(alarm({ state: 'cleared_unacked' }))).toBe('Cleared, not acknowledged');
    expect(total({ critical: 1, high: 2, medium: 3, low: 4 })).toBe(10);
    expect(journalQuery({ from: 5, machine: '', priority: 'high', what: undefined })).toBe(
      'from=5&priority=high',
    );
    expect(commentRequired(alarm({}), ['critical', 'high'])).toBe(true);
    expect(commentRequired(alarm({ priority: 'low' }), ['critical', 'high'])).toBe(false);
    expect(announced(alarm({ shelved_until: 3000 }), 3000)).toBe(true);
  });
});
