// The HTTP client for the Plantlog API. Errors become ApiError with the server's stable
// `code` and its `params`; the UI tells errors apart by that code, never by the message,
// and says them in the user's language from the `errors` catalogue (errorText).

import { errorKey, t, tryT } from './i18n.svelte';

import type {
  AuditEntry,
  BusStatus,
  ConfigCounts,
  ConfigModel,
  ConfigProblem,
  ConfigSaved,
  DeviceDetail,
  DeviceStatus,
  History,
  StateTimes,
  Machine,
  Me,
  Overview,
  PlantLanguage,
  Preferences,
  PreferencesChange,
  ReadRequest,
  ReadResult,
  TagFindings,
  VersionInfo,
  RoleInfo,
  ScanRequest,
  ScanResult,
  SerialPort,
  Storage,
  Passport,
  BackupsView,
  BackupTargetInput,
  BackupRun,
  BackupRestored,
  BackupVerification,
  BackupDrill,
  TargetBackups,
  EncryptionTurnedOn,
  EncryptionState,
  StorageChange,
  SyncStatus,
  TemplateDetail,
  TemplateSummary,
  User,
} from './types';

/** Codes the client makes itself when the server's answer carries none. */
export const NETWORK_ERROR = 'network';
export const BAD_RESPONSE = 'bad_response';

export type ErrorParams = Record<string, string | number | boolean>;

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  /** Every mistake of a refused configuration (422 `invalid_config`); empty otherwise. */
  readonly problems: ConfigProblem[];
  /** The answer's other fields, such as `would_remove` of 409 `confirm_required`. */
  readonly details: Record<string, unknown>;
  /** The values the message names (a field, a thing, a count), for its translation. */
  readonly params: ErrorParams;

  constructor(
    status: number,
    code: string,
    message: string,
    problems: ConfigProblem[] = [],
    details: Record<string, unknown> = {},
    params: ErrorParams = {},
  ) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.problems = problems;
    this.details = details;
    this.params = params;
  }
}

/** Codes that mean the session is gone and the user must log in again. */
export function isSessionGone(err: unknown): boolean {
  return (
    err instanceof ApiError &&
    err.status === 401 &&
    (err.code === 'unauthorized' || err.code === 'session_expired')
  );
}


/**
 * Codes whose server message carries the detail a person needs (which part of the
 * password rule failed) and no params yet: the UI shows that (English) message for them
 * rather than the catalogue's general words, until the server sends the detail as params.
 */
const DETAILED = new Set(
  'weak_password invalid_username bad_retention confirm_required audit_floor bad_setting bad_vendor bad_certificate confirm_text_required too_many_attempts line_busy'.split(' '),
);

function sentence(message: string): string {
  const m = message.trim();
  if (m === '') return m;
  const s = m[0].toUpperCase() + m.slice(1);
  return /[.!?]$/.test(s) ? s : s + '.';
}

/**
 * Text for a person in their language: the catalogue's `errors.<code>` (or
 * `<area>.errors.<code>`) with the error's params; the server's (English) message for a code the catalogue does not have, or a
 * detailed code without params.
 */
export function errorText(err: unknown): string {
  if (err instanceof ApiError) {
    const key = errorKey(err.code);
    const detailed = DETAILED.has(err.code) && Object.keys(err.params).length === 0;
    if (detailed && err.message.trim() !== '') return sentence(err.message);
    return (
      (key ? tryT(key, { ...err.params }) : null) ??
      (sentence(err.message) || t('errors.failed', { status: err.status }))
    );
  }
  return t(`errors.${NETWORK_ERROR}`);
}

export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

export interface ClientOptions {
  fetch?: FetchLike;
  /** Called when any request finds the session gone (401). */
  onSessionGone?: (err: ApiError) => void;
  /** Called when the server requires a password change first (403). */
  onPasswordChangeRequired?: (err: ApiError) => void;
}

async function errorFrom(res: Response): Promise<ApiError> {
  let code = `http_${res.status}`;
  let message = res.statusText || `HTTP ${res.status}`;
  const problems: ConfigProblem[] = [];
  const details: Record<string, unknown> = {};
  const params: ErrorParams = {};
  try {
    const body: unknown = await res.json();
    if (body && typeof body === 'object' && !Array.isArray(body)) {
      for (const [k, v] of Object.entries(body)) {
        if (k !== 'code' && k !== 'message' && k !== 'errors' && k !== 'params') details[k] = v;
      }
      const p = (body as { params?: unknown }).params;
      if (p && typeof p === 'object' && !Array.isArray(p)) {
        for (const [k, v] of Object.entries(p)) {
          if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') params[k] = v;
        }
      }
      const b = body as { code?: unknown; message?: unknown; errors?: unknown };
      if (typeof b.code === 'string') code = b.code;
      if (typeof b.message === 'string') message = b.message;
      if (Array.isArray(b.errors)) {
        for (const e of b.errors as unknown[]) {
          if (!e || typeof e !== 'object') continue;
          const p = e as { place?: unknown; message?: unknown };
          problems.push({
            place: typeof p.place === 'string' ? p.place : '',
            message: typeof p.message === 'string' ? p.message : String(p.message ?? ''),
          });
        }
      }
    }
  } catch {
    // Not JSON: keep the status-derived code.
  }
  return new ApiError(res.status, code, message, problems, details, params);
}

/** A value with the configuration version it was read from. */
export interface Versioned<T> {
  value: T;
  version: number;
}

/** The configuration version an answer describes (its `x-config-version` header). */
function versionOf(res: Response): number {
  const v = Number(res.headers.get('x-config-version'));
  return Number.isFinite(v) ? v : 0;
}

export class ApiClient {
  private readonly fetchFn: FetchLike;
  private readonly opts: ClientOptions;

  constructor(opts: ClientOptions = {}) {
    this.opts = opts;
    this.fetchFn = opts.fetch ?? ((input, init) => globalThis.fetch(input, init));
  }

  /** Sends one request; a failed answer becomes an ApiError (and calls the hooks). */
  private async send(
    method: string,
    path: string,
    body: { type: string; data: string } | undefined,
    accept: string,
    quiet: boolean,
    signal?: AbortSignal,
  ): Promise<Response> {
    // The header tells the server the request comes from Plantlog's own page (with the
    // browser's Origin; a request that changes something needs one of the two).
    const headers: Record<string, string> = { Accept: accept, 'X-Plantlog-Request': '1' };
    const init: RequestInit = { method, credentials: 'same-origin', headers };
    if (signal) init.signal = signal;
    if (body !== undefined) {
      headers['Content-Type'] = body.type;
      init.body = body.data;
    }
    let res: Response;
    try {
      res = await this.fetchFn(path, init);
    } catch (e) {
      throw new ApiError(0, NETWORK_ERROR, e instanceof Error ? e.message : String(e));
    }
    if (!res.ok) {
      const err = await errorFrom(res);
      if (!quiet) {
        if (isSessionGone(err)) this.opts.onSessionGone?.(err);
        else if (err.status === 403 && err.code === 'password_change_required')
          this.opts.onPasswordChangeRequired?.(err);
      }
      throw err;
    }
    return res;
  }

  /** Sends one request; returns the parsed JSON body, or undefined for 204. */
  async request<T>(
    method: string,
    path: string,
    body?: unknown,
    quiet = false,
    signal?: AbortSignal,
  ): Promise<T> {
    const json =
      body === undefined ? undefined : { type: 'application/json', data: JSON.stringify(body) };
    const res = await this.send(method, path, json, 'application/json', quiet, signal);
    if (res.status === 204) return undefined as T;
    const text = await res.text();
    if (text === '') return undefined as T;
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new ApiError(res.status, BAD_RESPONSE, 'The answer was not JSON.');
    }
  }

  /** A file the server makes (a zip): its bytes and the name it suggests. */
  async file(method: string, path: string): Promise<{ blob: Blob; name: string }> {
    const res = await this.send(method, path, undefined, 'application/zip, application/json', false);
    const name = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '');
    return { blob: await res.blob(), name: name ? name[1] : 'download' };
  }

  /** Sends plain text (a configuration file), answered with JSON. */
  private async sendText<T>(method: string, path: string, text: string): Promise<T> {
    const res = await this.send(
      method,
      path,
      { type: 'text/plain; charset=utf-8', data: text },
      'application/json',
      false,
    );
    try {
      return JSON.parse(await res.text()) as T;
    } catch {
      throw new ApiError(res.status, BAD_RESPONSE, 'The answer was not JSON.');
    }
  }

  /** Whether the first admin is still to be made, and the plant's default language. */
  setupRequired(): Promise<{ setup_required: boolean; language?: string }> {
    return this.request('GET', '/api/setup', undefined, true);
  }
  setup(username: string, display_name: string, password: string, setup_code: string): Promise<Me> {
    return this.request('POST', '/api/setup', { username, display_name, password, setup_code }, true);
  }
  /** `code`: from the authenticator app, or a recovery code, for accounts with one. */
  login(username: string, password: string, code?: string): Promise<Me> {
    const body = code ? { username, password, code } : { username, password };
    return this.request('POST', '/api/login', body, true);
  }
  logout(): Promise<void> {
    return this.request('POST', '/api/logout', undefined, true);
  }
  /** Quiet: a 401 here is the normal "not logged in" answer. */
  me(): Promise<Me> {
    return this.request('GET', '/api/me', undefined, true);
  }
  changePassword(current_password: string, new_password: string): Promise<void> {
    return this.request('POST', '/api/me/password', { current_password, new_password }, true);
  }
  /** The user's own language and theme, with the plant's default. */
  preferences(): Promise<Preferences> {
    return this.request('GET', '/api/me/preferences');
  }
  /** Changes the user's own choices: a field left out stays, null goes back to the default. */
  changePreferences(change: PreferencesChange): Promise<Preferences> {
    return this.request('PATCH', '/api/me/preferences', change);
  }
  /** Sets the plant's default language (admin). */
  setPlantLanguage(language: string): Promise<PlantLanguage> {
    return this.request('PUT', '/api/settings/language', { language });
  }
  roles(): Promise<RoleInfo[]> {
    return this.request('GET', '/api/roles');
  }
  overview(): Promise<Overview> {
    return this.request('GET', '/api/overview');
  }
  machine(key: string): Promise<Machine> {
    return this.request('GET', `/api/machines/${encodeURIComponent(key)}`);
  }
  /** `points`: the chart's plot width in CSS pixels. `signal` cancels a request no longer wanted. */
  history(tagId: number, from: number, to: number, points: number, signal?: AbortSignal): Promise<History> {
    const q = new URLSearchParams({
      from: String(Math.round(from)),
      to: String(Math.round(to)),
      points: String(Math.max(1, Math.min(10000, Math.round(points)))),
    });
    return this.request('GET', `/api/tags/${tagId}/history?${q.toString()}`, undefined, false, signal);
  }
  /** Exact time in each state over [from, to] (`to` no later than now), and the longest
   * state in each of `columns` columns (0: none). */
  stateTimes(tagId: number, from: number, to: number, columns: number, signal?: AbortSignal): Promise<StateTimes> {
    const q = new URLSearchParams({
      from: String(Math.round(from)),
      to: String(Math.round(to)),
      columns: String(Math.max(0, Math.min(10000, Math.round(columns)))),
    });
    return this.request('GET', `/api/tags/${tagId}/states?${q.toString()}`, undefined, false, signal);
  }
  devices(): Promise<DeviceStatus[]> {
    return this.request('GET', '/api/devices');
  }
  device(key: string): Promise<DeviceDetail> {
    return this.request('GET', `/api/devices/${encodeURIComponent(key)}`);
  }
  buses(): Promise<BusStatus[]> {
    return this.request('GET', '/api/buses');
  }
  testRead(req: ReadRequest): Promise<ReadResult> {
    return this.request('POST', '/api/commissioning/read', req);
  }
  scan(req: ScanRequest): Promise<ScanResult> {
    return this.request('POST', '/api/commissioning/scan', req);
  }
  serialPorts(): Promise<SerialPort[]> {
    return this.request('GET', '/api/serial-ports');
  }
  /** The device's tags whose recent values look wrong, with the likely cause. */
  deviceFindings(key: string): Promise<TagFindings[]> {
    return this.request('GET', `/api/devices/${encodeURIComponent(key)}/findings`);
  }
  templates(): Promise<TemplateSummary[]> {
    return this.request('GET', '/api/templates');
  }
  template(key: string): Promise<TemplateDetail> {
    return this.request('GET', `/api/templates/${encodeURIComponent(key)}`);
  }
  /** The running configuration as JSON, with its version (an edit's base). */
  async configModel(): Promise<Versioned<ConfigModel>> {
    const res = await this.send('GET', '/api/config/model', undefined, 'application/json', false);
    return { value: (await res.json()) as ConfigModel, version: versionOf(res) };
  }
  /**
   * Imports a whole configuration made from version `base`. 422 `invalid_config` carries
   * every mistake in the error's `problems`; 409 `config_conflict` says another version
   * was stored since `base`, with what changed in `details.conflict`.
   */
  putConfigModel(model: ConfigModel, base: number): Promise<ConfigSaved> {
    return this.request('PUT', `/api/config/model?base=${base}`, model);
  }
  /** The stored configuration versions, newest first: who changed what. */
  configVersions(): Promise<VersionInfo[]> {
    return this.request('GET', '/api/config/versions');
  }
  /** The running configuration as the TOML file's text, with its version. */
  async configText(): Promise<Versioned<string>> {
    const res = await this.send('GET', '/api/config', undefined, 'text/plain', false);
    return { value: await res.text(), version: versionOf(res) };
  }
  /** Imports a configuration file's text edited from version `base`; refused as
   * putConfigModel is. */
  putConfigText(text: string, base: number): Promise<ConfigSaved> {
    return this.sendText('PUT', `/api/config?base=${base}`, text);
  }
  /** Checks a configuration file's text without importing it. */
  checkConfigText(text: string): Promise<ConfigCounts> {
    return this.sendText('POST', '/api/config/check', text);
  }
  /** Audit log entries, newest first; `before` an id: only older entries. */
  audit(limit: number, before?: number): Promise<AuditEntry[]> {
    const q = new URLSearchParams({ limit: String(limit) });
    if (before !== undefined) q.set('before', String(before));
    return this.request('GET', `/api/audit?${q.toString()}`);
  }
  backups(): Promise<BackupsView> {
    return this.request('GET', '/api/backups');
  }
  addBackupTarget(t: BackupTargetInput): Promise<BackupsView> {
    return this.request('POST', '/api/backups/targets', t);
  }
  updateBackupTarget(id: number, t: BackupTargetInput): Promise<BackupsView> {
    return this.request('PUT', `/api/backups/targets/${id}`, t);
  }
  removeBackupTarget(id: number): Promise<BackupsView> {
    return this.request('DELETE', `/api/backups/targets/${id}`);
  }
  /** Backs up to a target now; the run, good or failed (with its error). */
  backupNow(id: number): Promise<BackupRun> {
    return this.request('POST', `/api/backups/targets/${id}/run`);
  }
  targetBackups(id: number): Promise<TargetBackups> {
    return this.request('GET', `/api/backups/targets/${id}/backups`);
  }
  runDrill(): Promise<BackupDrill> {
    return this.request('POST', '/api/backups/drill');
  }
  /** Restores a backup into the running data folder (the current data is set aside). */
  restoreBackup(id: number, name: string): Promise<BackupRestored> {
    return this.request('POST', `/api/backups/targets/${id}/backups/${encodeURIComponent(name)}/restore`);
  }
  setBackupEncryption(on: boolean): Promise<EncryptionTurnedOn> {
    return this.request('PUT', '/api/backups/encryption', { on });
  }
  enterBackupKey(key: string): Promise<EncryptionState> {
    return this.request('POST', '/api/backups/encryption/key', { key });
  }
  verifyBackup(id: number, name: string): Promise<BackupVerification> {
    return this.request('POST', `/api/backups/targets/${id}/backups/${encodeURIComponent(name)}/verify`);
  }
  /** The data passport (issue 17): every answer about the plant's data, read now. */
  passport(): Promise<Passport> {
    return this.request('GET', '/api/passport');
  }
  storage(): Promise<Storage> {
    return this.request('GET', '/api/storage');
  }
  /** Sync to the central server (issue 14): state, position, backlog. */
  sync(): Promise<SyncStatus> {
    return this.request('GET', '/api/sync');
  }
  /** Sets how fast a backlog drains, in bytes per second on average (0: no limit). */
  setSyncBandwidth(bytesPerSecond: number): Promise<SyncStatus> {
    return this.request('PUT', '/api/sync/bandwidth', { bytes_per_second: bytesPerSecond });
  }
  /**
   * Saves retention and the disk warning. A shorter retention without `confirm` is
   * refused with 409 `confirm_required`, its `details.would_remove` what would go.
   */
  putStorage(change: StorageChange): Promise<Storage> {
    return this.request('PUT', '/api/storage', change);
  }
  users(): Promise<User[]> {
    return this.request('GET', '/api/users');
  }
  createUser(u: {
    username: string;
    display_name: string;
    role: string;
    password: string;
  }): Promise<User> {
    return this.request('POST', '/api/users', u);
  }
  updateUser(
    id: number,
    patch: { display_name?: string; role?: string; disabled?: boolean },
  ): Promise<User> {
    return this.request('PATCH', `/api/users/${id}`, patch);
  }
  resetPassword(id: number, password: string): Promise<void> {
    return this.request('POST', `/api/users/${id}/password`, { password });
  }
}
