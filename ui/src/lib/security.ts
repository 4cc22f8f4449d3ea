// The security pages' logic without UI: the setup code in the address, codes as typed,
// fingerprints to read aloud, the settings form in minutes and hours, the vendor
// account's end (at most 30 days), and the access review's summary.

import { t } from './i18n.svelte';
import type { AccessReviewView, SecuritySettings, VendorScope } from './types';

const DAY_MS = 86_400_000;
/** The longest a vendor account may last (the server checks it too). */
export const VENDOR_MAX_DAYS = 30;

/** The setup code in an address's fragment, "#/setup?code=K7QF-2M9X-HC4T"; '' if none. */
export function setupCodeFrom(hash: string): string {
  const q = hash.indexOf('?');
  if (q < 0) return '';
  const code = new URLSearchParams(hash.slice(q + 1)).get('code') ?? '';
  return /^[A-Za-z0-9-]{1,40}$/.test(code) ? code.toUpperCase() : '';
}

/** A code as typed: spaces gone (authenticator apps show "123 456"). */
export function cleanCode(code: string): string {
  return code.replace(/\s+/g, '');
}

/** Whether a typed code looks like a six-digit app code or a recovery code. */
export function codeKind(code: string): 'totp' | 'recovery' | 'none' {
  const c = cleanCode(code);
  if (/^\d{6}$/.test(c)) return 'totp';
  if (/^[a-z0-9]{5}-?[a-z0-9]{5}$/i.test(c)) return 'recovery';
  return 'none';
}

/** A SHA-256 fingerprint ("AB:CD:...", 32 pairs) in lines of eight pairs, to compare by eye. */
export function fingerprintLines(fp: string): string[] {
  const pairs = fp.split(':').filter((p) => p !== '');
  const out: string[] = [];
  for (let i = 0; i < pairs.length; i += 8) out.push(pairs.slice(i, i + 8).join(':'));
  return out;
}

/** The settings form's fields, in the units people think in. */
export interface SettingsForm {
  idleMinutes: number;
  lifetimeHours: number;
  mfaRoles: string[];
  mfaVendors: boolean;
  passwordMin: number;
  /** One host name a line. */
  hosts: string;
  auditFloorDays: number;
  /** Roles the admin allows to run every report beyond their role's. */
  reportRoles: string[];
  /** Roles that may write to removable drives (admin always). */
  removableRoles: string[];
}

export function toForm(s: SecuritySettings): SettingsForm {
  return {
    idleMinutes: Math.round(s.idle_timeout_s / 60),
    lifetimeHours: Math.round((s.session_max_age_s / 3600) * 10) / 10,
    mfaRoles: [...s.mfa_roles],
    mfaVendors: s.mfa_vendors,
    passwordMin: s.password_min_chars,
    hosts: s.allowed_hosts.join('\n'),
    auditFloorDays: s.audit_floor_days,
    reportRoles: [...s.report_roles],
    removableRoles: [...s.removable_roles],
  };
}

export function fromForm(f: SettingsForm): SecuritySettings {
  const roles = new Set(f.mfaRoles);
  roles.add('admin');
  return {
    idle_timeout_s: Math.round(f.idleMinutes * 60),
    session_max_age_s: Math.round(f.lifetimeHours * 3600),
    mfa_roles: [...roles] as SecuritySettings['mfa_roles'],
    mfa_vendors: f.mfaVendors,
    password_min_chars: Math.round(f.passwordMin),
    allowed_hosts: f.hosts
      .split(/[\s,]+/)
      .map((h) => h.trim())
      .filter((h) => h !== ''),
    audit_floor_days: Math.round(f.auditFloorDays),
    report_roles: [...new Set(f.reportRoles)] as SecuritySettings['report_roles'],
    removable_roles: [...new Set([...f.removableRoles, 'admin'])] as SecuritySettings['removable_roles'],
  };
}

/** What is wrong with the form before sending (the server checks the same bounds). */
export function formProblem(f: SettingsForm): string | null {
  if (!(f.idleMinutes >= 1 && f.idleMinutes <= 1440)) return t('security.rules.err_idle');
  if (!(f.lifetimeHours >= 1 && f.lifetimeHours <= 168)) return t('security.rules.err_lifetime');
  if (f.lifetimeHours * 60 < f.idleMinutes) return t('security.rules.err_shorter');
  if (!(f.passwordMin >= 8 && f.passwordMin <= 64)) return t('security.rules.err_password');
  return null;
}

/** What is wrong with a vendor account's end, or null. */
export function vendorEndProblem(expiresMs: number, nowMs: number): string | null {
  if (!Number.isFinite(expiresMs)) return t('security.vendor.err_end');
  if (expiresMs <= nowMs + 60_000) return t('security.vendor.err_past');
  if (expiresMs > nowMs + VENDOR_MAX_DAYS * DAY_MS)
    return t('security.vendor.err_long', { days: VENDOR_MAX_DAYS });
  return null;
}

/** How long until a vendor account ends, in words. */
export function endsIn(scope: Pick<VendorScope, 'expires_ms'>, nowMs: number): string {
  const left = scope.expires_ms - nowMs;
  if (left <= 0) return t('security.vendor.ended');
  const days = Math.floor(left / DAY_MS);
  if (days >= 2) return t('security.vendor.ends_days', { n: days });
  const hours = Math.floor(left / 3_600_000);
  if (hours >= 2) return t('security.vendor.ends_hours', { n: hours });
  return t('security.vendor.ends_minutes', { n: Math.max(1, Math.round(left / 60_000)) });
}

/** The review's headline figures. */
export interface ReviewSummary {
  accounts: number;
  enabled: number;
  vendors: number;
  /** Accounts whose role requires a second factor that have none yet. */
  missingMfa: number;
  suggestions: number;
  sessions: number;
}

export function reviewSummary(r: AccessReviewView): ReviewSummary {
  const enabled = r.accounts.filter((a) => !a.user.disabled);
  return {
    accounts: r.accounts.length,
    enabled: enabled.length,
    vendors: enabled.filter((a) => a.vendor !== null).length,
    missingMfa: enabled.filter((a) => a.mfa_required && !a.user.mfa_enabled).length,
    suggestions: r.accounts.filter((a) => a.suggestion !== null).length,
    sessions: r.accounts.reduce((n, a) => n + Number(a.sessions), 0),
  };
}
