import { describe, expect, it } from 'vitest';
import { syncSummary } from './sync';
import type { SyncStatus } from './types';

function status(over: Partial<SyncStatus>): SyncStatus {
  return {
    state: 'connected',
    enabled: true,
    url: 'http://central:8790',
    site: 'plant-a',
    pin_sha256: '',
    token_stored: true,
    acked_to_ts: 0,
    last_seq: 0,
    last_ack_ts: null,
    last_samples: 0,
    last_bytes: 0,
    last_attempt_ts: null,
    error: '',
    failures: 0,
    backlog_samples: 0,
    backlog_bytes: 0,
    pending_seq: null,
    classes: ['raw'],
    streams: [],
    ...over,
  };
}

describe('syncSummary', () => {
  it('says off and nothing waiting when sync is off', () => {
    const s = syncSummary(status({ state: 'off', enabled: false }), 1_000_000);
    expect(s.state).toBe('Off');
    expect(s.backlog).toBe('nothing waiting');
    expect(s.behind).toBe('');
    expect(s.tone).toBe('muted');
  });

  it('counts the backlog and how far behind the position is while offline', () => {
    const now = 1_700_000_000_000;
    const s = syncSummary(
      status({ state: 'offline', acked_to_ts: now - 90 * 60_000, backlog_samples: 123_456, backlog_bytes: 2_500_000 }),
      now,
    );
    expect(s.state).toBe('Offline');
    expect(s.backlog).toContain('123');
    expect(s.backlog).toContain('456');
    expect(s.behind).not.toBe('');
    expect(s.tone).toBe('warn');
  });

  it('marks a refused batch as bad', () => {
    expect(syncSummary(status({ state: 'parked' }), 0).tone).toBe('bad');
  });
});
