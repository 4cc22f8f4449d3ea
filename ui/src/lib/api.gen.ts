// The types of Plantlog's HTTP API, generated from its Rust types by ts-rs.
// Do not edit: run `PLANTLOG_WRITE_TYPES=1 cargo test --lib api::contract`.

export type AuditEntry = { id: number, ts: number, actor: string, action: string, target: string, detail: string, client: string, };

/**
 * A serial line: an RS-485 port (a COM port on Windows) with its settings. Modbus RTU
 * devices on the line share it; a serial line device has one to itself.
 */
export type Bus = { key: string, name?: string, 
/**
 * The port: "COM3" on Windows, "/dev/ttyUSB0" on Linux.
 */
port: string, baud: number, parity?: Parity, data_bits?: number, stop_bits?: number, 
/**
 * Silence kept between frames, in ms. Default: 3.5 characters at the baud rate, at
 * least 1.75 ms, as the Modbus serial line specification asks.
 */
frame_gap_ms?: number | null, };

export type BusView = { key: string, name: string, kind: string, settings: string, devices: Array<string>, diagnostics: Diagnostics | null, };

/**
 * The classes of data with a retention of their own.
 */
export type Class = "raw" | "minute" | "hour" | "audit";

/**
 * What the compactor is doing, for the status page.
 */
export type CompactorStatus = { last_run_ms: number | null, last: Stats, total: Stats, error: string | null, };

/**
 * What a valid configuration holds.
 */
export type ConfigSummary = { machines: number, buses: number, devices: number, tags: number, };

/**
 * An edit based on a version that is no longer the running one.
 */
export type Conflict = { base: number, current: number, 
/**
 * The versions stored since `base`, oldest first.
 */
since: Array<VersionInfo>, 
/**
 * What they changed, from `base` to `current`, in words.
 */
changes: Array<string>, };

/**
 * A user to create, as the admin gives it.
 */
export type CreateUser = { username: string, display_name: string, role: Role, password: string, };

export type DataType = "bool" | "bit" | "u16" | "i16" | "u32" | "i32" | "u64" | "i64" | "f32" | "f64" | "string";

export type Device = { 
/**
 * Stable identifier; tags are known by (device key, tag name).
 */
key: string, name?: string, protocol: Protocol, 
/**
 * modbus-tcp, modbus-rtu-over-tcp: the device's or gateway's address.
 */
host?: string | null, port?: number | null, 
/**
 * modbus-rtu, serial-line: the serial line, by key.
 */
bus?: string | null, 
/**
 * Modbus unit id (slave address).
 */
unit_id: number, 
/**
 * How long to wait for one answer.
 */
timeout_ms: number, 
/**
 * Poll interval of the device's tags unless a tag sets its own.
 */
poll_ms: number, 
/**
 * The machine the device's tags describe, unless a tag names another.
 */
machine?: string | null, 
/**
 * The register map the device's tags came from (see templates/).
 */
template?: string | null, 
/**
 * Registers (or bits) of gap read across to combine two tags into one request;
 * 0 combines only neighbours.
 */
max_gap?: number, 
/**
 * Largest request in registers (1..=125); some devices answer fewer.
 */
max_registers?: number, 
/**
 * Largest request in coils or discrete inputs (1..=2000).
 */
max_bits?: number, 
/**
 * serial-line: a regular expression with named groups; each group feeds the tag
 * whose `field` names it.
 */
pattern?: string | null, 
/**
 * serial-line: what ends a line: "\n" (default), "\r\n" or "\r".
 */
terminator?: string | null, 
/**
 * serial-line: longest line accepted, in bytes; longer ones are counted as
 * malformed.
 */
max_line?: number, tags?: Array<Tag>, };

export type DeviceDetail = { timeout_ms: number, poll_ms: number, settings: string, tag_list: Array<TagDetail>, key: string, name: string, protocol: string, endpoint: string, bus: string, 
/**
 * Modbus unit id; null for serial line devices.
 */
unit_id: number | null, template: string | null, diagnostics: Diagnostics | null, tags: number, machines: Array<string>, state: LinkState, last_success_ms: number | null, last_error: string | null, last_error_ms: number | null, 
/**
 * Response time of the last answered request.
 */
response_ms: number | null, requests: number, errors: number, };

export type DeviceView = { key: string, name: string, protocol: string, endpoint: string, bus: string, 
/**
 * Modbus unit id; null for serial line devices.
 */
unit_id: number | null, template: string | null, diagnostics: Diagnostics | null, tags: number, machines: Array<string>, state: LinkState, last_success_ms: number | null, last_error: string | null, last_error_ms: number | null, 
/**
 * Response time of the last answered request.
 */
response_ms: number | null, requests: number, errors: number, };

/**
 * A snapshot for the API.
 */
export type Diagnostics = { requests: number, answered: number, requests_per_s: number, response_p50_ms: number | null, response_p95_ms: number | null, 
/**
 * Errors by kind: timeout, crc, framing, exception_N, late_answer, connection,
 * malformed.
 */
errors: { [key in string]: number }, last_error: string | null, 
/**
 * The kind of the last error, as in `errors`.
 */
last_error_kind: string | null, last_error_ms: number | null, last_success_ms: number | null, 
/**
 * Lines read (serial line devices).
 */
lines: number, };

export type DiskStatus = { checked_ms: number | null, free_bytes: number | null, total_bytes: number | null, warn_below_bytes: number, 
/**
 * Set when free space is below the threshold.
 */
low: boolean, error: string | null, };

export type HistoryView = { tag_id: number, from: number, to: number, t: Array<number>, v: Array<number | null>, };

/**
 * The result of an import.
 */
export type ImportOutcome = { version: number, 
/**
 * False when the configuration equals the running one; no version is added then.
 */
changed: boolean, };

export type LinkState = "connecting" | "online" | "offline";

export type LoginBody = { username: string, password: string, 
/**
 * The code from the authenticator app (or a recovery code), for accounts with a
 * second factor.
 */
code?: string, };

export type Machine = { 
/**
 * Stable identifier used in URLs and references; lowercase letters, digits, '-'
 * and '_'.
 */
key: string, name: string, 
/**
 * How the value of the machine's state tag maps to a state. When empty the
 * standard map applies: see [`Machine::state_map`].
 */
states?: Array<StateDef>, };

export type MachineTile = { key: string, name: string, 
/**
 * "ok" or "no_data".
 */
status: "ok" | "no_data", state: StateJson | null, count_shift: number | null, count_unit: string | null, rate_per_min: number | null, last_update_ms: number | null, stale_after_ms: number, 
/**
 * A few other current values (temperature, current, power) for the tile.
 */
highlights: Array<TagValue>, };

export type MachineView = { key: string, name: string, 
/**
 * How the state tag's values map to states, for state timelines.
 */
states: Array<StateDef>, tags: Array<TagView>, };

/**
 * Who is logged in, with what they may do.
 */
export type Me = { id: number, username: string, display_name: string, role: Role, permissions: Array<Permission>, must_change_password: boolean, idle_timeout_s: number, 
/**
 * Whether this user logs in with a second factor.
 */
mfa_enabled: boolean, 
/**
 * Whether their role (or vendor account) requires one.
 */
mfa_required: boolean, 
/**
 * Required but not set up yet: nothing else works until it is.
 */
mfa_enrolment_required: boolean, 
/**
 * Set for a vendor account: its company, end and scope (the UI shows a banner).
 */
vendor: VendorScope | null, };

/**
 * Byte and word order of a value of more than one byte, named by where the bytes of
 * the big-endian value ABCD (A the highest) travel on the wire.
 */
export type Order = "ABCD" | "CDAB" | "BADC" | "DCBA";

export type Overview = { site: SiteJson, 
/**
 * The current shift, or null outside any configured shift.
 */
shift: ShiftJson | null, now_ms: number, machines: Array<MachineTile>, 
/**
 * Problems of Plantlog itself that everyone must see (data not being stored),
 * from [`crate::health`]; the overview itself adds none.
 */
system_alarms: Array<SystemAlarm>, };

export type Parity = "none" | "even" | "odd";

export type PasswordBody = { current_password: string, new_password: string, };

export type Permission = "view_plant" | "view_devices" | "view_config" | "edit_config" | "manage_users" | "view_audit" | "commission";

/**
 * The whole plant model, as imported from and exported to a TOML file.
 */
export type PlantConfig = { site: Site, shifts?: Array<Shift>, machines?: Array<Machine>, buses?: Array<Bus>, devices?: Array<Device>, };

/**
 * A serial port and what it is.
 */
export type PortInfo = { name: string, 
/**
 * "USB 0403:6001 FTDI FT232R USB UART", "PCI", "serial".
 */
kind: string, };

/**
 * One mistake in a configuration, with where it is and what would fix it.
 */
export type Problem = { 
/**
 * Where: `device "press-1-plc", tag "count", field "address"`.
 */
place: string, 
/**
 * What is wrong and what to do about it.
 */
message: string, };

/**
 * The protocol a device is read with.
 */
export type Protocol = "modbus-tcp" | "modbus-rtu" | "modbus-rtu-over-tcp" | "serial-line";

/**
 * A purge done, for the retention page.
 */
export type Purge = { ts: number, class: Class, before_ms: number, rows: number, samples: number, archive: string, };

/**
 * What a test read showed.
 */
export type ReadResult = { 
/**
 * What was asked, in words.
 */
request: string, 
/**
 * The registers (or bits as 0/1) as they came.
 */
raw: Array<number>, 
/**
 * The same, in hexadecimal.
 */
raw_hex: Array<string>, 
/**
 * The decoded value, when a tag or a type was given.
 */
value: number | null, text: string | null, 
/**
 * good, no_answer, exception, bad_value.
 */
quality: "good" | "no_answer" | "stale" | "bad_value" | "exception", exception_code: number | null, response_ms: number, error: string | null, error_kind: string | null, };

/**
 * Which readings of a tag are stored. A change of quality is always stored.
 */
export type RecordMode = "every_poll" | "on_change" | "deadband" | "swinging_door";

/**
 * The Modbus table a tag is read from.
 */
export type RegisterKind = "coil" | "discrete" | "input" | "holding";

export type ResetPassword = { password: string, };

export type Role = "operator" | "supervisor" | "maintenance" | "quality" | "stores" | "management" | "admin";

/**
 * A role with its name on screen and its permissions.
 */
export type RoleView = { role: Role, label: string, permissions: Array<Permission>, };

/**
 * The JSON form of a sample in the API and live events.
 */
export type SampleJson = { tag_id: number, ts: number, value: number | null, 
/**
 * The text of a good text sample (`value` is null then).
 */
text?: string, quality: "good" | "no_answer" | "stale" | "bad_value" | "exception", exception_code?: number, };

export type ScanBody = { 
/**
 * A device whose line to scan.
 */
device: string, from?: number, to?: number, 
/**
 * The register asked of each unit, as in manuals; 40001 unless given.
 */
register?: number, timeout_ms?: number, };

/**
 * One unit id's answer in a scan.
 */
export type ScanHit = { unit: number, 
/**
 * "answered" (data), "exception" (the unit is there but refused the read).
 */
answer: "answered" | "exception", exception_code: number | null, response_ms: number, };

/**
 * What a scan asked and found.
 */
export type ScanReport = { 
/**
 * The line, in words.
 */
line: string, asked: string, found: Array<ScanHit>, };

/**
 * Days kept per class; `None` keeps it for ever.
 */
export type Settings = { raw_days: number | null, minute_days: number | null, hour_days: number | null, audit_days: number | null, 
/**
 * Write raw samples and audit entries to compressed CSV before removing them.
 */
archive: boolean, };

export type SetupBody = { username: string, display_name: string, password: string, 
/**
 * The one-time code Plantlog printed where it was started.
 */
setup_code?: string, };

export type Shift = { name: string, 
/**
 * Local start time, "HH:MM".
 */
start: string, 
/**
 * Local end time, "HH:MM"; an end before the start means the shift runs past
 * midnight.
 */
end: string, };

export type ShiftJson = { name: string, start_ms: number, end_ms: number, };

export type Site = { name: string, 
/**
 * IANA time zone name of the plant, e.g. "Europe/Berlin". Shift boundaries,
 * reports and the UI use it; everything stored is UTC.
 */
timezone: string, };

export type SiteJson = { name: string, timezone: string, };

export type StateDef = { value: number, label: string, kind: StateKind, };

export type StateJson = { value: number, label: string, kind: StateKind, };

/**
 * What a machine state means for colours, downtime and OEE.
 */
export type StateKind = "running" | "idle" | "setup" | "stopped" | "fault" | "unknown";

export type StateTime = { value: number, ms: number, };

export type StateTimesView = { tag_id: number, from: number, to: number, 
/**
 * Milliseconds per value, by value, for values that are whole numbers (state codes).
 */
states: Array<StateTime>, 
/**
 * Milliseconds with no good value: bad samples, and times without samples.
 */
no_data_ms: number, 
/**
 * When asked for columns: the range cut into that many equal columns, and the
 * state that held longest in each (`None`: no data held longest). This is what a
 * state timeline of a long range draws, one column per pixel.
 */
columns?: Array<number | null>, };

/**
 * What one run did.
 */
export type Stats = { windows: number, blocks: number, samples: number, bytes: number, };

/**
 * What a purge of one class would remove.
 */
export type Step = { class: Class, 
/**
 * Everything older than this goes.
 */
before_ms: number, 
/**
 * Rows (blocks, rollup rows, audit entries) and, for raw data, samples.
 */
rows: number, samples: number, };

export type StorageChange = { raw_days: number | null, minute_days: number | null, hour_days: number | null, audit_days: number | null, archive: boolean, disk_warn_mb: number, 
/**
 * Required when a retention gets shorter.
 */
confirm: boolean, 
/**
 * Required to keep the audit log less than its floor: the words "shorten the audit
 * log".
 */
audit_confirm_text?: string, };

export type StorageView = { data_dir: string, database_path: string, 
/**
 * The database file and its write-ahead log.
 */
database_bytes: number, disk: DiskStatus, retention: Settings, disk_warn_mb: number, 
/**
 * What the next retention run removes.
 */
next_purge: Array<Step>, purges: Array<Purge>, writer: WriterStatus | null, compactor: CompactorStatus | null, archive_dir: string, hot_rows: number, blocks: number, block_samples: number, };

/**
 * A problem of Plantlog itself, shown on every page.
 */
export type SystemAlarm = { 
/**
 * Stable code: `storage_failed`, `disk_low`.
 */
code: string, message: string, since_ms: number | null, };

export type Tag = { 
/**
 * Unique within its device.
 */
name: string, label?: string | null, 
/**
 * The machine this tag describes, by key; the device's machine when absent.
 */
machine?: string | null, role?: TagRole | null, 
/**
 * Modbus: the table. May be left out when `register` gives it.
 */
function?: RegisterKind | null, 
/**
 * Modbus: 0-based address as sent on the wire.
 */
address?: number | null, 
/**
 * Modbus: the number as printed in manuals (40001 = holding register at address 0).
 */
register?: number | null, 
/**
 * Modbus: how the registers hold the value.
 */
type?: DataType | null, 
/**
 * With type "bit": which bit of the register, 0 the least significant.
 */
bit?: number | null, 
/**
 * With type "string": number of registers.
 */
length?: number | null, order?: Order, 
/**
 * serial-line: the named group of the device's pattern that holds the value.
 */
field?: string | null, scale?: number, offset?: number, unit?: string, 
/**
 * Poll interval of this tag; the device's when absent.
 */
poll_ms?: number | null, 
/**
 * Which readings are stored (all are shown live).
 */
record?: RecordMode, 
/**
 * With record = "deadband" or "swinging_door": the change that counts, in the
 * tag's unit.
 */
deadband?: number | null, 
/**
 * With record = "deadband": the change that counts, in percent of the last stored
 * value (instead of `deadband`).
 */
deadband_percent?: number | null, 
/**
 * Unless record = "every_poll": a reading is stored at least this often, so a
 * steady value still shows that it was read. Default 60 s.
 */
heartbeat_s?: number | null, };

export type TagDetail = { id: number | null, name: string, label: string, unit: string, machine: string | null, 
/**
 * Modbus: the table, the address on the wire, and the number as in manuals.
 */
function: RegisterKind | null, function_code: number | null, address: number | null, register: number | null, width: number | null, type: string | null, order: Order, 
/**
 * With type "bit": which bit.
 */
bit: number | null, 
/**
 * With type "string": registers.
 */
length: number | null, role: TagRole | null, scale: number, offset: number, 
/**
 * serial-line: the pattern's group.
 */
field: string | null, poll_ms: number, last: SampleJson | null, };

/**
 * What a tag means for production figures.
 */
export type TagRole = "state" | "count";

export type TagValue = { tag_id: number, label: string, unit: string, value: number | null, quality: "good" | "no_answer" | "stale" | "bad_value" | "exception", };

export type TagView = { id: number, name: string, label: string, unit: string, role: TagRole | null, poll_ms: number, device: string, last: SampleJson | null, };

export type Template = { template: TemplateInfo, tags: Array<Tag>, };

/**
 * Device settings known to suit the device.
 */
export type TemplateDevice = { timeout_ms: number | null, poll_ms: number | null, max_registers: number | null, max_bits: number | null, max_gap: number | null, };

export type TemplateInfo = { key: string, maker: string, model: string, 
/**
 * "energy meter", "temperature controller", "drive".
 */
kind: string, 
/**
 * The maker's published register map this template follows.
 */
document: string, url?: string | null, notes?: string | null, device: TemplateDevice, };

export type TemplateSummary = { key: string, maker: string, model: string, kind: string, document: string, tags: number, };

/**
 * A test read on a configured device's line, as the API takes it: one of its tags
 * (decoded as configured), or registers given here.
 */
export type TestRead = { 
/**
 * The device whose line (and unit id, unless `unit` is given) to use.
 */
device: string, 
/**
 * Read this tag of the device, decoded as configured.
 */
tag?: string, unit?: number, function?: RegisterKind, address?: number, 
/**
 * As in manuals, instead of function and address.
 */
register?: number, count?: number, type?: DataType, order?: Order, bit?: number, timeout_ms?: number, };

export type User = { id: number, username: string, display_name: string, role: Role, disabled: boolean, must_change_password: boolean, created_ms: number, last_login_ms: number | null, 
/**
 * Whether the user logs in with a second factor.
 */
mfa_enabled: boolean, 
/**
 * The company of a vendor account (None for the plant's own people).
 */
vendor_company: string | null, 
/**
 * When a vendor account ends.
 */
expires_ms: number | null, };

export type UserChange = { display_name?: string, role?: Role, disabled?: boolean, };

/**
 * What a vendor account may see, and until when.
 */
export type VendorScope = { company: string, expires_ms: number, 
/**
 * Keys of the machines it may see.
 */
machines: Array<string>, 
/**
 * The pages it may use.
 */
permissions: Array<Permission>, };

/**
 * One stored configuration version: who stored it and when.
 */
export type VersionInfo = { version: number, ts: number, actor: string, };

/**
 * What the writer is doing, for the status page and alarms.
 */
export type WriterStatus = { committed_samples: number, commits: number, last_commit_ms: number | null, 
/**
 * Samples received and not yet committed.
 */
pending: number, 
/**
 * Set while commits fail: what went wrong, and since when.
 */
error: string | null, error_since_ms: number | null, 
/**
 * Samples dropped because commits failed for so long that memory ran short.
 */
dropped: number, 
/**
 * How long commits take, over the last 256: the median and the 99th percentile.
 */
commit_p50_ms: number | null, commit_p99_ms: number | null, };
