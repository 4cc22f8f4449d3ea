import { describe, expect, it } from 'vitest';
import { EVENT_GRACE_MS, isNoData, serverNow, silentDevices, skewFrom, stateKind } from './status';
import type { MachineSummary } from './types';

const NOW = 1_764_140_000_000;

function machine(over: Partial<MachineSummary> = {}): MachineSummary {
  return {
    key: 'press-1',
    name: 'Press 1',
    status: 'ok',
    state: { value: 1, label: 'Running', kind: 'running' },
    count_shift: 1234,
    count_unit: 'parts',
    rate_per_min: 23.5,
    rate_basis: 'running',
    devices: [],
    last_update_ms: NOW - 1000,
    stale_after_ms: 3000,
    highlights: [],
    ...over,
  };
}

describe('no data rule', () => {
  it('shows data that is fresh', () => {
    expect(isNoData(machine(), NOW)).toBe(false);
  });

  it('follows the server when it says no_data, however fresh the time looks', () => {
    expect(isNoData(machine({ status: 'no_data' }), NOW)).toBe(true);
  });

  it('shows no data when nothing ever arrived', () => {
    expect(isNoData(machine({ last_update_ms: null }), NOW)).toBe(true);
  });

  it('turns to no data on its own when updates stop arriving', () => {
    const m = machine({ last_update_ms: NOW });
    expect(isNoData(m, NOW + 3000 + EVENT_GRACE_MS)).toBe(false);
    expect(isNoData(m, NOW + 3000 + EVENT_GRACE_MS + 1)).toBe(true);
  });

  it('uses the machine own stale_after_ms', () => {
    const slow = machine({ last_update_ms: NOW, stale_after_ms: 30_000 });
    expect(isNoData(slow, NOW + 20_000)).toBe(false);
    expect(isNoData(slow, NOW + 40_000)).toBe(true);
  });
});

describe('server clock', () => {
  it('measures the skew and applies it', () => {
    // Client clock 5 minutes behind the server.
    const client = NOW - 300_000;
    const skew = skewFrom(NOW, client);
    expect(skew).toBe(300_000);
    expect(serverNow(client + 2000, skew)).toBe(NOW + 2000);
  });

  it('keeps "x s ago" right when the client clock is off', () => {
    const m = machine({ last_update_ms: NOW - 2000 });
    const clientAhead = NOW + 3_600_000; // client one hour ahead
    const skew = skewFrom(NOW, clientAhead);
    expect(isNoData(m, serverNow(clientAhead, skew))).toBe(false);
  });
});

describe('stateKind', () => {
  it('keeps known kinds and maps anything else to unknown', () => {
    expect(stateKind('fault')).toBe('fault');
    expect(stateKind('running')).toBe('running');
    expect(stateKind('exploded')).toBe('unknown');
    expect(stateKind(null)).toBe('unknown');
  });
});

describe('devices named on a tile without data', () => {
  const dev = (key: string, state: 'online' | 'offline' | 'errors' | 'connecting', last_error: string | null = null) => ({
    key,
    name: key.toUpperCase(),
    state,
    last_error,
  });

  it('names the devices that give no data, with their errors', () => {
    const m = machine({
      devices: [dev('plc', 'offline', 'cannot connect to 10.0.0.5:502: refused'), dev('meter', 'online'), dev('io', 'errors', 'exception 2')],
    });
    expect(silentDevices(m).map((d) => [d.key, d.last_error])).toEqual([
      ['plc', 'cannot connect to 10.0.0.5:502: refused'],
      ['io', 'exception 2'],
    ]);
  });

  it('names every device when all of them say online', () => {
    const m = machine({ devices: [dev('plc', 'online'), dev('meter', 'online')] });
    expect(silentDevices(m).map((d) => d.key)).toEqual(['plc', 'meter']);
  });
});
