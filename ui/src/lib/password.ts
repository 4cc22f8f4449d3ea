// The password rule as the server states it (NIST SP 800-63B: at least 12 characters
// unless the admin set another length, not a common or breached password, no rules
// about kinds of characters), checked for length before sending so the user gets that
// answer at once; the server checks everything and says why it refuses.

import { t } from './i18n.svelte';

export const MIN_PASSWORD = 12;

/** The rule in words, for the hint under a new-password field. */
export function passwordRule(min = MIN_PASSWORD): string {
  return t('account.password.rule', { min });
}

/** The rule in words at the default length, in the user's language when read. */
export const PASSWORD_RULE = {
  toString: (): string => passwordRule(),
};

/** What is wrong with a new password and its repetition, or null when fine. */
export function newPasswordProblem(password: string, again: string, min = MIN_PASSWORD): string | null {
  if ([...password].length < min) return t('account.password.too_short', { min });
  if ([...password].length > 256) return t('account.password.too_long');
  if (password !== again) return t('account.password.differ');
  return null;
}
