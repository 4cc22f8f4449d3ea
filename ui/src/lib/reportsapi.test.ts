import { describe, expect, it } from 'vitest';
import {
  bytesText,
  exportStatus,
  leftText,
  reportPath,
  runAt,
  runAtText,
  scheduleProblem,
  type ReportForm,
} from './reportsapi';
import type { ExportJob } from './types';

const base: ReportForm = {
  kind: 'production',
  from: '2026-03-01',
  to: '2026-03-31',
  format: 'pdf',
  by: 'month',
  paper: 'a4',
  semicolon: false,
  bom: true,
  tags: [],
  step: 'day',
};

describe('reportPath', () => {
  it('asks from the first day to the start of the day after the last', () => {
    expect(reportPath(base)).toEqual({
      path: '/api/reports/file?kind=production&from=2026-03-01&to=2026-04-01&format=pdf&by=month&paper=a4',
    });
  });
  it('gives CSV options only for CSV, periods only for the production report', () => {
    expect(reportPath({ ...base, kind: 'shift', format: 'csv', semicolon: true, bom: false })).toEqual({
      path: '/api/reports/file?kind=shift&from=2026-03-01&to=2026-04-01&format=csv&delimiter=%3B&decimal_comma=true&bom=false',
    });
  });
  it('asks for the tag report with its tags and periods', () => {
    expect(reportPath({ ...base, kind: 'tag', tags: [3, 7], step: 'hour', format: 'xlsx' })).toEqual({
      path: '/api/reports/tags?from=2026-03-01&to=2026-04-01&format=xlsx&tags=3%2C7&step=hour',
    });
    expect(reportPath({ ...base, kind: 'tag' })).toEqual({ error: 'Choose the tags of the report.' });
  });
  it('asks for the energy report at its own address', () => {
    expect(reportPath({ ...base, kind: 'energy', format: 'csv' })).toEqual({
      path: '/api/reports/energy?from=2026-03-01&to=2026-04-01&format=csv',
    });
  });
  it('refuses a missing or reversed range', () => {
    expect(reportPath({ ...base, from: '' })).toEqual({ error: 'Choose the first and the last day.' });
    expect(reportPath({ ...base, from: '2026-04-02' })).toEqual({ error: 'The last day is before the first.' });
  });
});

describe('schedules', () => {
  const s = { name: 'Shift PDF', kind: 'shift' as const, format: 'pdf' as const, run_at: 'shift', folder: 'D:\\Reports', usb: false, enabled: true };
  it('writes and reads the time a schedule runs', () => {
    expect(runAt('shift', '06:30', 'monday', 1)).toBe('shift');
    expect(runAt('daily', '06:30', 'monday', 1)).toBe('daily 06:30');
    expect(runAt('weekly', '07:00', 'monday', 1)).toBe('weekly monday 07:00');
    expect(runAt('monthly', '07:00', 'monday', 2)).toBe('monthly 2 07:00');
    expect(runAtText('weekly monday 07:00')).toBe('every Monday at 07:00');
    expect(runAtText('shift')).toBe('at the end of each shift');
    expect(runAtText('monthly 1 07:00')).toBe('on day 1 of each month at 07:00');
  });
  it('needs a name, a time and a destination', () => {
    expect(scheduleProblem(s)).toBeNull();
    expect(scheduleProblem({ ...s, name: ' ' })).toBe('Give the schedule a name.');
    expect(scheduleProblem({ ...s, folder: '', usb: false })).toMatch(/^Choose where it goes/);
    expect(scheduleProblem({ ...s, folder: null, usb: true })).toBeNull();
    expect(scheduleProblem({ ...s, run_at: 'daily ' })).toBe('Choose when it runs.');
  });
});

describe('export progress', () => {
  const job: ExportJob = {
    id: 1, state: 'writing', drive: '/media/STICK', label: 'STICK', by: 'admin', started_at: 0, finished_at: null,
    progress: { phase: 'writing', bytes_done: 3 * 1024 * 1024, bytes_total: 12 * 1024 * 1024, files_done: 1, files_total: 4, elapsed_ms: 2000, left_ms: 6000 },
    written: null, error: null,
  };
  it('says bytes, files and time left', () => {
    expect(exportStatus(job)).toEqual({ fraction: 0.25, line: 'Writing: 3 MB of 12 MB, file 2 of 4, about 6 s left' });
    expect(leftText(null)).toBe('working out the time left');
    expect(leftText(150_000)).toBe('about 3 min left');
    expect(leftText(4_200_000)).toBe('about 1 h 10 min left');
    expect(bytesText(2048)).toBe('2 KB');
    expect(bytesText(1.5 * 1024 ** 3)).toBe('1.5 GB');
  });
  it('says where a finished export is, and that a cancelled one is incomplete', () => {
    const done: ExportJob = { ...job, state: 'done', written: { folder: 'E:\\Demo Plant 2026-11-28', files: [{ name: 'a.pdf', what: 'x', size: 10, sha256: 'ab' }], bytes: 2 * 1024 * 1024, sums_sha256: 'cd' } };
    expect(exportStatus(done)).toEqual({ fraction: 1, line: '3 files, 2 MB, written and checked in the folder “Demo Plant 2026-11-28”.' });
    expect(exportStatus({ ...job, state: 'cancelled' }).line).toMatch(/incomplete/);
    expect(exportStatus({ ...job, state: 'failed', error: 'the drive was removed' }).line).toBe('the drive was removed');
  });
});
