// The "no data" rule and the server clock. A tile shows "no data" when the server says
// so, and also when the client has heard nothing new for too long (the live stream
// stopped): an old state must never stay on screen as if it were current.

import type { MachineSummary, StateKind, TileDevice } from './types';

/** Extra time allowed on top of stale_after_ms for overview events to arrive (1/s). */
export const EVENT_GRACE_MS = 2000;

/** Server clock minus client clock, from an answer that carried the server's now. */
export function skewFrom(serverNowMs: number, clientNowMs: number): number {
  return serverNowMs - clientNowMs;
}

/** The server's current time as estimated by the client. */
export function serverNow(clientNowMs: number, skewMs: number): number {
  return clientNowMs + skewMs;
}

/** True when the machine's tile must show "no data" at server time `nowMs`. */
export function isNoData(m: MachineSummary, nowMs: number): boolean {
  if (m.status === 'no_data') return true;
  if (m.last_update_ms === null || m.last_update_ms === undefined) return true;
  return nowMs - m.last_update_ms > m.stale_after_ms + EVENT_GRACE_MS;
}

const KINDS: readonly StateKind[] = ['running', 'idle', 'setup', 'stopped', 'fault', 'unknown'];

/** The colour class of a state; an unknown word from the server counts as "unknown". */
export function stateKind(kind: string | null | undefined): StateKind {
  return KINDS.includes(kind as StateKind) ? (kind as StateKind) : 'unknown';
}

/**
 * The devices a tile without data names: those not answering with data (offline,
 * answering with errors, still connecting), or all of them when every one says online
 * (the data stopped some other way) so the tile still says where to look.
 */
export function silentDevices(m: MachineSummary): TileDevice[] {
  const devices = m.devices ?? [];
  const silent = devices.filter((d) => d.state !== 'online');
  return silent.length > 0 ? silent : devices;
}
