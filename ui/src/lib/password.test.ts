import { describe, expect, it } from 'vitest';
import { MIN_PASSWORD, newPasswordProblem, passwordRule } from './password';

describe('newPasswordProblem', () => {
  it('accepts a long enough password typed twice', () => {
    expect(newPasswordProblem('a'.repeat(MIN_PASSWORD), 'a'.repeat(MIN_PASSWORD))).toBeNull();
  });

  it('rejects a short password, at the default of 12', () => {
    expect(newPasswordProblem('short', 'short')).toMatch(/at least 12/);
    expect(newPasswordProblem('elevenchars', 'elevenchars')).toMatch(/too short/);
  });

  it('follows the length the admin set', () => {
    expect(newPasswordProblem('a'.repeat(15), 'a'.repeat(15), 16)).toMatch(/at least 16/);
    expect(newPasswordProblem('a'.repeat(8), 'a'.repeat(8), 8)).toBeNull();
  });

  it('counts characters, not UTF-16 units', () => {
    const p = '🔒'.repeat(11);
    expect(newPasswordProblem(p, p)).toMatch(/too short/);
  });

  it('rejects more than 256 characters', () => {
    const p = 'x'.repeat(257);
    expect(newPasswordProblem(p, p)).toMatch(/at most 256/);
  });

  it('rejects two different passwords', () => {
    expect(newPasswordProblem('abcdefghijkl', 'abcdefghijkm')).toMatch(/not the same/);
  });

  it('says no composition rules', () => {
    expect(passwordRule(14)).toMatch(/At least 14 characters/);
    expect(passwordRule()).toMatch(/common or breached/);
  });
});
