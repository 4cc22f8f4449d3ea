// The password rule as the server states it (NIST SP 800-63B: at least 12 characters
// unless the admin set another length, not a common or breached password, no rules
// about kinds of characters), checked for length before sending so the user gets that
// answer at once; the server checks everything and says why it refuses.

export const MIN_PASSWORD = 12;

/** The rule in words, for the hint under a new-password field. */
export function passwordRule(min = MIN_PASSWORD): string {
  return `At least ${min} characters, and not a common or breached password. A few words make a good one.`;
}

export const PASSWORD_RULE = passwordRule();

/** What is wrong with a new password and its repetition, or null when fine. */
export function newPasswordProblem(password: string, again: string, min = MIN_PASSWORD): string | null {
  if ([...password].length < min) return `The password is too short: use at least ${min} characters.`;
  if ([...password].length > 256) return 'The password is too long: use at most 256 characters.';
  if (password !== again) return 'The two passwords are not the same.';
  return null;
}
