import { describe, expect, it } from 'vitest';
import { MIN_PASSWORD, newPasswordProblem } from './password';

describe('newPasswordProblem', () => {
  it('accepts a long enough password typed twice', () => {
    expect(newPasswordProblem('a'.repeat(MIN_PASSWORD), 'a'.repeat(MIN_PASSWORD))).toBeNull();
  });

  it('rejects a short password', () => {
    expect(newPasswordProblem('short', 'short')).toMatch(/at least 10/);
  });

  it('counts characters, not UTF-16 units', () => {
    const p = '🔒'.repeat(9);
    expect(newPasswordProblem(p, p)).toMatch(/too short/);
  });

  it('rejects two different passwords', () => {
    expect(newPasswordProblem('abcdefghij', 'abcdefghik')).toMatch(/not the same/);
  });
});
