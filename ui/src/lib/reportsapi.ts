// Reports (issue 11): a report's download address from what the Reports page asks, and
// the removable drives. Requests go through the app's one ApiClient.

import type { ApiClient } from './api';
import type { Drive, Paper, ReportFormat, ReportKind } from './types';

export interface ReportForm {
  kind: ReportKind;
  /** Dates "2026-03-02": from the start of that production day to the start of `to`'s. */
  from: string;
  to: string;
  format: ReportFormat;
  /** The production report's periods. */
  by: 'day' | 'week' | 'month';
  paper: Paper;
  /** CSV for locales with a decimal comma: ";" between fields, "0,85". */
  semicolon: boolean;
  bom: boolean;
}

/** The address of a report's file, or a reason it cannot be asked for. */
export function reportPath(f: ReportForm): { path: string } | { error: string } {
  const date = /^\d{4}-\d{2}-\d{2}$/;
  if (!date.test(f.from) || !date.test(f.to)) return { error: 'Choose the first and the last day.' };
  if (f.to < f.from) return { error: 'The last day is before the first.' };
  // The range ends at the start of the day after the last one.
  const end = new Date(`${f.to}T00:00:00Z`);
  end.setUTCDate(end.getUTCDate() + 1);
  const q = new URLSearchParams({
    kind: f.kind,
    from: f.from,
    to: end.toISOString().slice(0, 10),
    format: f.format,
  });
  if (f.kind === 'production') q.set('by', f.by);
  if (f.format === 'pdf') q.set('paper', f.paper);
  if (f.format === 'csv') {
    if (f.semicolon) {
      q.set('delimiter', ';');
      q.set('decimal_comma', 'true');
    }
    if (!f.bom) q.set('bom', 'false');
  }
  return { path: `/api/reports/file?${q.toString()}` };
}

export class ReportsApi {
  private readonly c: ApiClient;

  constructor(client: ApiClient) {
    this.c = client;
  }

  file(path: string): Promise<{ blob: Blob; name: string }> {
    return this.c.file('GET', path);
  }
  drives(): Promise<Drive[]> {
    return this.c.request('GET', '/api/removable/drives');
  }
}
