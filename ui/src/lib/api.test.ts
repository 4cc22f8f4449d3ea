import { describe, expect, it, vi } from 'vitest';
import { ApiClient, ApiError, BAD_RESPONSE, NETWORK_ERROR, errorText, isSessionGone } from './api';
import { setLanguage } from './i18n.svelte';

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json' },
  });
}

function client(res: Response | Error, hooks: Partial<ConstructorParameters<typeof ApiClient>[0]> = {}) {
  const fetch = vi.fn(async (_input: string, _init?: RequestInit) => {
    if (res instanceof Error) throw res;
    return res;
  });
  return { api: new ApiClient({ fetch, ...hooks }), fetch };
}

async function caught(p: Promise<unknown>): Promise<ApiError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof ApiError) return e;
    throw e;
  }
  throw new Error('expected the call to fail');
}

describe('ApiClient requests', () => {
  it('sends JSON bodies and reads JSON answers', async () => {
    const me = { id: 1, username: 'sam' };
    const { api, fetch } = client(json(200, me));
    await expect(api.login('sam', 'secret-pass')).resolves.toEqual(me);
    const [path, init] = fetch.mock.calls[0];
    if (!init) throw new Error('no init');
    expect(path).toBe('/api/login');
    expect(init.method).toBe('POST');
    expect(JSON.parse(String(init.body))).toEqual({ username: 'sam', password: 'secret-pass' });
    expect((init.headers as Record<string, string>)['Content-Type']).toBe('application/json');
  });

  it('marks every request as the page own and sends a second factor only when given', async () => {
    const { api, fetch } = client(json(200, { id: 1 }));
    await api.login('sam', 'secret-pass', '123456');
    const [, init] = fetch.mock.calls[0];
    if (!init) throw new Error('no init');
    expect((init.headers as Record<string, string>)['X-Plantlog-Request']).toBe('1');
    expect(JSON.parse(String(init.body))).toEqual({ username: 'sam', password: 'secret-pass', code: '123456' });
  });

  it('says what a second factor refusal means', async () => {
    const { api } = client(json(401, { code: 'mfa_required', message: 'enter the code' }));
    const e = await caught(api.login('sam', 'secret-pass'));
    expect(e.code).toBe('mfa_required');
    expect(errorText(e)).toMatch(/authenticator app/);
    expect(isSessionGone(e)).toBe(false);
  });

  it('returns undefined for 204', async () => {
    const { api } = client(new Response(null, { status: 204 }));
    await expect(api.logout()).resolves.toBeUndefined();
  });

  it('keeps the other fields of an error answer, such as would_remove', async () => {
    const steps = [{ class: 'raw', before_ms: 5, rows: 1, samples: 60 }];
    const { api } = client(json(409, { code: 'confirm_required', message: 'this shortens how long raw data is kept', would_remove: steps }));
    const e = await caught(api.putStorage({ raw_days: 1, minute_days: 2, hour_days: null, audit_days: null, archive: false, disk_warn_mb: 0, confirm: false }));
    expect(e.code).toBe('confirm_required');
    expect(e.details).toEqual({ would_remove: steps });
    expect(errorText(e)).toBe('This shortens how long raw data is kept.');
  });

  it('shows the detail of a refused retention', async () => {
    const { api } = client(json(400, { code: 'bad_retention', message: 'raw_days must be 1 to 36500 days, or null to keep for ever' }));
    const e = await caught(api.storage());
    expect(errorText(e)).toBe('Raw_days must be 1 to 36500 days, or null to keep for ever.');
  });

  it('sends the storage change as JSON with PUT', async () => {
    const { api, fetch } = client(json(200, {}));
    const change = { raw_days: 30, minute_days: 730, hour_days: null, audit_days: 1095, archive: true, disk_warn_mb: 1024, confirm: true };
    await api.putStorage(change);
    const [path, init] = fetch.mock.calls[0];
    expect(path).toBe('/api/storage');
    expect(init?.method).toBe('PUT');
    expect(JSON.parse(String(init?.body))).toEqual(change);
  });

  it('passes a cancel signal to history requests', async () => {
    const { api, fetch } = client(json(200, { tag_id: 7, from: 1, to: 2, t: [], v: [] }));
    const ctl = new AbortController();
    await api.history(7, 1, 2, 100, ctl.signal);
    expect(fetch.mock.calls[0][1]?.signal).toBe(ctl.signal);
  });

  it('builds the history query with points clamped to the API limit', async () => {
    const { api, fetch } = client(json(200, { tag_id: 7, from: 1, to: 2, t: [], v: [] }));
    await api.history(7, 1000.4, 2000.6, 50_000);
    expect(fetch.mock.calls[0][0]).toBe('/api/tags/7/history?from=1000&to=2001&points=10000');
  });

  function fresh() {
    const fetch = vi.fn(async (_input: string, _init?: RequestInit) => json(200, {}));
    return { api: new ApiClient({ fetch }), fetch };
  }

  it('escapes device and template keys in paths', async () => {
    const { api, fetch } = fresh();
    await api.device('meter 1/a');
    await api.template('eastron-sdm630');
    expect(fetch.mock.calls[0][0]).toBe('/api/devices/meter%201%2Fa');
    expect(fetch.mock.calls[1][0]).toBe('/api/templates/eastron-sdm630');
  });

  it('posts a test read and puts the configuration model', async () => {
    const { api, fetch } = fresh();
    await api.testRead({ device: 'meter-1', tag: 'voltage_l1' });
    await api.putConfigModel({ site: { name: 'S', timezone: 'UTC' }, devices: [] }, 7);
    expect(fetch.mock.calls[0][0]).toBe('/api/commissioning/read');
    expect(fetch.mock.calls[0][1]?.method).toBe('POST');
    expect(JSON.parse(String(fetch.mock.calls[0][1]?.body))).toEqual({ device: 'meter-1', tag: 'voltage_l1' });
    expect(fetch.mock.calls[1][0]).toBe('/api/config/model?base=7');
    expect(fetch.mock.calls[1][1]?.method).toBe('PUT');
  });

  it('reads the configuration as text and sends it as text', async () => {
    const toml = '[site]\nname = "S"\n';
    const fetch = vi.fn(async (path: string, _init?: RequestInit) =>
      path === '/api/config' && _init?.method === 'GET'
        ? new Response(toml, {
            status: 200,
            headers: { 'Content-Type': 'text/plain; charset=utf-8', 'x-config-version': '1' },
          })
        : json(200, path.startsWith('/api/config?') ? { version: 2, changed: true } : { machines: 1, buses: 0, devices: 1, tags: 3 }),
    );
    const api = new ApiClient({ fetch });
    await expect(api.configText()).resolves.toEqual({ value: toml, version: 1 });
    await expect(api.checkConfigText(toml)).resolves.toEqual({ machines: 1, buses: 0, devices: 1, tags: 3 });
    await expect(api.putConfigText(toml, 1)).resolves.toEqual({ version: 2, changed: true });
    expect(fetch.mock.calls[2][0]).toBe('/api/config?base=1');
    const [, check] = fetch.mock.calls[1];
    expect(fetch.mock.calls[1][0]).toBe('/api/config/check');
    expect(check?.method).toBe('POST');
    expect(check?.body).toBe(toml);
    expect((check?.headers as Record<string, string>)['Content-Type']).toMatch(/^text\/plain/);
    expect(fetch.mock.calls[2][1]?.method).toBe('PUT');
    expect(fetch.mock.calls[2][1]?.body).toBe(toml);
  });

  it('asks for the audit log by limit and before', async () => {
    const { api, fetch } = fresh();
    fetch.mockImplementation(async () => json(200, []));
    await api.audit(100);
    await api.audit(100, 42);
    expect(fetch.mock.calls[0][0]).toBe('/api/audit?limit=100');
    expect(fetch.mock.calls[1][0]).toBe('/api/audit?limit=100&before=42');
  });

  it('escapes machine keys in paths', async () => {
    const { api, fetch } = client(json(200, { key: 'a b', name: 'A', tags: [] }));
    await api.machine('a b');
    expect(fetch.mock.calls[0][0]).toBe('/api/machines/a%20b');
  });
});

describe('ApiClient errors by code', () => {
  it('carries the server code and message', async () => {
    const { api } = client(json(409, { code: 'username_taken', message: 'taken' }));
    const err = await caught(
      api.createUser({ username: 'sam', display_name: 'Sam', role: 'operator', password: 'x'.repeat(10) }),
    );
    expect(err.status).toBe(409);
    expect(err.code).toBe('username_taken');
    expect(err.message).toBe('taken');
  });

  it('carries every mistake of a refused configuration', async () => {
    const { api } = client(
      json(422, {
        code: 'invalid_config',
        message: 'the configuration was not imported; 2 mistakes to fix',
        errors: [
          { place: 'device "m", field "bus"', message: 'there is no serial line "x"' },
          { place: 'device "m", field "host"', message: 'needs the host' },
          'junk',
        ],
      }),
    );
    const err = await caught(api.putConfigModel({ site: { name: 'S', timezone: 'UTC' } }, 1));
    expect(err.code).toBe('invalid_config');
    expect(err.problems).toEqual([
      { place: 'device "m", field "bus"', message: 'there is no serial line "x"' },
      { place: 'device "m", field "host"', message: 'needs the host' },
    ]);
  });

  it('carries the mistakes of a configuration text the check refuses', async () => {
    const { api } = client(
      json(422, {
        code: 'invalid_config',
        message: 'the configuration was not imported; 1 mistake to fix',
        errors: [{ place: 'line 4, column 12', message: 'this is not valid TOML' }],
      }),
    );
    const err = await caught(api.checkConfigText('[[machines]'));
    expect(err.status).toBe(422);
    expect(err.problems).toEqual([{ place: 'line 4, column 12', message: 'this is not valid TOML' }]);
  });

  it('has no problems list for other errors', async () => {
    const { api } = client(json(404, { code: 'not_found', message: 'no device' }));
    const err = await caught(api.device('nope'));
    expect(err.problems).toEqual([]);
  });

  it('derives a code from the status when the body is not JSON', async () => {
    const { api } = client(new Response('<html>bad gateway</html>', { status: 502 }));
    const err = await caught(api.overview());
    expect(err.code).toBe('http_502');
  });

  it('reports a network failure as code "network"', async () => {
    const { api } = client(new TypeError('Failed to fetch'));
    const err = await caught(api.devices());
    expect(err.code).toBe(NETWORK_ERROR);
    expect(err.status).toBe(0);
  });

  it('reports an answer that is not JSON', async () => {
    const { api } = client(new Response('not json', { status: 200 }));
    const err = await caught(api.overview());
    expect(err.code).toBe(BAD_RESPONSE);
  });

  it('tells the app when the session is gone', async () => {
    const gone = vi.fn();
    const { api } = client(json(401, { code: 'session_expired', message: 'idle' }), {
      onSessionGone: gone,
    });
    const err = await caught(api.overview());
    expect(isSessionGone(err)).toBe(true);
    expect(gone).toHaveBeenCalledOnce();
  });

  it('does not call the hook for a wrong password at login', async () => {
    const gone = vi.fn();
    const { api } = client(json(401, { code: 'bad_credentials', message: 'no' }), {
      onSessionGone: gone,
    });
    const err = await caught(api.login('a', 'b'));
    expect(err.code).toBe('bad_credentials');
    expect(isSessionGone(err)).toBe(false);
    expect(gone).not.toHaveBeenCalled();
  });

  it('does not call the hook for /api/me, where 401 means "not logged in"', async () => {
    const gone = vi.fn();
    const { api } = client(json(401, { code: 'unauthorized', message: '' }), { onSessionGone: gone });
    await caught(api.me());
    expect(gone).not.toHaveBeenCalled();
  });

  it('tells the app when a password change is required', async () => {
    const must = vi.fn();
    const { api } = client(json(403, { code: 'password_change_required', message: '' }), {
      onPasswordChangeRequired: must,
    });
    await caught(api.overview());
    expect(must).toHaveBeenCalledOnce();
  });
});

describe('errorText', () => {
  it('chooses text by code, never by message', () => {
    expect(errorText(new ApiError(401, 'bad_credentials', 'anything'))).toBe(
      'Wrong username or password',
    );
    expect(errorText(new ApiError(409, 'username_taken', 'x'))).toMatch(/already taken/);
    expect(errorText(new ApiError(400, 'last_admin', 'x'))).toMatch(/no enabled admin/);
    expect(errorText(new ApiError(400, 'weak_password', ''))).toMatch(/at least 12 characters/);
  });

  it('shows the server detail for a password that breaks the rule', () => {
    expect(
      errorText(new ApiError(400, 'weak_password', 'the password must not be one character repeated')),
    ).toBe('The password must not be one character repeated.');
  });

  it('falls back to the server message for codes it does not know', () => {
    expect(errorText(new ApiError(422, 'invalid_config', 'line 3: bad'))).toBe('Line 3: bad.');
    expect(errorText(new ApiError(500, 'http_500', ''))).toBe('Request failed (500).');
  });

  it('treats anything else as a connection problem', () => {
    expect(errorText(new Error('boom'))).toMatch(/cannot be reached/);
  });

  it('says an error in the user language with its params (issue 18)', () => {
    const gone = new ApiError(404, 'not_found', 'no such machine', [], {}, { what: 'machine' });
    const lang = new ApiError(400, 'unknown_language', 'no language "fr"', [], {}, { language: 'fr', field: 'language' });
    try {
      expect(errorText(gone)).toBe('There is no such machine.');
      setLanguage('de', 'de-DE');
      expect(errorText(gone)).toBe('Diese Maschine gibt es nicht.');
      expect(errorText(lang)).toBe('Plantlog hat keine Sprache „fr“.');
      expect(errorText(new ApiError(401, 'bad_credentials', 'x'))).toBe('Benutzername oder Passwort falsch');
      setLanguage('zh', 'zh-CN');
      expect(errorText(new ApiError(422, 'invalid_config', 'x', [], {}, { count: 3 }))).toBe(
        '配置中有 3 处错误；请改正后再次保存。',
      );
      // A weak password's reason and the word it names, from the server's params.
      const weak = new ApiError(400, 'weak_password', 'x', [], {}, { reason: 'common_core', word: 'monkey' });
      expect(errorText(weak)).toBe('此密码是常见密码“monkey”加上几个字符；请另选一个。');
      // A code kept in the area that owns the endpoint (account.errors.*).
      expect(errorText(new ApiError(400, 'mfa_required_for_role', 'x'))).toBe('您的角色要求使用第二重验证，不能关闭。');
      // A code the catalogue lacks: the server's English message.
      expect(errorText(new ApiError(400, 'bad_window', 'the window is too long'))).toBe('The window is too long.');
    } finally {
      setLanguage('en', 'en-GB');
    }
  });

  it('reads params from the answer and keeps them out of details', async () => {
    const fetch = vi.fn(async () =>
      new Response(JSON.stringify({ code: 'not_found', message: 'no such device', params: { what: 'device' }, extra: 1 }), {
        status: 404,
        headers: { 'content-type': 'application/json' },
      }),
    );
    const c = new ApiClient({ fetch });
    const err = await c.me().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).params).toEqual({ what: 'device' });
    expect((err as ApiError).details).toEqual({ extra: 1 });
    expect(errorText(err)).toBe('There is no such device.');
  });
});
