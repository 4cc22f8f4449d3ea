import { describe, expect, it, vi } from 'vitest';
import { ApiClient } from './api';
import { SecurityApi } from './securityapi';

function setup(status: number, body: unknown) {
  const fetch = vi.fn(
    async (_input: string, _init?: RequestInit) =>
      new Response(body === undefined ? null : JSON.stringify(body), {
        status,
        headers: { 'Content-Type': 'application/json' },
      }),
  );
  return { sec: new SecurityApi(new ApiClient({ fetch })), fetch };
}

describe('SecurityApi', () => {
  it('confirms a second factor with the code and returns the recovery codes', async () => {
    const { sec, fetch } = setup(200, { recovery_codes: ['abcde-fghjk'] });
    await expect(sec.mfaConfirm('123456')).resolves.toEqual({ recovery_codes: ['abcde-fghjk'] });
    const [path, init] = fetch.mock.calls[0];
    expect(path).toBe('/api/me/mfa/confirm');
    expect(JSON.parse(String(init?.body))).toEqual({ code: '123456' });
  });

  it('sends the typed confirmation only when lowering the audit floor', async () => {
    const { sec, fetch } = setup(200, { settings: {}, lan: {} });
    const s = {
      idle_timeout_s: 1800,
      session_max_age_s: 43200,
      mfa_roles: ['admin' as const],
      mfa_vendors: false,
      password_min_chars: 12,
      allowed_hosts: [],
      audit_floor_days: 365,
      report_roles: [],
      removable_roles: ['admin' as const],
    };
    await sec.putSecurity(s);
    await sec.putSecurity(s, 'shorten the audit log');
    expect(JSON.parse(String(fetch.mock.calls[0][1]?.body))).toEqual(s);
    expect(JSON.parse(String(fetch.mock.calls[1][1]?.body))).toEqual({ ...s, confirm_text: 'shorten the audit log' });
    expect(fetch.mock.calls[1][1]?.method).toBe('PUT');
  });

  it('ends a session with DELETE', async () => {
    const { sec, fetch } = setup(204, undefined);
    await expect(sec.endSession(7)).resolves.toBeUndefined();
    expect(fetch.mock.calls[0][0]).toBe('/api/sessions/7');
    expect(fetch.mock.calls[0][1]?.method).toBe('DELETE');
  });
});
