// The password rule as the server states it (at least 10 characters), checked before
// sending so the user gets the answer at once; the server checks again.

export const MIN_PASSWORD = 10;
export const PASSWORD_RULE = `At least ${MIN_PASSWORD} characters.`;

/** What is wrong with a new password and its repetition, or null when fine. */
export function newPasswordProblem(password: string, again: string): string | null {
  if ([...password].length < MIN_PASSWORD)
    return `The password is too short: use at least ${MIN_PASSWORD} characters.`;
  if (password !== again) return 'The two passwords are not the same.';
  return null;
}
