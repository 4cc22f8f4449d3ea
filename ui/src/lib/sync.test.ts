import { describe, expect, it } from 'vitest';
import { behindText, catchUpText, classRows, clockLine, furthestBehind, limitText, lostLines, skewText, syncSummary } from './sync';
import { setLanguage } from './i18n.svelte';
import type { StreamStatus, SyncStatus } from './types';

function status(over: Partial<SyncStatus>): SyncStatus {
  return {
    state: 'connected',
    enabled: true,
    url: 'http://central:8790',
    site: 'plant-a',
    pin_sha256: '',
    token_stored: true,
    token_kept: 'in the OS keyring',
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
    oldest_waiting_ts: null,
    parked_class: '',
    clock_skew_ms: null,
    clock_checked_ts: null,
    clock_off_since: null,
    bandwidth_bps: 0,
    rate_bps: null,
    waiting_bytes: 0,
    catch_up_ms: null,
    falls_behind: false,
    lost: [],
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

const NOW = Date.UTC(2026, 10, 29, 12, 0, 0);
const DAY = 86_400_000;

function stream(name: string, over: Partial<StreamStatus>): StreamStatus {
  return {
    stream: name,
    chosen: true,
    position: 0,
    last_seq: 0,
    last_ack_ts: null,
    rows_sent: 0,
    bytes_sent: 0,
    pending_seq: null,
    waiting: 0,
    oldest_waiting_ts: null,
    ...over,
  };
}

describe('behindText', () => {
  it('is up to date when nothing waits', () => {
    expect(behindText(null, NOW)).toBe('up to date');
  });
  it('counts whole days from a day on', () => {
    expect(behindText(NOW - 4 * DAY - 5 * 3_600_000, NOW)).toBe('4 days behind');
    expect(behindText(NOW - DAY, NOW)).toBe('1 day behind');
  });
  it('gives hours and minutes under a day', () => {
    expect(behindText(NOW - 2 * 3_600_000 - 5 * 60_000, NOW)).toBe('2 h 5 min behind');
  });
  it('never says behind by a negative time (clock skew)', () => {
    expect(behindText(NOW + 10_000, NOW)).toBe('0 s behind');
  });
});

describe('classRows', () => {
  const s = status({
    state: 'parked',
    classes: ['rollups', 'production', 'audit'],
    parked_class: 'production',
    error: 'production batch 7: the central server refused the batch (HTTP 409): expected 5 (sequence_conflict)',
    streams: [
      stream('rollups', {
        position: NOW - 3 * DAY,
        last_seq: 41,
        last_ack_ts: NOW - 60_000,
        rows_sent: 12_345,
        bytes_sent: 2_000_000,
        waiting: 1_200,
        oldest_waiting_ts: NOW - 3 * DAY,
        pending_seq: 42,
      }),
      stream('production', { position: NOW - 3_600_000, pending_seq: 7, waiting: 3, oldest_waiting_ts: NOW - 3_000_000 }),
      stream('audit', { position: 101, last_seq: 2, last_ack_ts: NOW - 5_000, rows_sent: 100 }),
      stream('config', { chosen: false }),
    ],
  });
  const rows = classRows(s, NOW, 'UTC');

  it('has a row per class, raw first, with the unchosen muted', () => {
    expect(rows.map((r) => r.cls)).toEqual(['raw', 'rollups', 'production', 'audit', 'config']);
    expect(rows[0].chosen).toBe(false);
    expect(rows[0].behind).toBe('not chosen');
    expect(rows[0].waiting).toBe('—');
    expect(rows[4].tone).toBe('muted');
  });

  it('shows the backlog, the batch on its way and days behind', () => {
    const r = rows[1];
    expect(r.waiting).toBe('1,200 tag-hours; batch no. 42 on its way');
    expect(r.behind).toBe('3 days behind');
    expect(r.tone).toBe('warn');
    expect(r.last).toMatch(/^no\. 41, 1 min ago \(12,345 rows, .*B in all\)$/);
    expect(r.position).toContain('hours before');
  });

  it('puts the refusal on the class whose batch was parked, and only there', () => {
    expect(rows[2].parked).toContain('sequence_conflict');
    expect(rows[2].tone).toBe('bad');
    expect(rows.filter((r) => r.parked !== '').map((r) => r.cls)).toEqual(['production']);
  });

  it('gives appended streams their row number and nothing waiting', () => {
    expect(rows[3].position).toBe('up to no. 100');
    expect(rows[3].waiting).toBe('nothing waiting');
    expect(rows[3].behind).toBe('up to date');
    expect(rows[3].tone).toBe('ok');
  });

  it('names the furthest-behind chosen class for the headline', () => {
    expect(furthestBehind(s, NOW)).toBe('3 days behind');
    expect(furthestBehind(status({ classes: ['raw'] }), NOW)).toBe('up to date');
    expect(furthestBehind(status({ classes: ['raw'], oldest_waiting_ts: NOW - 20_000 }), NOW)).toBe('20 s behind');
  });
});

describe('the raw backlog', () => {
  it('gives its size on the wire only once a batch showed it', () => {
    const before = classRows(status({ classes: ['raw'], backlog_samples: 1_500, backlog_bytes: 0 }), NOW, 'UTC');
    expect(before[0].waiting).toBe('1,500 samples');
    const after = classRows(status({ classes: ['raw'], backlog_samples: 1_500, backlog_bytes: 3_000, pending_seq: 9 }), NOW, 'UTC');
    expect(after[0].waiting).toMatch(/^1,500 samples, about .*B; batch no\. 9 on its way$/);
    expect(syncSummary(status({ backlog_samples: 2, backlog_bytes: 0 }), NOW).backlog).toBe('2 samples');
  });
});

describe('clockLine', () => {
  const now = 10_000_000;
  it('is null before the first exchange', () => {
    expect(clockLine(status({}), now)).toBeNull();
  });
  it('says in step within the limit', () => {
    const c = clockLine(status({ clock_skew_ms: 2_400, clock_checked_ts: now - 60_000, clock_off_since: null }), now);
    expect(c).toEqual({ text: "in step with the central server's (2 s apart, checked 1 min ago)", tone: 'ok' });
  });
  it('says how far off and since when beyond it', () => {
    const c = clockLine(
      status({ clock_skew_ms: -125_000, clock_checked_ts: now - 5_000, clock_off_since: now - 3_600_000 }),
      now,
    );
    expect(c?.tone).toBe('bad');
    expect(c?.text).toContain("this PC's clock is 2 min 5 s ahead of the central server's");
    expect(c?.text).toContain('off since 1 h ago');
    expect(skewText(90_000)).toBe('1 min 30 s behind');
  });
});

describe('catchUpText and limitText', () => {
  it('says nothing when connected, and waits for a measured batch', () => {
    expect(catchUpText(status({ state: 'connected' }))).toBeNull();
    expect(catchUpText(status({ state: 'behind' }))?.text).toBe('estimated once a batch has gone out');
  });
  it('gives the time at the rate reached', () => {
    const c = catchUpText(status({ state: 'behind', catch_up_ms: 2 * 3_600_000, rate_bps: 250_000, waiting_bytes: 1_800_000_000 }));
    expect(c?.tone).toBe('warn');
    expect(c?.text).toMatch(/^about 2 h to catch up at .+\/s \(.+ waiting\)$/);
  });
  it('warns when the plant adds more than goes out, naming the limit', () => {
    const c = catchUpText(status({ state: 'behind', falls_behind: true, rate_bps: 2048, bandwidth_bps: 2048 }));
    expect(c?.tone).toBe('bad');
    expect(c?.text).toContain('raise the bandwidth limit');
    expect(limitText(status({ bandwidth_bps: 0 }))).toBe('none (as fast as the link allows)');
    expect(limitText(status({ bandwidth_bps: 250_000 }))).toMatch(/\/s on average$/);
  });
});

describe('lostLines', () => {
  it('names each class and tag with its count and range', () => {
    const lines = lostLines(
      status({
        lost: [
          { class: 'audit', tag: '', from_ts: 5, to_ts: 12, count: 8 },
          { class: 'raw', tag: 'meter/power', from_ts: 1_000_000, to_ts: 2_000_000, count: 90 },
        ],
      }),
      3_000_000,
      'UTC',
    );
    expect(lines[0]).toBe('Audit log: 8 entries, no. 5 to 12');
    expect(lines[1]).toMatch(/^Raw samples, meter\/power: 90 samples from .+ to .+$/);
    expect(lostLines(status({}), 0, 'UTC')).toEqual([]);
  });

  it('says it in German: plurals, grouped numbers and the clock in one sentence', () => {
    setLanguage('de', 'de-DE');
    try {
      const NOW = 1_700_000_000_000;
      expect(behindText(NOW - 86_400_000, NOW)).toBe('1 Tag im Rückstand');
      expect(behindText(NOW - 3 * 86_400_000, NOW)).toBe('3 Tage im Rückstand');
      expect(syncSummary(status({ backlog_samples: 1500, backlog_bytes: 0 }), NOW).backlog).toBe('1.500 Messwerte');
      expect(skewText(-125_000)).toBe('2 min 5 s vor');
      const c = clockLine(status({ clock_skew_ms: -125_000, clock_checked_ts: NOW - 60_000, clock_off_since: NOW - 3_600_000 }), NOW);
      expect(c?.text).toMatch(/^die Uhr dieses PCs geht gegenüber dem Zentralserver 2 min 5 s vor \(geprüft .+, abweichend seit 1 h\)/);
      expect(limitText(status({ bandwidth_bps: 0 }))).toBe('keine (so schnell die Leitung erlaubt)');
    } finally {
      setLanguage('en', 'en-GB');
    }
  });
});
