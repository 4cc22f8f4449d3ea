// The andon board on a TV: how many machines fit a page at a size readable from five
// metres, which page shows when it cycles, and what each machine's tile says.

import { formatCount } from './format';
import { t } from './i18n.svelte';
import { stateName } from './states';
import type { BoardMachine } from './types';

/** Columns and rows for `n` tiles on a landscape screen, tiles as square as can be,
 * at most `max` tiles on a page. */
export function grid(n: number, max = 6): { cols: number; rows: number; perPage: number } {
  const perPage = Math.max(1, Math.min(n, max));
  const cols = perPage <= 1 ? 1 : perPage <= 2 ? 2 : perPage <= 4 ? 2 : 3;
  const rows = Math.ceil(perPage / cols);
  return { cols: perPage === 4 ? 2 : cols, rows, perPage };
}

/** The machines cut into pages. */
export function pages<T>(items: readonly T[], perPage: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += perPage) out.push(items.slice(i, i + perPage));
  return out.length > 0 ? out : [[]];
}

/** The page showing at `nowMs`: all pages in turn, `cycleS` seconds each (0: the first). */
export function pageAt(nowMs: number, cycleS: number, count: number): number {
  if (cycleS <= 0 || count <= 1) return 0;
  return Math.floor(nowMs / (cycleS * 1000)) % count;
}

/** A tile's big word: the state in the plant's words, or no data. */
export function headline(m: BoardMachine): string {
  if (m.state.value === null || m.state.kind === 'unknown') return t('common.state.no_data');
  return stateName(m.state.label, m.state.kind).toLocaleUpperCase();
}

/** Under it, while stopped: for how long, and why. */
export function stopLine(m: BoardMachine, nowMs: number): string | null {
  if (m.stop_since_ms === null) return null;
  const min = Math.max(0, Math.floor((nowMs - m.stop_since_ms) / 60_000));
  // A stop of seconds says so, not "0 min".
  const duration = min < 1 ? t('andon.under_min') : t('andon.minutes', { n: formatCount(min) });
  return t('andon.stop', { duration, reason: m.stop_reason ?? t('andon.no_reason') });
}

/** "412 / 450" parts against target; target unknown: the parts. */
export function partsLine(m: BoardMachine): string {
  return m.target === null ? formatCount(m.parts) : `${formatCount(m.parts)} / ${formatCount(m.target)}`;
}
