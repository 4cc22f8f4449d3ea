// The support endpoints of the Plantlog API: recent warnings and errors, crash records,
// the support bundle (a zip for a vendor), the desktop app's settings. Requests go
// through the app's one ApiClient (its errors, its session hooks).

import type { ApiClient } from './api';
import type { DesktopSettings, SupportView } from './types';

export class SupportApi {
  private readonly c: ApiClient;

  constructor(client: ApiClient) {
    this.c = client;
  }

  view(): Promise<SupportView> {
    return this.c.request('GET', '/api/support');
  }
  /** Writes a new bundle on the server and returns it. */
  bundle(): Promise<{ blob: Blob; name: string }> {
    return this.c.file('POST', '/api/support/bundle');
  }
  setDesktop(settings: DesktopSettings): Promise<DesktopSettings> {
    return this.c.request('PUT', '/api/support/desktop', settings);
  }
}

/** "2026-11-28T06:00:00.000001Z" (a log line's time) as UTC milliseconds, or null. */
export function logTimeMs(time: string): number | null {
  const ms = Date.parse(time.replace(/(\.\d{3})\d+Z$/, '$1Z'));
  return Number.isFinite(ms) ? ms : null;
}

/** Where a log message comes from and what it says: "plantlog::collector: line ..." →
 * ["collector", "line ..."]. */
export function splitMessage(message: string): [string, string] {
  const m = /^plantlog(?:::([\w:]+))?: (.*)$/s.exec(message);
  if (!m) return ['', message];
  return [m[1] ?? '', m[2]];
}
