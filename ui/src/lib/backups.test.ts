import { describe, expect, it } from 'vitest';
import { drillText, formatBytes, keepText, restoreCommand, restoredText, runState } from './backups';
import type { BackupDrill, BackupRun } from './types';

const run = (over: Partial<BackupRun>): BackupRun => ({
  id: 1,
  target_id: 1,
  started_at: 0,
  finished_at: 1,
  name: 'x',
  status: 'good',
  bytes: 0,
  error_code: null,
  error: null,
  verification: null,
  ...over,
});

describe('backups', () => {
  it('sizes', () => {
    expect(formatBytes(912_600_000)).toBe('912.6 MB');
    expect(formatBytes(4_120_000_000)).toBe('4.1 GB');
    expect(formatBytes(880_400)).toBe('880 kB');
    expect(formatBytes(12)).toBe('12 B');
  });
  it('runs in words', () => {
    expect(runState(run({ status: 'failed', error: 'the stick is not there' }))).toBe(
      'Failed: the stick is not there',
    );
    expect(runState(run({ status: 'running' }))).toBe('Running…');
    expect(runState(run({}))).toBe('Good');
  });
  it('keep rule without zeros', () => {
    expect(keepText({ hourly: 0, daily: 7, weekly: 4, monthly: 12 })).toBe('keep 7 daily, 4 weekly, 12 monthly');
  });
  it('the restore command quotes both paths', () => {
    expect(restoreCommand('E:\\Backups\\Plantlog\\2026-11-28T100000.000Z', 'C:\\Data\\Plantlog')).toBe(
      'plantlog --data-dir "C:\\Data\\Plantlog" backup restore "E:\\Backups\\Plantlog\\2026-11-28T100000.000Z"',
    );
  });
});

describe('drillText', () => {
  const date = (ms: number) => `t${ms}`;
  const drill = (d: Partial<BackupDrill>): BackupDrill => ({
    id: 1,
    started_at: 5000,
    took_ms: 4250,
    target: 'Office share',
    backup: 'E:\\Plantlog\\x',
    passed: true,
    detail: 'integrity ok',
    ...d,
  });
  const state = (last: BackupDrill | null) => ({ last, interval_days: 30, first_good_ms: null, overdue: false });
  it('says never, passed with the time taken, or failed and why', () => {
    expect(drillText(state(null), date)).toBe('Last drill: never');
    expect(drillText(state(drill({})), date)).toBe('Last drill: t5000, passed, took 4.3 s');
    expect(drillText(state(drill({ passed: false, took_ms: 1000, detail: 'the restore failed' })), date)).toBe(
      'Last drill: t5000, FAILED after 1.0 s: the restore failed',
    );
  });
});

describe('restoredText', () => {
  const date = (ms: number) => `t${ms}`;
  const r = {
    backup: '2026-11-28T100000.000Z',
    created_ms: 7000,
    set_aside: 'C:\\ProgramData\\Plantlog\\set-aside\\2026-11-28T110000.000Z-before-restore',
    took_ms: 5400,
    stopped_ms: 420,
    config_version: 3,
  };
  it('says when the backup was made, how long collection stopped and where the old data is', () => {
    expect(restoredText(r, date)).toBe(
      'Restored the backup of t7000. Collection stopped for 0.4 s; the data that was in use is kept in C:\\ProgramData\\Plantlog\\set-aside\\2026-11-28T110000.000Z-before-restore.',
    );
    expect(restoredText({ ...r, set_aside: null }, date)).toBe(
      'Restored the backup of t7000. Collection stopped for 0.4 s; the data folder was empty.',
    );
  });
});
