// The data passport's facts in the user's language: the server sends each fact as a
// message code with typed parameters (src/passport, `Msg`); this says it with the
// `passfacts.<code>` catalogues, formatting counts, sizes, times (in the plant's zone)
// and durations for the user's locale. The Markdown and PDF documents say the same
// through the server's Fluent catalogues (locales/<lang>/passport.ftl).

import { formatDuration, formatFullDateTime, formatNumber } from './format';
import { t, tryT } from './i18n.svelte';
import type { PassportMsg, PassportParam } from './types';

/** A size, 1024-based as the server counts it: "512 bytes", "1.5 KB", "1,5 KB". */
export function passportSize(bytes: number): string {
  const units = ['KB', 'MB', 'GB', 'TB'];
  if (bytes < 1024) return t('passfacts.bytes', { n: bytes });
  let v = bytes / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${formatNumber(v, 1)} ${units[u]}`;
}

function param(p: PassportParam, tz: string | undefined): string | number {
  switch (p.kind) {
    case 'text':
      return p.v;
    case 'count':
      return p.v;
    case 'bytes':
      return passportSize(p.v);
    case 'time':
      return p.v == null ? t('passfacts.never') : formatFullDateTime(p.v, tz);
    case 'span':
      return formatDuration(p.v);
    case 'msg':
      return sayFact(p.v, tz) ?? '';
    case 'list':
      return p.v.map((m: PassportMsg) => sayFact(m, tz) ?? '').join(t('passfacts.list_sep'));
  }
  return '';
}

/** The words of `msg` in the user's language; null when the catalogue lacks its code
 * (the caller shows the server's English). */
export function sayFact(msg: PassportMsg, tz?: string): string | null {
  const params: Record<string, string | number> = {};
  for (const [k, p] of Object.entries(msg.params)) {
    if (p) params[k] = param(p, tz);
  }
  return tryT(`passfacts.${msg.code}`, params);
}
