// Reports (issue 11): a report's download address from what the Reports page asks, and
// the removable drives. Requests go through the app's one ApiClient.

import type { ApiClient } from './api';
import type {
  Drive,
  ExportJob,
  ExportRequest,
  Paper,
  ReportFormat,
  ReportKind,
  ReportScheduleInput,
  ReportSchedulesView,
} from './types';

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
  /** The tag report's tags (ids) and periods. */
  tags: number[];
  step: 'hour' | 'day';
}

/** The address of a report's file, or a reason it cannot be asked for. */
export function reportPath(f: ReportForm): { path: string } | { error: string } {
  const date = /^\d{4}-\d{2}-\d{2}$/;
  if (!date.test(f.from) || !date.test(f.to)) return { error: 'Choose the first and the last day.' };
  if (f.to < f.from) return { error: 'The last day is before the first.' };
  if (f.kind === 'tag' && f.tags.length === 0) return { error: 'Choose the tags of the report.' };
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
  if (f.kind === 'tag') {
    q.delete('kind');
    q.set('tags', f.tags.join(','));
    q.set('step', f.step);
  }
  if (f.kind === 'energy') q.delete('kind');
  if (f.format === 'pdf') q.set('paper', f.paper);
  if (f.format === 'csv') {
    if (f.semicolon) {
      q.set('delimiter', ';');
      q.set('decimal_comma', 'true');
    }
    if (!f.bom) q.set('bom', 'false');
  }
  const where = f.kind === 'tag' ? 'tags' : f.kind === 'energy' ? 'energy' : 'file';
  return { path: `/api/reports/${where}?${q.toString()}` };
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
  schedules(): Promise<ReportSchedulesView> {
    return this.c.request('GET', '/api/report-schedules');
  }
  addSchedule(s: ReportScheduleInput): Promise<ReportSchedulesView> {
    return this.c.request('POST', '/api/report-schedules', s);
  }
  updateSchedule(id: number, s: ReportScheduleInput): Promise<ReportSchedulesView> {
    return this.c.request('PUT', `/api/report-schedules/${id}`, s);
  }
  removeSchedule(id: number): Promise<ReportSchedulesView> {
    return this.c.request('DELETE', `/api/report-schedules/${id}`);
  }
  startExport(r: ExportRequest): Promise<{ id: number }> {
    return this.c.request('POST', '/api/exports', r);
  }
  exports(): Promise<ExportJob[]> {
    return this.c.request('GET', '/api/exports');
  }
  cancelExport(id: number): Promise<ExportJob> {
    return this.c.request('POST', `/api/exports/${id}/cancel`);
  }
}

// Schedules and exports to a drive (issue 11 items 3 and 4).

/** Checks a schedule before it is sent; null when it may go. */
export function scheduleProblem(s: ReportScheduleInput): string | null {
  if (!s.name.trim()) return 'Give the schedule a name.';
  if (!/^(shift|daily \d{1,2}:\d{2}|weekly [a-z]+ \d{1,2}:\d{2}|monthly \d{1,2} \d{1,2}:\d{2})$/i.test(s.run_at.trim()))
    return 'Choose when it runs.';
  if (!(s.folder ?? '').trim() && !s.usb) return 'Choose where it goes: a folder on this PC, the next USB stick, or both.';
  return null;
}

export type Cadence = 'shift' | 'daily' | 'weekly' | 'monthly';

/** The `run_at` text of the schedule form's fields. */
export function runAt(cadence: Cadence, time: string, weekday: string, monthDay: number): string {
  switch (cadence) {
    case 'shift':
      return 'shift';
    case 'daily':
      return `daily ${time}`;
    case 'weekly':
      return `weekly ${weekday} ${time}`;
    case 'monthly':
      return `monthly ${monthDay} ${time}`;
  }
}

/** "daily 06:30" in words: "every day at 06:30". */
export function runAtText(runAt: string): string {
  const w = runAt.split(' ');
  switch (w[0]) {
    case 'shift':
      return 'at the end of each shift';
    case 'daily':
      return `every day at ${w[1]}`;
    case 'weekly':
      return `every ${w[1].charAt(0).toUpperCase()}${w[1].slice(1)} at ${w[2]}`;
    case 'monthly':
      return `on day ${w[1]} of each month at ${w[2]}`;
    default:
      return runAt;
  }
}

/** Bytes as people read them: "812 KB", "3.4 MB", "1.2 GB". */
export function bytesText(b: number): string {
  if (b < 1024 * 1024) return `${Math.max(0, Math.round(b / 1024)).toLocaleString('en')} KB`;
  if (b < 1024 ** 3) return `${(b / 1024 ** 2).toLocaleString('en', { maximumFractionDigits: 1 })} MB`;
  return `${(b / 1024 ** 3).toLocaleString('en', { maximumFractionDigits: 2 })} GB`;
}

/** A duration left: "about 5 s", "about 3 min", "about 1 h 10 min". */
export function leftText(ms: number | null): string {
  if (ms === null) return 'working out the time left';
  const s = Math.ceil(ms / 1000);
  if (s < 60) return `about ${s} s left`;
  const m = Math.round(s / 60);
  if (m < 60) return `about ${m} min left`;
  return `about ${Math.floor(m / 60)} h ${m % 60} min left`;
}

/** Where an export stands, for its progress bar: fraction done (0..1) and a line. */
export function exportStatus(j: ExportJob): { fraction: number; line: string } {
  const p = j.progress;
  switch (j.state) {
    case 'preparing':
      return { fraction: 0, line: 'Preparing the files on this PC…' };
    case 'writing':
    case 'verifying': {
      if (!p) return { fraction: 0, line: 'Starting…' };
      const fraction = p.bytes_total > 0 ? Math.min(1, p.bytes_done / p.bytes_total) : 0;
      const verb = j.state === 'writing' ? 'Writing' : 'Reading back and checking';
      return {
        fraction,
        line: `${verb}: ${bytesText(p.bytes_done)} of ${bytesText(p.bytes_total)}, file ${Math.min(p.files_done + 1, p.files_total)} of ${p.files_total}, ${leftText(p.left_ms)}`,
      };
    }
    case 'done': {
      const w = j.written;
      return {
        fraction: 1,
        line: w
          ? `${w.files.length + 2} files, ${bytesText(w.bytes)}, written and checked in the folder “${w.folder.split(/[\\/]/).pop()}”.`
          : 'Written and checked.',
      };
    }
    case 'cancelled':
      return { fraction: 0, line: 'Cancelled. The folder on the drive is incomplete (it has no SHA256SUMS); delete it.' };
    default:
      return { fraction: 0, line: j.error ?? 'The export failed.' };
  }
}
