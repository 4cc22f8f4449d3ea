// Reports (issue 11): a report's download address from what the Reports page asks, and
// the removable drives. Requests go through the app's one ApiClient.

import { displayFormatter, formatCount } from './format';
import { currentLocale, t } from './i18n.svelte';
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
  if (!date.test(f.from) || !date.test(f.to)) return { error: t('reports.err.days') };
  if (f.to < f.from) return { error: t('reports.err.order') };
  if (f.kind === 'tag' && f.tags.length === 0) return { error: t('reports.err.tags') };
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
  if (!s.name.trim()) return t('reports.err.name');
  if (!/^(shift|daily \d{1,2}:\d{2}|weekly [a-z]+ \d{1,2}:\d{2}|monthly \d{1,2} \d{1,2}:\d{2})$/i.test(s.run_at.trim()))
    return t('reports.err.when');
  if (!(s.folder ?? '').trim() && !s.usb) return t('reports.err.where');
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

/** A number with at most `max` decimals in the user's locale. */
function displayNumber(v: number, max: number): string {
  return new Intl.NumberFormat(currentLocale(), {
    maximumFractionDigits: max,
  }).format(v);
}

/** An English weekday name ("monday") in the user's language ("Montag"). */
export function weekdayName(day: string): string {
  const i = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'].indexOf(day.toLowerCase());
  if (i < 0) return day;
  // 4 Jan 1970 was a Sunday; noon UTC stays that day in every zone.
  return displayFormatter('UTC', { weekday: 'long' }).format(new Date((3 + i) * 86_400_000 + 43_200_000));
}

/** "daily 06:30" in words: "every day at 06:30". */
export function runAtText(runAt: string): string {
  const w = runAt.split(' ');
  switch (w[0]) {
    case 'shift':
      return t('reports.run_at.shift');
    case 'daily':
      return t('reports.run_at.daily', { time: w[1] });
    case 'weekly':
      return t('reports.run_at.weekly', { day: weekdayName(w[1]), time: w[2] });
    case 'monthly':
      return t('reports.run_at.monthly', { day: w[1], time: w[2] });
    default:
      return runAt;
  }
}

/** Bytes as people read them: "812 KB", "3.4 MB", "1.2 GB". */
export function bytesText(b: number): string {
  if (b < 1024 * 1024) return `${formatCount(Math.max(0, Math.round(b / 1024)))} KB`;
  if (b < 1024 ** 3) return `${displayNumber(b / 1024 ** 2, 1)} MB`;
  return `${displayNumber(b / 1024 ** 3, 2)} GB`;
}

/** A duration left: "about 5 s", "about 3 min", "about 1 h 10 min". */
export function leftText(ms: number | null): string {
  if (ms === null) return t('reports.left.unknown');
  const s = Math.ceil(ms / 1000);
  if (s < 60) return t('reports.left.s', { n: s });
  const m = Math.round(s / 60);
  if (m < 60) return t('reports.left.min', { n: m });
  return t('reports.left.h', { h: Math.floor(m / 60), m: m % 60 });
}

/** Where an export stands, for its progress bar: fraction done (0..1) and a line. */
export function exportStatus(j: ExportJob): { fraction: number; line: string } {
  const p = j.progress;
  switch (j.state) {
    case 'preparing':
      return { fraction: 0, line: t('reports.export.preparing') };
    case 'writing':
    case 'verifying': {
      if (!p) return { fraction: 0, line: t('reports.export.starting') };
      const fraction = p.bytes_total > 0 ? Math.min(1, p.bytes_done / p.bytes_total) : 0;
      const words = {
        done: bytesText(p.bytes_done),
        total: bytesText(p.bytes_total),
        file: Math.min(p.files_done + 1, p.files_total),
        files: p.files_total,
        left: leftText(p.left_ms),
      };
      return {
        fraction,
        line: j.state === 'writing' ? t('reports.export.writing', words) : t('reports.export.verifying', words),
      };
    }
    case 'done': {
      const w = j.written;
      return {
        fraction: 1,
        line: w
          ? t('reports.export.done', {
              files: w.files.length + 2,
              size: bytesText(w.bytes),
              folder: w.folder.split(/[\\/]/).pop() ?? w.folder,
            })
          : t('reports.export.done_plain'),
      };
    }
    case 'cancelled':
      return { fraction: 0, line: t('reports.export.cancelled') };
    default:
      return { fraction: 0, line: j.error ?? t('reports.export.failed') };
  }
}
