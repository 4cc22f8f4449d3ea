// App-wide reactive state: the plant overview from the live stream, the server clock,
// the connection state, and a fan-out of live samples to the pages that chart them.

import { ApiClient, type ApiError } from './api';
import { SecurityApi } from './securityapi';
import { SupportApi } from './supportapi';
import { ReportsApi } from './reportsapi';
import { AlarmsApi } from './alarmsapi';
import type { LiveState } from './live';
import { serverNow, skewFrom } from './status';
import type { Overview, Sample } from './types';

export const plant = $state<{
  overview: Overview | null;
  /** Server clock minus client clock. */
  skewMs: number;
  connection: LiveState;
  /** Counts reconnects, so pages can reload what they may have missed. */
  reconnects: number;
}>({ overview: null, skewMs: 0, connection: 'connecting', reconnects: 0 });

/** Ticks once a second so relative times ("3 s ago") stay current. */
export const clock = $state({ now: Date.now() });

let ticker: ReturnType<typeof setInterval> | null = null;

export function startClock(): void {
  if (ticker !== null) return;
  clock.now = Date.now();
  ticker = setInterval(() => {
    clock.now = Date.now();
  }, 1000);
}

/** The server's time now, as the client estimates it. */
export function plantNow(): number {
  return serverNow(clock.now, plant.skewMs);
}

/** The plant's time zone, or undefined (browser's) before the first overview. */
export function plantZone(): string | undefined {
  return plant.overview?.site.timezone || undefined;
}

export function setOverview(o: Overview): void {
  const now = Date.now();
  plant.skewMs = skewFrom(o.now_ms, now);
  clock.now = now;
  plant.overview = o;
}

type SampleListener = (batch: Sample[]) => void;
const sampleListeners = new Set<SampleListener>();

/** Subscribes to live sample batches; returns the unsubscribe function. */
export function onSamples(fn: SampleListener): () => void {
  sampleListeners.add(fn);
  return () => sampleListeners.delete(fn);
}

export function publishSamples(batch: Sample[]): void {
  for (const fn of sampleListeners) fn(batch);
}

/**
 * A page with work that is not saved sets `reason` (what would be lost); the app then
 * asks before the address changes or the user logs out. The page clears it when the
 * work is saved or thrown away, and when it closes.
 */
export const leaveGuard = $state<{ reason: string | null }>({ reason: null });

/** Hooks the App sets, called by the shared API client. */
export const sessionHooks: {
  gone: (err: ApiError) => void;
  passwordChangeRequired: (err: ApiError) => void;
} = {
  gone: () => {},
  passwordChangeRequired: () => {},
};

export const api = new ApiClient({
  onSessionGone: (e) => sessionHooks.gone(e),
  onPasswordChangeRequired: (e) => sessionHooks.passwordChangeRequired(e),
});

/** The security endpoints, through the same client. */
export const security = new SecurityApi(api);

/** The support endpoints, through the same client. */
export const support = new SupportApi(api);
/** Reports and removable drives, through the same client. */
export const reports = new ReportsApi(api);

/** The alarm endpoints, through the same client. */
export const alarms = new AlarmsApi(api);

/** The open alarms as last fetched by the banner (the alarm page reads them too). */
export const alarmState = $state<{
  view: import('./types').AlarmsView | null;
  error: string;
  /** Counts the live stream's word that alarms changed. */
  changes: number;
}>({
  view: null,
  error: '',
  changes: 0,
});
