// The backups page's words and numbers: sizes, a run's state in words, the keep rule,
// and the command that restores a backup (restoring is done with Plantlog stopped).

import { formatNumber } from './format';
import { t } from './i18n.svelte';
import type { BackupDrillState, BackupRestored, BackupRun, BackupTargetState } from './types';

/** "912.6 MB", "4.1 GB", "880 kB". */
export function formatBytes(n: number): string {
  if (n >= 1e9) return `${formatNumber(n / 1e9, 1)} GB`;
  if (n >= 1e6) return `${formatNumber(n / 1e6, 1)} MB`;
  if (n >= 1e3) return `${Math.round(n / 1e3)} kB`;
  return `${n} B`;
}

/** A run in a few words: "Good, verified", "Failed: …", "Running…". */
export function runState(r: BackupRun): string {
  if (r.status === 'running') return t('backups.lib.running');
  if (r.status === 'good') return r.verification?.passed ? t('backups.lib.good_verified') : t('backups.lib.good');
  return t('backups.lib.failed', { error: r.error ?? t('backups.lib.unknown_error') });
}

/** "keep 24 hourly, 7 daily, 4 weekly, 12 monthly", without the zeros. */
export function keepText(k: BackupTargetState['target']['keep']): string {
  const parts = (
    [
      [k.hourly, 'backups.lib.hourly'],
      [k.daily, 'backups.lib.daily'],
      [k.weekly, 'backups.lib.weekly'],
      [k.monthly, 'backups.lib.monthly'],
    ] as const
  )
    .filter(([n]) => n > 0)
    .map(([n, w]) => t(w, { n }));
  return t('backups.lib.keep', { parts: parts.join(', ') });
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
  if (!last) return t('backups.lib.drill_never');
  const took = t('backups.lib.seconds', { n: formatNumber(last.took_ms / 1000, 1) });
  return last.passed
    ? t('backups.lib.drill_passed', { date: date(last.started_at), took })
    : t('backups.lib.drill_failed', { date: date(last.started_at), took, detail: last.detail });
}

/**
 * A restore from the page in words: "Restored the backup of <date>. Collection stopped for
 * 0.4 s; the data that was in use is kept in <folder>."
 */
export function restoredText(r: BackupRestored, date: (ms: number) => string): string {
  const stopped = t('backups.lib.seconds', { n: formatNumber(r.stopped_ms / 1000, 1) });
  return r.set_aside
    ? t('backups.lib.restored_kept', { date: date(r.created_ms), stopped, folder: r.set_aside })
    : t('backups.lib.restored_empty', { date: date(r.created_ms), stopped });
}
