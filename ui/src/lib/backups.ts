// The backups page's words and numbers: sizes, a run's state in words, the keep rule,
// and the command that restores a backup (restoring is done with Plantlog stopped).

import type { BackupDrillState, BackupRestored, BackupRun, BackupTargetState } from './types';

/** "912.6 MB", "4.1 GB", "880 kB". */
export function formatBytes(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(1)} GB`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)} MB`;
  if (n >= 1e3) return `${Math.round(n / 1e3)} kB`;
  return `${n} B`;
}

/** A run in a few words: "Good, verified", "Failed: …", "Running…". */
export function runState(r: BackupRun): string {
  if (r.status === 'running') return 'Running…';
  if (r.status === 'good') return r.verification?.passed ? 'Good, verified' : 'Good';
  return `Failed: ${r.error ?? 'unknown error'}`;
}

/** "keep 24 hourly, 7 daily, 4 weekly, 12 monthly", without the zeros. */
export function keepText(k: BackupTargetState['target']['keep']): string {
  const parts = (
    [
      [k.hourly, 'hourly'],
      [k.daily, 'daily'],
      [k.weekly, 'weekly'],
      [k.monthly, 'monthly'],
    ] as const
  )
    .filter(([n]) => n > 0)
    .map(([n, w]) => `${n} ${w}`);
  return `keep ${parts.join(', ')}`;
}

/** A path quoted for the command line of Windows and of Linux alike. */
function quote(p: string): string {
  return `"${p.replace(/"/g, '\\"')}"`;
}

/** The command that restores `backupPath` into the data folder `dataDir`. */
export function restoreCommand(backupPath: string, dataDir: string): string {
  return `plantlog --data-dir ${quote(dataDir)} backup restore ${quote(backupPath)}`;
}

/**
 * The last restore drill in words, with `date` the formatted time of it:
 * "Last drill: <date>, passed, took 4.2 s", "Last drill: <date>, FAILED after 1.0 s: why",
 * or "Last drill: never".
 */
export function drillText(d: BackupDrillState, date: (ms: number) => string): string {
  const last = d.last;
  if (!last) return 'Last drill: never';
  const took = `${(last.took_ms / 1000).toFixed(1)} s`;
  return last.passed
    ? `Last drill: ${date(last.started_at)}, passed, took ${took}`
    : `Last drill: ${date(last.started_at)}, FAILED after ${took}: ${last.detail}`;
}

/**
 * A restore from the page in words: "Restored the backup of <date>. Collection stopped for
 * 0.4 s; the data that was in use is kept in <folder>."
 */
export function restoredText(r: BackupRestored, date: (ms: number) => string): string {
  const stopped = `${(r.stopped_ms / 1000).toFixed(1)} s`;
  const kept = r.set_aside ? `the data that was in use is kept in ${r.set_aside}` : 'the data folder was empty';
  return `Restored the backup of ${date(r.created_ms)}. Collection stopped for ${stopped}; ${kept}.`;
}
