// Shapes of the Plantlog HTTP API (docs/API.md). Times are UTC milliseconds.

export type Permission =
  | 'view_plant'
  | 'view_devices'
  | 'view_config'
  | 'edit_config'
  | 'manage_users'
  | 'view_audit'
  | 'commission';

export interface Me {
  id: number;
  username: string;
  display_name: string;
  role: string;
  permissions: string[];
  must_change_password: boolean;
  idle_timeout_s: number;
}

export interface RoleInfo {
  role: string;
  label: string;
  permissions: string[];
}

export type StateKind = 'running' | 'idle' | 'setup' | 'stopped' | 'fault' | 'unknown';

export interface MachineState {
  value: number;
  label: string;
  kind: StateKind;
}

/** A current value shown on an overview tile. `value` is null unless `quality` is good. */
export interface Highlight {
  tag_id: number;
  label: string;
  unit: string;
  value: number | null;
  quality: QualityName;
}

export interface MachineSummary {
  key: string;
  name: string;
  status: 'ok' | 'no_data';
  state: MachineState | null;
  count_shift: number | null;
  count_unit: string | null;
  rate_per_min: number | null;
  last_update_ms: number | null;
  stale_after_ms: number;
  /** Up to three other current values (temperature, current, power). */
  highlights: Highlight[];
}

export interface Shift {
  name: string;
  start_ms: number;
  end_ms: number;
}

export interface SystemAlarm {
  /** Stable code, e.g. `storage_failed`. */
  code: string;
  message: string;
  since_ms: number | null;
}

export interface Overview {
  site: { name: string; timezone: string };
  shift: Shift | null;
  now_ms: number;
  machines: MachineSummary[];
  /** Problems of Plantlog itself that every user must see. */
  system_alarms: SystemAlarm[];
}

export type QualityName = 'good' | 'no_answer' | 'exception' | 'stale' | 'bad_value';

export interface LastValue {
  ts: number;
  value: number | null;
  quality: QualityName;
  exception_code?: number | null;
}

export interface Tag {
  id: number;
  name: string;
  label: string;
  unit: string | null;
  role: string | null;
  poll_ms: number;
  device: string;
  last: LastValue | null;
}

export interface Machine {
  key: string;
  name: string;
  /** How the state tag's values map to states (for the state timeline). */
  states: MachineState[];
  tags: Tag[];
}

/** Time in each state of a state tag over a range, exact (`GET /api/tags/{id}/states`). */
export interface StateTimes {
  tag_id: number;
  from: number;
  to: number;
  states: { value: number; ms: number }[];
  no_data_ms: number;
  /** When asked for: the longest state in each of that many equal columns (null: no data). */
  columns?: (number | null)[];
}

export interface History {
  tag_id: number;
  from: number;
  to: number;
  t: number[];
  v: (number | null)[];
}

export interface Sample {
  tag_id: number;
  ts: number;
  value: number | null;
  quality: QualityName;
  exception_code?: number | null;
}

export type DeviceState = 'online' | 'offline' | 'connecting';

/** Counters of a device or a line. Response times over the last 512 requests. */
export interface Diagnostics {
  requests: number;
  answered: number;
  requests_per_s: number | null;
  response_p50_ms: number | null;
  response_p95_ms: number | null;
  /** Error counts by kind: timeout, crc, framing, exception_N, late_answer, connection, malformed. */
  errors: Record<string, number>;
  last_error: string | null;
  last_error_ms: number | null;
  last_success_ms: number | null;
  /** Lines a serial line device sent. */
  lines: number;
}

export interface DeviceStatus {
  key: string;
  name: string;
  /** modbus-tcp, modbus-rtu, modbus-rtu-over-tcp or serial-line. */
  protocol: string;
  endpoint: string;
  /** The serial line's key, or tcp://host:port / rtu+tcp://host:port. */
  bus?: string;
  template?: string | null;
  state: DeviceState;
  last_success_ms: number | null;
  last_error: string | null;
  last_error_ms: number | null;
  response_ms: number | null;
  requests: number;
  errors: number;
  tags: number;
  machines: string[];
  diagnostics?: Diagnostics | null;
}

export type RegisterKind = 'coil' | 'discrete' | 'input' | 'holding';

/** A configured tag of a device, with its address both ways and its current value. */
export interface TagDetail {
  id: number | null;
  name: string;
  label: string;
  unit: string;
  machine: string | null;
  function: RegisterKind | null;
  function_code: number | null;
  address: number | null;
  register: number | null;
  width: number | null;
  type: string | null;
  order: string;
  scale: number;
  offset: number;
  field: string | null;
  poll_ms: number;
  last: Sample | null;
}

export interface DeviceDetail extends DeviceStatus {
  unit_id: number;
  timeout_ms: number;
  poll_ms: number;
  /** "COM3 9600 8N1" or "192.168.1.20:502". */
  settings: string;
  tag_list: TagDetail[];
}

export interface BusStatus {
  key: string;
  name: string;
  /** rs-485, serial-line, modbus-tcp, rtu-over-tcp. */
  kind: string;
  settings: string;
  devices: string[];
  diagnostics: Diagnostics | null;
}

/** A test read: a configured tag, or registers on the device's line. */
export interface ReadRequest {
  device: string;
  tag?: string;
  register?: number;
  function?: RegisterKind;
  address?: number;
  type?: string;
  order?: string;
  bit?: number;
  unit?: number;
  count?: number;
  timeout_ms?: number;
}

export interface ReadResult {
  request: string;
  raw: number[];
  raw_hex: string[];
  value: number | null;
  text: string | null;
  quality: QualityName;
  exception_code: number | null;
  response_ms: number | null;
  error: string | null;
  error_kind: string | null;
}

export interface ScanRequest {
  device: string;
  from: number;
  to: number;
  register: number;
  timeout_ms: number;
}

export interface ScanHit {
  unit: number;
  answer: 'answered' | 'exception' | string;
  exception_code: number | null;
  response_ms: number | null;
}

export interface ScanResult {
  line: string;
  asked: string;
  found: ScanHit[];
}

export interface SerialPort {
  name: string;
  kind: string;
}

export interface TemplateSummary {
  key: string;
  maker: string;
  model: string;
  kind: string;
  document: string;
  tags: number;
}

/** A tag of a template, as its TOML file writes it. */
export interface TemplateTag {
  name: string;
  label?: string;
  function?: RegisterKind;
  register?: number;
  address?: number;
  type?: string;
  order?: string;
  bit?: number;
  length?: number;
  scale?: number;
  offset?: number;
  unit?: string;
}

export interface TemplateDetail {
  template: {
    key: string;
    maker: string;
    model: string;
    kind: string;
    document: string;
    notes?: string;
    device?: {
      timeout_ms?: number | null;
      poll_ms?: number | null;
      max_registers?: number | null;
      max_bits?: number | null;
      max_gap?: number | null;
    };
  };
  tags: TemplateTag[];
}

/** One mistake in a configuration the server refused. */
export interface ConfigProblem {
  place: string;
  message: string;
}

/** A device of the configuration model (the TOML file's structure). */
export interface ModelDevice {
  key: string;
  name?: string;
  protocol: string;
  host?: string;
  port?: number;
  bus?: string;
  unit_id?: number;
  timeout_ms?: number;
  poll_ms?: number;
  machine?: string;
  template?: string;
  tags?: unknown[];
  [other: string]: unknown;
}

/** The configuration as JSON (GET/PUT /api/config/model); unknown parts pass through. */
export interface ConfigModel {
  site: { name: string; timezone: string };
  machines?: { key: string; name: string; [other: string]: unknown }[];
  buses?: { key: string; name?: string; port: string; baud?: number; [other: string]: unknown }[];
  devices?: ModelDevice[];
  [other: string]: unknown;
}

export interface ConfigSaved {
  version: number;
  changed: boolean;
}

/** What a configuration holds, from POST /api/config/check; `buses` are serial lines. */
export interface ConfigCounts {
  machines: number;
  buses: number;
  devices: number;
  tags: number;
}

/** One entry of the audit log (GET /api/audit), newest first. */
export interface AuditEntry {
  id: number;
  ts: number;
  actor: string;
  action: string;
  target: string;
  detail: string;
  client: string;
}

export interface User {
  id: number;
  username: string;
  display_name: string;
  role: string;
  disabled: boolean;
  must_change_password: boolean;
  created_ms: number;
  last_login_ms: number | null;
}

/** A class of stored data with a retention of its own. */
export type RetentionClass = 'raw' | 'minute' | 'hour' | 'audit';

/** How long each class is kept, in days; null keeps for ever. */
export interface Retention {
  raw_days: number | null;
  minute_days: number | null;
  hour_days: number | null;
  audit_days: number | null;
  /** Raw samples and audit entries go to compressed CSV files before they are removed. */
  archive: boolean;
}

/** What a purge of one class removes (next run) or would remove (a shorter retention). */
export interface PurgeStep {
  class: RetentionClass | string;
  /** Everything older than this goes. */
  before_ms: number;
  /** Blocks, rollup rows or audit entries. */
  rows: number;
  /** Samples, for raw data. */
  samples: number;
}

/** A purge that ran. `archive` is the file written first, or "". */
export interface PurgeRun extends PurgeStep {
  ts: number;
  archive: string;
}

export interface DiskStatus {
  checked_ms: number | null;
  free_bytes: number | null;
  total_bytes: number | null;
  warn_below_bytes: number;
  low: boolean;
  error: string | null;
}

export interface WriterStatus {
  committed_samples: number;
  commits: number;
  last_commit_ms: number | null;
  pending: number;
  error: string | null;
  error_since_ms: number | null;
  dropped: number;
  commit_p50_ms: number | null;
  commit_p99_ms: number | null;
}

export interface CompactStats {
  windows: number;
  blocks: number;
  samples: number;
  bytes: number;
}

export interface CompactorStatus {
  last_run_ms: number | null;
  last: CompactStats;
  total: CompactStats;
  error: string | null;
}

/** GET /api/storage. */
export interface Storage {
  data_dir: string;
  database_path: string;
  database_bytes: number;
  disk: DiskStatus;
  retention: Retention;
  disk_warn_mb: number;
  next_purge: PurgeStep[];
  purges: PurgeRun[];
  writer: WriterStatus | null;
  compactor: CompactorStatus | null;
  hot_rows: number;
  blocks: number;
  block_samples: number;
  archive_dir: string;
}

/** PUT /api/storage. */
export interface StorageChange extends Retention {
  disk_warn_mb: number;
  confirm: boolean;
}
