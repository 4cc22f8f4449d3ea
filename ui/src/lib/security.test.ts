import { describe, expect, it } from 'vitest';
import {
  cleanCode,
  codeKind,
  endsIn,
  fingerprintLines,
  formProblem,
  fromForm,
  reviewSummary,
  setupCodeFrom,
  toForm,
  vendorEndProblem,
} from './security';
import type { AccessReviewView, SecuritySettings } from './types';
import { fromLocaleInput, toLocaleInput } from './localinput';

const DAY = 86_400_000;

describe('setupCodeFrom', () => {
  it('reads the code from the setup address', () => {
    expect(setupCodeFrom('#/setup?code=k7qf-2m9x-hc4t')).toBe('K7QF-2M9X-HC4T');
  });
  it('gives nothing without a code or with something else', () => {
    expect(setupCodeFrom('#/setup')).toBe('');
    expect(setupCodeFrom('#/setup?code=<script>')).toBe('');
  });
});

describe('codes as typed', () => {
  it('drops spaces and tells app codes from recovery codes', () => {
    expect(cleanCode(' 123 456 ')).toBe('123456');
    expect(codeKind('123 456')).toBe('totp');
    expect(codeKind('abcde-fghjk')).toBe('recovery');
    expect(codeKind('12345')).toBe('none');
  });
});

describe('fingerprintLines', () => {
  it('cuts 32 pairs into four lines of eight', () => {
    const fp = Array.from({ length: 32 }, (_, i) => i.toString(16).toUpperCase().padStart(2, '0')).join(':');
    const lines = fingerprintLines(fp);
    expect(lines).toHaveLength(4);
    expect(lines[0]).toBe('00:01:02:03:04:05:06:07');
  });
});

describe('settings form', () => {
  const s: SecuritySettings = {
    idle_timeout_s: 1800,
    session_max_age_s: 43200,
    mfa_roles: ['admin', 'maintenance'],
    mfa_vendors: false,
    password_min_chars: 12,
    allowed_hosts: ['plant-pc.local'],
    audit_floor_days: 365,
    report_roles: ['operator'],
    removable_roles: ['admin', 'supervisor'],
  };
  it('round-trips in minutes and hours', () => {
    const f = toForm(s);
    expect(f.idleMinutes).toBe(30);
    expect(f.lifetimeHours).toBe(12);
    expect(fromForm(f)).toEqual(s);
  });
  it('always keeps admin and reads hosts one a line or comma-separated', () => {
    const f = { ...toForm(s), mfaRoles: ['supervisor'], hosts: 'a.local, b.local\n\nc.local' };
    const back = fromForm(f);
    expect(back.mfa_roles).toContain('admin');
    expect(back.allowed_hosts).toEqual(['a.local', 'b.local', 'c.local']);
  });
  it('keeps the admin among those who write to USB sticks', () => {
    const back = fromForm({ ...toForm(s), removableRoles: ['quality'], reportRoles: ['operator', 'operator'] });
    expect(back.removable_roles).toEqual(['quality', 'admin']);
    expect(back.report_roles).toEqual(['operator']);
  });
  it('says what is out of bounds', () => {
    expect(formProblem(toForm(s))).toBeNull();
    expect(formProblem({ ...toForm(s), idleMinutes: 0 })).toMatch(/idle timeout/);
    expect(formProblem({ ...toForm(s), lifetimeHours: 0.2, idleMinutes: 30 })).toMatch(/1 to 168/);
    expect(formProblem({ ...toForm(s), lifetimeHours: 1, idleMinutes: 90 })).toMatch(/less than the idle/);
    expect(formProblem({ ...toForm(s), passwordMin: 6 })).toMatch(/8 to 64/);
  });
});

describe('vendor end', () => {
  const now = Date.UTC(2026, 10, 28, 12, 0);
  it('must be in the future and at most 30 days ahead', () => {
    expect(vendorEndProblem(NaN, now)).toMatch(/Choose/);
    expect(vendorEndProblem(now - 1, now)).toMatch(/future/);
    expect(vendorEndProblem(now + 31 * DAY, now)).toMatch(/at most 30 days/);
    expect(vendorEndProblem(now + 30 * DAY, now)).toBeNull();
  });
  it('reads the end as the locale writes it, on this PC\'s clock', () => {
    const t = new Date(2026, 11, 5, 17, 30).getTime();
    expect(fromLocaleInput(toLocaleInput(t, undefined), undefined)).toBe(t);
    expect(fromLocaleInput('', undefined)).toBeNull();
  });
  it('says how long is left', () => {
    expect(endsIn({ expires_ms: now + 3 * DAY }, now)).toBe('ends in 3 days');
    expect(endsIn({ expires_ms: now + 5 * 3_600_000 }, now)).toBe('ends in 5 hours');
    expect(endsIn({ expires_ms: now + 10 * 60_000 }, now)).toBe('ends in 10 minutes');
    expect(endsIn({ expires_ms: now - 1 }, now)).toBe('ended');
  });
});

describe('reviewSummary', () => {
  it('counts what the admin should look at', () => {
    const account = (over: Record<string, unknown>) =>
      ({
        user: { disabled: false, mfa_enabled: false },
        permissions: [],
        mfa_required: false,
        recovery_codes_left: 0,
        sessions: 1,
        unused_days: 0,
        suggestion: null,
        vendor: null,
        ...over,
      }) as unknown as AccessReviewView['accounts'][number];
    const r = {
      accounts: [
        account({ mfa_required: true, user: { disabled: false, mfa_enabled: true } }),
        account({ mfa_required: true }),
        account({ suggestion: 'no login for 120 days', sessions: 0 }),
        account({ vendor: { company: 'ACME' } }),
        account({ user: { disabled: true, mfa_enabled: false }, sessions: 0 }),
      ],
    } as unknown as AccessReviewView;
    expect(reviewSummary(r)).toEqual({
      accounts: 5,
      enabled: 4,
      vendors: 1,
      missingMfa: 1,
      suggestions: 1,
      sessions: 3,
    });
  });
});
