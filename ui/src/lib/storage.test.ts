import { describe, expect, it } from 'vitest';
import { ApiError } from './api';
import {
  buildChange,
  classLabel,
  cutoff,
  describeShortening,
  describeStep,
  diskUse,
  emptyStep,
  formFromStorage,
  formatBytes,
  formatDate,
  retentionWords,
  shortened,
  stepAmount,
  unchanged,
  wouldRemove,
} from './storage';

const saved = {
  retention: { raw_days: 365, minute_days: 730, hour_days: null, audit_days: 1095, archive: false },
  disk_warn_mb: 1024,
};
const BERLIN = 'Europe/Berlin';

describe('the retention form', () => {
  it('starts from the saved settings; a class kept for ever offers a year', () => {
    const f = formFromStorage(saved);
    expect(f.days).toEqual({ raw: 365, minute: 730, hour: 365, audit: 1095 });
    expect(f.forever).toEqual({ raw: false, minute: false, hour: true, audit: false });
    expect(f.archive).toBe(false);
    expect(f.diskWarnMb).toBe(1024);
    expect(unchanged(f, saved)).toBe(true);
  });

  it('builds the StorageChange the API takes', () => {
    const f = formFromStorage(saved);
    f.days.raw = '30';
    f.forever.audit = true;
    f.archive = true;
    f.diskWarnMb = 2048;
    expect(buildChange(f)).toEqual({
      change: {
        raw_days: 30,
        minute_days: 730,
        hour_days: null,
        audit_days: null,
        archive: true,
        disk_warn_mb: 2048,
        confirm: false,
      },
    });
    expect(unchanged(f, saved)).toBe(false);
    const built = buildChange(f, true);
    expect('change' in built && built.change.confirm).toBe(true);
  });

  it('names every field that is wrong', () => {
    const f = formFromStorage(saved);
    f.days.raw = 0;
    f.days.minute = '36501';
    f.days.hour = 'abc'; // kept for ever: not read
    f.days.audit = '2.5';
    f.diskWarnMb = null;
    const r = buildChange(f);
    expect('errors' in r && Object.keys(r.errors).sort()).toEqual(['audit', 'disk_warn_mb', 'minute', 'raw']);
  });

  it('tells which classes a change keeps for less time', () => {
    expect(shortened(saved.retention, { ...saved.retention, raw_days: 30, hour_days: 3650 })).toEqual(['raw', 'hour']);
    expect(shortened(saved.retention, { ...saved.retention, raw_days: null, audit_days: 2000 })).toEqual([]);
  });
});

describe('describeShortening', () => {
  it('says which classes are kept for less time, from what to what', () => {
    expect(describeShortening(saved.retention, { ...saved.retention, raw_days: 30, hour_days: 3650 })).toEqual([
      { cls: 'raw', text: 'Raw samples: 365 days (1 year) → 30 days' },
      { cls: 'hour', text: 'Hour rollups: keep for ever → 3,650 days (10 years)' },
    ]);
    expect(describeShortening(saved.retention, saved.retention)).toEqual([]);
  });

  it('knows where a retention cuts off', () => {
    expect(cutoff(2, Date.UTC(2025, 0, 3))).toBe(Date.UTC(2025, 0, 1));
  });
});

describe('words', () => {
  it('says how long data is kept', () => {
    expect(retentionWords(null)).toBe('Keep for ever');
    expect(retentionWords(1)).toBe('1 day');
    expect(retentionWords(30)).toBe('30 days');
    expect(retentionWords(730)).toBe('730 days (2 years)');
  });

  it('describes what a purge removes', () => {
    const before = Date.UTC(2024, 10, 26, 13, 3);
    expect(formatDate(before, BERLIN)).toBe('26 Nov 2024 14:03');
    expect(describeStep({ class: 'raw', before_ms: before, rows: 12000, samples: 7_200_000 }, BERLIN)).toBe(
      'Raw samples older than 26 Nov 2024 14:03: 7,200,000 samples in 12,000 blocks',
    );
    expect(stepAmount({ class: 'minute', rows: 840, samples: 0 })).toBe('840 rows');
    expect(stepAmount({ class: 'audit', rows: 1, samples: 0 })).toBe('1 entry');
    expect(classLabel('hour')).toBe('Hour rollups');
    expect(classLabel('other')).toBe('other');
    expect(emptyStep({ rows: 0, samples: 0 })).toBe(true);
  });
});

describe('wouldRemove', () => {
  it('reads the list of a confirm_required answer', () => {
    const err = new ApiError(409, 'confirm_required', 'this shortens ...', [], {
      would_remove: [
        { class: 'raw', before_ms: 5, rows: 2, samples: 100 },
        { class: 'minute', before_ms: 6 },
        'nonsense',
      ],
    });
    expect(wouldRemove(err)).toEqual([
      { class: 'raw', before_ms: 5, rows: 2, samples: 100 },
      { class: 'minute', before_ms: 6, rows: 0, samples: 0 },
    ]);
  });

  it('is empty for other errors', () => {
    expect(wouldRemove(new ApiError(400, 'bad_retention', 'raw_days must be ...'))).toEqual([]);
    expect(wouldRemove(new Error('x'))).toEqual([]);
    expect(wouldRemove(new ApiError(409, 'confirm_required', 'm', [], { would_remove: 'x' }))).toEqual([]);
  });
});

describe('sizes', () => {
  it('reads bytes as people do', () => {
    expect(formatBytes(512)).toBe('512 bytes');
    expect(formatBytes(1536)).toBe('1.50 KB');
    expect(formatBytes(1_234_567_890)).toBe('1.15 GB');
    expect(formatBytes(250_000_000_000)).toBe('233 GB');
    expect(formatBytes(null)).toBe('—');
  });

  it('gives the used share of a drive', () => {
    expect(diskUse({ free_bytes: 25, total_bytes: 100 })).toEqual({ used: 0.75, text: '25 bytes free of 100 bytes' });
    expect(diskUse({ free_bytes: null, total_bytes: 100 })).toBeNull();
    expect(diskUse({ free_bytes: 1, total_bytes: 0 })).toBeNull();
  });
});

describe('storage words in German', () => {
  it('follow the user language, with the locale’s numbers', async () => {
    const { setLanguage } = await import('./i18n.svelte');
    setLanguage('de', 'de-DE');
    try {
      expect(retentionWords(730)).toBe('730 Tage (2 Jahre)');
      expect(retentionWords(1)).toBe('1 Tag');
      expect(retentionWords(null)).toBe('Für immer aufbewahren');
      expect(formatBytes(1536)).toBe('1,50 KB');
    } finally {
      setLanguage('en', 'en-GB');
    }
  });
});
