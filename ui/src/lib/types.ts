// Shapes of the Plantlog HTTP API (docs/API.md). Times are UTC milliseconds.

export type Permission =
  | 'view_plant'
  | 'view_devices'
  | 'view_config'
  | 'edit_config'
  | 'manage_users'
  | 'view_audit';

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

export interface DeviceStatus {
  key: string;
  name: string;
  protocol: string;
  endpoint: string;
  state: DeviceState;
  last_success_ms: number | null;
  last_error: string | null;
  last_error_ms: number | null;
  response_ms: number | null;
  requests: number;
  errors: number;
  tags: number;
  machines: string[];
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
