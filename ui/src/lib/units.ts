// Units Plantlog itself names (not a tag's unit the plant typed, which is data): the
// count of a machine without a unit on its count tag is in "parts".

import { t } from './i18n.svelte';

/** The unit a machine counts in, in the user's language when it is Plantlog's own. */
export function countUnit(unit: string | null | undefined): string {
  if (unit === null || unit === undefined) return '';
  return unit === 'parts' ? t('common.count_unit.parts') : unit;
}
