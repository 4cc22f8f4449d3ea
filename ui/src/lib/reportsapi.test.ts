import { describe, expect, it } from 'vitest';
import { reportPath, type ReportForm } from './reportsapi';

const base: ReportForm = {
  kind: 'production',
  from: '2026-03-01',
  to: '2026-03-31',
  format: 'pdf',
  by: 'month',
  paper: 'a4',
  semicolon: false,
  bom: true,
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
  it('refuses a missing or reversed range', () => {
    expect(reportPath({ ...base, from: '' })).toEqual({ error: 'Choose the first and the last day.' });
    expect(reportPath({ ...base, from: '2026-04-02' })).toEqual({ error: 'The last day is before the first.' });
  });
});
