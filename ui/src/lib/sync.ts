// Sync to the central server (issue 14) in words: the state's name and what it means,
// how far behind the acknowledged position is, and the backlog.

import { formatCount, formatDuration } from './format';
import { formatBytes } from './storage';
import type { SyncState, SyncStatus } from './types';

export const STATE_TEXT: Record<SyncState, string> = {
  off: 'Off',
  connected: 'Connected',
  behind: 'Catching up',
  offline: 'Offline',
  parked: 'Refused',
};

export interface SyncSummary {
  state: string;
  /** What the state means for the plant, in one sentence. */
  meaning: string;
  /** How old the newest acknowledged sample is, or '' before the first batch. */
  behind: string;
  backlog: string;
  tone: 'ok' | 'warn' | 'bad' | 'muted';
}

export function syncSummary(s: SyncStatus, nowMs: number): SyncSummary {
  const backlog =
    s.backlog_samples > 0
      ? `${formatCount(s.backlog_samples)} samples, about ${formatBytes(s.backlog_bytes)}`
      : 'nothing waiting';
  const behind = s.acked_to_ts > 0 ? formatDuration(Math.max(0, nowMs - s.acked_to_ts)) : '';
  const meaning: Record<SyncState, string> = {
    off: 'Nothing leaves this PC. Collection and history do not depend on sync.',
    connected: 'The central server has everything up to a few seconds ago.',
    behind: 'Batches are going out, oldest first, until the central server has caught up.',
    offline: 'The central server cannot be reached. Collection goes on; batches wait and are retried.',
    parked: 'The central server refused a batch. It waits, with the reason below, until the sync settings are fixed.',
  };
  const tone: Record<SyncState, SyncSummary['tone']> = {
    off: 'muted',
    connected: 'ok',
    behind: 'warn',
    offline: 'warn',
    parked: 'bad',
  };
  return {
    state: STATE_TEXT[s.state],
    meaning: meaning[s.state],
    behind,
    backlog,
    tone: tone[s.state],
  };
}
