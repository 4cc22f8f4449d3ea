// The types of Plantlog's HTTP API, generated from its Rust types by ts-rs.
// Do not edit: run `PLANTLOG_WRITE_TYPES=1 cargo test --lib api::contract`.

/**
 * The access review page's facts.
 */
export type AccessReviewView = { lan: LanView, generated_ms: number, accounts: Array<AccountReview>, settings: SecuritySettings, lockout: LockoutRules, 
/**
 * Passwords on the shipped list of common and breached ones.
 */
common_passwords: number, audit_chain: ChainReport, };

export type AccountReview = { user: User, 
/**
 * What the account may do (a vendor's pages, or the role's permissions).
 */
permissions: Array<Permission>, mfa_required: boolean, recovery_codes_left: number, 
/**
 * Sessions open now.
 */
sessions: number, 
/**
 * Whole days since the last login (or since creation, never logged in).
 */
unused_days: number, 
/**
 * Why the review suggests disabling it, if it does.
 */
suggestion: string | null, vendor: VendorScope | null, };

/**
 * An acknowledgement.
 */
export type AckBody = { comment: string, };

/**
 * What an alarm rule watches.
 */
export type AlarmKind = "high" | "low" | "rate" | "bit" | "offline" | "stale" | "stop_without_reason" | "counter_stalled" | "state" | "demand";

/**
 * The EEMUA figures over [from, to).
 */
export type AlarmReport = { from: number, to: number, per_role: Array<RoleRate>, floods: Array<Flood>, 
/**
 * The 10 most frequent alarms, most frequent first.
 */
top: Array<Frequent>, standing: Array<Standing>, chattering: Array<Chattering>, };

/**
 * One alarm rule of the plant configuration. Which fields it needs depends on `kind`;
 * `validate` says which are missing or do not belong.
 */
export type AlarmRule = { 
/**
 * Stable identifier: alarms keep it across restarts and configuration changes.
 */
key: string, 
/**
 * What the alarm is called in lists ("Oil temperature high").
 */
name: string, kind: AlarmKind, 
/**
 * The tag watched, as "device/tag" (high, low, rate, bit, stale).
 */
tag?: string | null, 
/**
 * The device watched (offline).
 */
device?: string | null, 
/**
 * The machine watched (stop_without_reason, counter_stalled); for the other kinds
 * the tag's or device's machine is taken when this is not given.
 */
machine?: string | null, 
/**
 * The limit: in the tag's unit (high, low), in the tag's unit per minute (rate).
 */
limit?: number | null, 
/**
 * Hysteresis: how far back past the limit the value must go to clear (high, low).
 */
deadband?: number | null, 
/**
 * The condition must hold this long before the alarm is raised.
 */
on_delay_s?: number, 
/**
 * The condition must be gone this long before the alarm clears.
 */
off_delay_s?: number, 
/**
 * Seconds without an answer (offline) or a good sample (stale).
 */
after_s?: number | null, 
/**
 * Minutes stopped without reason, or running without counting.
 */
after_min?: number | null, 
/**
 * The bits of a fault word (bit), each its own alarm with its own text.
 */
bits?: Array<BitText>, 
/**
 * The values of a state word (state), each its own alarm with its own text.
 */
values?: Array<ValueText>, 
/**
 * The demand interval in minutes (demand), aligned to the clock: 15 means :00,
 * :15, :30, :45.
 */
interval_min?: number | null, priority: Priority, 
/**
 * The roles that receive the alarm.
 */
roles?: Array<string>, 
/**
 * What to do when the alarm comes.
 */
action?: string, 
/**
 * Escalation: while the alarm is active and not acknowledged, each time this many
 * minutes pass since it was raised, it is mailed to the next role of
 * `escalate_to`. Overrides `alarm_settings.escalation` for this rule.
 */
escalate_after_min?: number | null, escalate_to?: Array<string>, };

/**
 * How people may handle alarms, set by the admin.
 */
export type AlarmSettings = { 
/**
 * Priorities whose alarms need a comment to be acknowledged.
 */
comment_required: Array<Priority>, 
/**
 * Roles that may shelve alarms.
 */
shelve_roles: Array<string>, 
/**
 * The longest time an alarm may be shelved, in minutes.
 */
shelve_max_min: number, 
/**
 * Escalation per priority (a rule's own `escalate_to` takes precedence).
 */
escalation?: Array<Escalation>, 
/**
 * Roles that get the daily digest: one mail a day with the previous day's alarms.
 */
digest_roles?: Array<string>, 
/**
 * When the digest goes, local "HH:MM".
 */
digest_at: string, };

/**
 * Where an alarm is in its lifecycle (ISA-18.2).
 */
export type AlarmState = "active_unacked" | "active_acked" | "cleared_unacked" | "normal";

/**
 * One occurrence of an alarm.
 */
export type AlarmView = { id: number, key: string, kind: string, name: string, priority: string, roles: Array<string>, action: string, machine: string | null, value: number | null, state: AlarmState, raised_at: number, cleared_at: number | null, acked_at: number | null, acked_by: string | null, ack_comment: string | null, shelved_until: number | null, shelved_by: string | null, shelve_reason: string | null, suppressed: boolean, };

/**
 * Open alarms a user receives, with the counts the banner shows.
 */
export type AlarmsView = { 
/**
 * Open alarms (active, or cleared and not yet acknowledged), most urgent first.
 */
alarms: Array<AlarmView>, 
/**
 * Per priority (critical, high, medium, low): active alarms, neither shelved nor
 * suppressed.
 */
active: PriorityCounts, 
/**
 * Per priority: alarms not yet acknowledged, neither shelved nor suppressed.
 */
unacked: PriorityCounts, 
/**
 * Priorities whose alarms need a comment to be acknowledged.
 */
comment_required: Array<Priority>, 
/**
 * Whether this user may shelve, and for how many minutes at most.
 */
may_shelve: boolean, shelve_max_min: number, 
/**
 * Floods of the last 10 minutes for the user's role (more than 10 alarms within
 * 10 minutes): shown as one, grouped.
 */
floods: Array<Flood>, 
/**
 * Keys of alarms that chattered in the last 10 minutes (more than 3 transitions
 * within a minute).
 */
chattering: Array<string>, 
/**
 * The names of the listed alarms' machines, by key (for the desktop app's
 * notifications, which have no overview to look them up in).
 */
machine_names: { [key in string]: string }, };

export type AssignBody = { machines: Array<string>, };

export type AuditEntry = { id: number, ts: number, actor: string, action: string, target: string, detail: string, client: string, };

/**
 * One drill as recorded.
 */
export type BackupDrill = { id: number, started_at: number, took_ms: number, 
/**
 * The target's name and the backup's folder drilled.
 */
target: string, backup: string, passed: boolean, 
/**
 * Why it failed, or what was checked when it passed.
 */
detail: string, };

/**
 * The drill as the admin page and the alarm see it.
 */
export type BackupDrillState = { last: BackupDrill | null, interval_days: number, 
/**
 * When the first good backup was recorded (a drill is owed from then on).
 */
first_good_ms: number | null, 
/**
 * No drill within twice the interval although a good backup exists.
 */
overdue: boolean, };

/**
 * A backup found on a target.
 */
export type BackupEntry = { name: string, path: string, created_ms: number, 
/**
 * `good`, `failed` or `incomplete`.
 */
state: BackupState, bytes: number, why: string | null, 
/**
 * Tables and tags checked, and the newest sample it holds.
 */
tags: number, newest_sample_ms: number | null, verification: BackupVerification | null, 
/**
 * The backup an incremental one builds on; None for a full one.
 */
parent: string | null, 
/**
 * Its files are encrypted: reading it needs the backup key.
 */
encrypted: boolean, };

/**
 * How many backups a target keeps, per period: the newest of each of the last N
 * hours, days, weeks (ISO weeks) and months that have one.
 */
export type BackupKeep = { hourly: number, daily: number, weekly: number, monthly: number, };

/**
 * What a restore from the admin page did.
 */
export type BackupRestored = { 
/**
 * The backup restored (its folder name) and its moment.
 */
backup: string, created_ms: number, 
/**
 * Where the data that was in use is kept now.
 */
set_aside: string | null, 
/**
 * The whole restore, and the part during which collection was stopped.
 */
took_ms: number, stopped_ms: number, 
/**
 * The configuration version now running (the restored one).
 */
config_version: number, };

/**
 * One attempt.
 */
export type BackupRun = { id: number, target_id: number, started_at: number, finished_at: number | null, 
/**
 * The backup's folder name on the target.
 */
name: string, 
/**
 * `running`, `good` or `failed`.
 */
status: string, bytes: number, 
/**
 * `target_missing`, `target_full`, `verification_failed`, ...
 */
error_code: string | null, error: string | null, verification: BackupVerification | null, };

/**
 * The state of a backup folder as found on a target.
 */
export type BackupState = "good" | "failed" | "incomplete";

/**
 * A backup target as stored.
 */
export type BackupTarget = { id: number, name: string, 
/**
 * A folder: another drive, a network share (`\\server\share\plant`), a stick;
 * or `stick:LABEL`, the removable drive with that label wherever it is mounted,
 * written when it is plugged in.
 */
path: string, 
/**
 * `hourly`, `daily HH:MM` or `weekly DAY HH:MM`, in the plant's time zone.
 */
schedule: string, keep: BackupKeep, enabled: boolean, created_at: number, };

/**
 * A target as the admin enters it.
 */
export type BackupTargetInput = { name: string, path: string, schedule: string, keep: BackupKeep, enabled: boolean, };

/**
 * A target's state for the admin page and the alarm.
 */
export type BackupTargetState = { target: BackupTarget, last: BackupRun | null, last_good: BackupRun | null, 
/**
 * When the next scheduled run is due (it runs at the first check after).
 */
next_ms: number, 
/**
 * No good backup within twice the schedule's interval.
 */
overdue: boolean, 
/**
 * A stick target whose stick is not plugged in: "waiting for the stick labelled
 * X"; it runs when the stick is there and its time has come.
 */
waiting: string | null, 
/**
 * Where the backups go now (the stick's mount for a stick target).
 */
folder: string | null, };

/**
 * What verification found; a backup is good only when `passed`.
 */
export type BackupVerification = { passed: boolean, 
/**
 * `PRAGMA integrity_check` of the copy, opened read-only.
 */
integrity: string, 
/**
 * Row counts and newest sample per tag equal to the source at the backup's moment.
 */
facts_match: boolean, 
/**
 * Every file read back from the target matched the SHA-256 taken when written.
 */
files_match: boolean, tables: number, tags: number, took_ms: number, 
/**
 * What did not match.
 */
problems: Array<string>, };

export type BackupsView = { targets: Array<BackupTargetState>, 
/**
 * The newest runs of every target, newest first.
 */
history: Array<BackupRun>, 
/**
 * The data folder backed up.
 */
data_dir: string, 
/**
 * The restore drill: the last one, its interval, overdue.
 */
drill: BackupDrillState, 
/**
 * Whether backups are encrypted, and whether the key to read them is here.
 */
encryption: EncryptionState, };

export type BarcodeScan = { device: string, code: string, at: number, 
/**
 * The material lot the code names (its label or its supplier lot), if any.
 */
material_lot: MaterialLotView | null, };

/**
 * What deleting a class before a date would remove.
 */
export type BeforePlan = { class: Class, before_ms: number, 
/**
 * Blocks, rollup rows or audit records; raw blocks go whole, when their last
 * sample is before the date.
 */
rows: number, samples: number, 
/**
 * The table the rows are in.
 */
table: string, bytes: number, };

/**
 * Everything of a data class before a date.
 */
export type BeforeRequest = { 
/**
 * raw, minute, hour or audit.
 */
class: string, 
/**
 * A date (2026-01-31, from 00:00 UTC) or an RFC 3339 time.
 */
before: string, 
/**
 * "CLASS before DATE" typed again; absent when only planning.
 */
confirm: string | null, };

/**
 * The text of one bit of a fault word.
 */
export type BitText = { 
/**
 * Bit number, 0 the least significant.
 */
bit: number, 
/**
 * What the bit means ("Motor overload").
 */
text: string, };

/**
 * The andon board: what a display may show.
 */
export type Board = { title: string, site: string, timezone: string, now_ms: number, shift: ShiftNow, 
/**
 * Seconds per page when the machines do not fit on one (0: all at once).
 */
cycle_s: number, machines: Array<BoardMachine>, };

/**
 * One machine on the andon board.
 */
export type BoardMachine = { key: string, name: string, state: StateNow, oee: number | null, availability: number | null, parts: number, target: number | null, 
/**
 * The stop in progress: since when and its reason (null: not explained).
 */
stop_since_ms: number | null, stop_reason: string | null, to_explain: number, };

/**
 * A break within a shift, in local time ("HH:MM"); a time before the shift's start is
 * on the next day (a break in a night shift after midnight).
 */
export type Break = { start: string, end: string, name?: string, };

export type Broken = { id: number, reason: string, };

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
 * What reports are cut into.
 */
export type By = "shift" | "day" | "week" | "month";

/**
 * Capability of a set of values against a spec.
 */
export type Capability = { n: number, mean: number, sigma_within: number, sigma_overall: number, 
/**
 * (upper - lower) / 6 sigma within; absent for a one-sided spec.
 */
cp: number | null, 
/**
 * The nearer limit's distance from the mean / 3 sigma within.
 */
cpk: number | null, pp: number | null, ppk: number | null, how: string, };

/**
 * What the admin sees of the certificate in use.
 */
export type CertInfo = { 
/**
 * SHA-256 of the certificate, as hex pairs separated by colons (what a tablet pins).
 */
fingerprint_sha256: string, 
/**
 * The names and addresses it is valid for.
 */
names: Array<string>, not_before_ms: number, not_after_ms: number, 
/**
 * Generated by Plantlog (true) or uploaded by the admin.
 */
self_signed: boolean, };

/**
 * What the admin's certificate upload carries.
 */
export type CertificateUpload = { 
/**
 * The certificate chain, PEM, the server's own first.
 */
certificate_pem: string, 
/**
 * Its private key, PEM, not encrypted.
 */
private_key_pem: string, };

/**
 * What [`verify`] found.
 */
export type ChainReport = { 
/**
 * Records checked.
 */
records: number, first_id: number | null, last_id: number | null, 
/**
 * The hash of the newest record (hex): what a copy kept elsewhere compares with.
 */
head: string, 
/**
 * The first record that does not follow from the one before, and why.
 */
broken: Broken | null, };

export type CharacteristicView = { id: number, product: string, name: string, 
/**
 * "measured" or "attribute".
 */
kind: string, nominal: number | null, lower: number | null, upper: number | null, unit: string | null, every: string, grace_minutes: number, grace_parts: number, gauge: string | null, 
/**
 * False once a newer plan replaced it.
 */
active: boolean, };

export type Chattering = { key: string, name: string, 
/**
 * The most transitions (raised, cleared, returned) within any minute.
 */
max_per_minute: number, };

export type CheckView = { id: number, lot: string, machine: string, characteristic_id: number, characteristic: string, kind: string, unit: string | null, lower: number | null, upper: number | null, value: number | null, passed: boolean | null, in_spec: boolean, parts: number, 
/**
 * "typed", "gauge" or "demo".
 */
source: string, comment: string, 
/**
 * The check this one corrects.
 */
corrects: number | null, 
/**
 * The check that corrects this one (this one then no longer counts).
 */
corrected_by: number | null, at: number, by: string, 
/**
 * The newest disposition, if any.
 */
disposition: DispositionView | null, 
/**
 * Every disposition, oldest first.
 */
dispositions: Array<DispositionView>, 
/**
 * Out of spec, not corrected, and no disposition yet.
 */
needs_disposition: boolean, };

/**
 * The classes of data with a retention of their own.
 */
export type Class = "raw" | "minute" | "hour" | "audit";

/**
 * What one run did.
 */
export type CloseStats = { 
/**
 * Tag-hours rewritten as one block.
 */
hours: number, 
/**
 * Blocks they replaced, and their bytes.
 */
blocks_in: number, bytes_in: number, 
/**
 * Bytes of the hour blocks written.
 */
bytes_out: number, samples: number, 
/**
 * Whether closed hours are still waiting (the budget ran out).
 */
more: boolean, };

/**
 * What the compactor is doing, for the status page.
 */
export type CompactorStatus = { last_run_ms: number | null, last: Stats, 
/**
 * Since start; `total.closed` counts the hours closed into hour blocks (blocks of
 * an older release among them), `last.closed.more` whether more are waiting.
 */
total: Stats, error: string | null, };

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
 * A counter step that was not a plain increase, kept with the figures it belongs to.
 */
export type CounterEvent = { ts: number, kind: "wrap" | "reset" | "step_back" | "implausible" | "new_series", 
/**
 * The scrap counter's (true) or the part counter's.
 */
scrap: boolean, previous: number, value: number, 
/**
 * Parts counted for this step (0 for an implausible one until it is reviewed).
 */
counted: number, };

/**
 * An implausible counter step and its review, if it has one.
 */
export type CounterEventView = { ts: number, scrap: boolean, previous: number, value: number, 
/**
 * What the step would count if accepted.
 */
claimed: number, review: CounterReview | null, };

/**
 * A machine's implausible counter steps and new series since the live window began
 * (the start of the previous production day).
 */
export type CounterEvents = { machine: string, from_ms: number, 
/**
 * Newest first.
 */
events: Array<CounterEventView>, 
/**
 * When a counter's decoding changed (a new series began), oldest first.
 */
new_series: Array<number>, };

export type CounterReview = { machine: string, 
/**
 * The implausible step's sample time.
 */
ts: number, 
/**
 * The scrap counter's (true) or the part counter's.
 */
scrap: boolean, decision: "accepted" | "corrected", 
/**
 * Parts that count for the step.
 */
parts: number, 
/**
 * The counter's readings before and at the step.
 */
previous: number, value: number, comment: string, entered_by: string, entered_ms: number, };

/**
 * `POST /api/machines/{key}/counter-events/review`.
 */
export type CounterReviewBody = { ts: number, scrap?: boolean, decision: "accept" | "correct", 
/**
 * The right count, for "correct".
 */
parts?: number, comment?: string, };

/**
 * A crash record's file.
 */
export type Crash = { file: string, bytes: number, 
/**
 * The panic's line of the record ("panic: ..."), when it can be read.
 */
panic: string | null, 
/**
 * "time (UTC): ..." of the record.
 */
time: string | null, };

/**
 * A user to create, as the admin gives it.
 */
export type CreateUser = { username: string, display_name: string, role: Role, password: string, };

/**
 * A new display with its token, shown this once.
 */
export type CreatedDisplay = { display: Display, token: string, };

export type DataType = "bool" | "bit" | "u16" | "i16" | "u32" | "i32" | "u64" | "i64" | "f32" | "f64" | "string";

/**
 * The desktop app's settings for this PC.
 */
export type DesktopSettings = { quit_admin_only: boolean, };

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

/**
 * A display and what it may show.
 */
export type Display = { id: number, name: string, 
/**
 * Machine keys it shows; empty: every machine.
 */
machines: Array<string>, 
/**
 * Seconds per page when cycling; 0: every machine on one page.
 */
cycle_s: number, created_by: string, created_ms: number, revoked_by: string | null, revoked_ms: number | null, last_used_ms: number | null, last_client: string | null, };

export type DispositionView = { id: number, 
/**
 * "rework", "scrap" or "accept_deviation".
 */
disposition: string, comment: string, at: number, by: string, };

export type DownByState = { stopped_s: number, idle_s: number, setup_s: number, fault_s: number, };

/**
 * A removable drive, mounted.
 */
export type Drive = { 
/**
 * Where files go: "E:\\" or "/media/anna/STICK".
 */
path: string, 
/**
 * The volume's label; empty when it has none.
 */
label: string, free_bytes: number, total_bytes: number, 
/**
 * "vfat", "exfat", "ntfs", "FAT32", ...
 */
filesystem: string, };

/**
 * A check of the plan on a running lot and its state now.
 */
export type DueCheck = { lot: string, machine: string, characteristic: CharacteristicView, 
/**
 * "due", "overdue", "not_due" or "satisfied".
 */
state: string, 
/**
 * Due since / next due: a time (UTC ms) ...
 */
time: number | null, 
/**
 * ... or a part count of the lot.
 */
part: number | null, 
/**
 * Parts counted in the lot now.
 */
parts: number, last_at: number | null, };

/**
 * `GET /api/quality/due`: the checks of the lots running on the caller's machines,
 * and the out-of-spec results that wait for a disposition.
 */
export type DueView = { machines: Array<MachineDue>, open: Array<CheckView>, products: Array<ProductView>, };

/**
 * An earlier read of the same registers, as a test read returned them.
 */
export type EarlierRead = { 
/**
 * When it was read, ms since 1970 (UTC).
 */
ms: number, raw: Array<number>, };

/**
 * A person's e-mail address ("" removes it).
 */
export type EmailBody = { email: string, };

/**
 * Encryption on or off.
 */
export type EncryptionChange = { on: boolean, };

/**
 * Backup encryption as the admin sees it.
 */
export type EncryptionState = { 
/**
 * New backups are encrypted.
 */
on: boolean, 
/**
 * The recipient (the key's public half, `age1…`) they are encrypted to.
 */
recipient: string | null, 
/**
 * The key that reads them is at hand (verify, restore, drill, incrementals).
 */
key_here: boolean, 
/**
 * Where the key is kept: in the OS keyring, or only in memory until Plantlog stops
 * (no keyring on this machine), with why.
 */
key_in_memory_only: string | null, };

/**
 * Encryption turned on: the recovery key, shown this once.
 */
export type EncryptionTurnedOn = { 
/**
 * The recovery key to write down or print: None when the key already kept is used
 * again (it was shown when it was made).
 */
recovery_key: string | null, state: EncryptionState, };

export type EndLot = { at?: number, };

/**
 * What the user scans or types to enrol.
 */
export type Enrolment = { 
/**
 * The secret in base32, for typing into an app by hand.
 */
secret: string, 
/**
 * The `otpauth://` address the QR code holds.
 */
otpauth_url: string, 
/**
 * The QR code as an SVG image.
 */
qr_svg: string, };

/**
 * The JSON of every error answer (some codes add fields, such as `errors` of
 * `invalid_config`).
 */
export type ErrorBody = { 
/**
 * Stable: the UI translates `errors.<code>` with `params`.
 */
code: string, 
/**
 * What happened and what to do, in English.
 */
message: string, 
/**
 * The values the message names, by name (a field, a thing, a count).
 */
params: Record<string, string | number | boolean>, };

/**
 * Escalation for the alarms of one priority (rules without their own).
 */
export type Escalation = { priority: Priority, 
/**
 * Minutes between steps: step 1 after this long unacknowledged, step 2 after twice...
 */
after_min: number, 
/**
 * The role each step notifies, in order.
 */
roles: Array<string>, };

/**
 * An export and where it stands.
 */
export type ExportJob = { id: number, 
/**
 * `preparing` (building the files on this PC), `writing`, `verifying`, `done`
 * (safe to remove), `failed` or `cancelled`.
 */
state: string, drive: string, label: string, by: string, started_at: number, finished_at: number | null, progress: Progress | null, written: Written | null, error: string | null, };

/**
 * A report of an export from the UI.
 */
export type ExportReport = { kind: Kind, format: Format, 
/**
 * The tag report's tags (ids or device/tag); not needed for the other kinds.
 */
tags?: Array<string>, };

/**
 * What the admin chose in the export dialog.
 */
export type ExportRequest = { 
/**
 * The drive's path, as `GET /api/removable/drives` lists it.
 */
drive: string, 
/**
 * UTC ms, RFC 3339, or a date (that production day's start).
 */
from: string, until: string, reports: Array<ExportReport>, 
/**
 * Raw samples of these tags (ids or device/tag).
 */
tags: Array<string>, config: boolean, audit: boolean, };

export type ExportStarted = { id: number, };

/**
 * One fact, with the items behind it and where it is changed. `msg` and `item_msgs`
 * are the words as a message code with parameters, for the reader's language;
 * `value` and `items` are the same in English (for tools and tests).
 */
export type Fact = { 
/**
 * Stable key within its section (for tests and tools).
 */
key: string, 
/**
 * In English; `passport-fact-<section>-<key>` in each language.
 */
label: string, 
/**
 * The fact now, in English; "not configured" when its part is not set up.
 */
value: string, msg: Msg, 
/**
 * The things behind the fact (devices, users, purges, ...), one line each, in
 * English.
 */
items: Array<string>, item_msgs: Array<Msg>, 
/**
 * Where it is changed: a page of the UI ("#/storage"), or a command; "" when it is
 * not something one changes.
 */
change: string, };

/**
 * The figures of one machine (or line, or the plant) in one period.
 */
export type Figures = { shift_s: number, planned_s: number, break_s: number, planned_stop_s: number, no_data_s: number, run_s: number, down_s: number, down_by_state: DownByState, down_by_reason: Array<ReasonDown>, micro_stops: MicroStops, parts_total: number, parts_good: number, parts_scrap: number, scrap_counted: number, scrap_entered: number, 
/**
 * Ideal cycle time x parts, summed with the ideal in force for each part; null
 * when some parts were made before any ideal cycle time was set.
 */
ideal_s: number | null, availability: number | null, performance: number | null, quality: number | null, oee: number | null, counter_events: Array<CounterEvent>, how: How, };

/**
 * Something about a tag's readings that looks wrong, with the likely cause.
 */
export type Finding = { 
/**
 * A stable code: `not_a_number`, `huge_float`, `tiny_float`, `all_bits_set`,
 * `implausible_temperature`, `counter_jump`, `counter_backwards`, `sign_flips`.
 */
code: string, 
/**
 * What looks wrong, with the numbers.
 */
message: string, 
/**
 * The likely cause and what to try.
 */
cause: string, 
/**
 * A word order under which the same registers look right, when one does.
 */
order: Order | null, };

/**
 * A stretch in which one role received more than [`FLOOD_COUNT`] alarms within
 * [`FLOOD_WINDOW_MS`].
 */
export type Flood = { role: string, 
/**
 * The first and the last alarm of the flood.
 */
start: number, end: number, 
/**
 * Alarms from start to end.
 */
alarms: number, };

export type ForgetRequest = { 
/**
 * A username, or a tag (id or device/tag).
 */
name: string, 
/**
 * The same name typed again; absent when only planning.
 */
confirm: string | null, };

/**
 * What forgetting did.
 */
export type Forgotten = { pseudonym: string, rows_changed: number, audit_rewritten: number, chain_head_before: string, chain_head_after: string, bytes_before: number, bytes_after: number, };

/**
 * The file a report is rendered into.
 */
export type Format = "pdf" | "xlsx" | "csv";

export type Frequent = { key: string, name: string, priority: string, count: number, };

/**
 * `POST /api/quality/checks/gauge`: the check's value from its gauge, a serial-line
 * device that prints a line per reading (the collector reads it like any device): the
 * gauge's reading since `since` (default: the last 15 s), or the next one within 20 s.
 */
export type GaugeCheck = { lot: string, characteristic_id: number, 
/**
 * UTC ms: a reading at or after this counts; default now - 15 s.
 */
since?: number, };

export type HistoryView = { tag_id: number, from: number, to: number, t: Array<number>, v: Array<number | null>, };

/**
 * Rows of one table that hold the person's name.
 */
export type Holding = { table: string, rows: number, };

/**
 * A day without production.
 */
export type Holiday = { 
/**
 * The local date, "YYYY-MM-DD".
 */
date: string, name?: string, };

/**
 * How each figure was computed, in words with the times and counts it used.
 */
export type How = { planned: string, run: string, no_data: string, down: string, parts: string, quality: string, availability: string, performance: string, oee: string, };

/**
 * A machine's ideal cycle time from `from_ms` on.
 */
export type IdealCycle = { machine: string, from_ms: number, cycle_ms: number, comment: string, entered_by: string, entered_ms: number, };

/**
 * The result of an import.
 */
export type ImportOutcome = { version: number, 
/**
 * False when the configuration equals the running one; no version is added then.
 */
changed: boolean, };

/**
 * Limits of an individuals and moving-range chart.
 */
export type IndividualsLimits = { individuals: Limits, moving_range: Limits, 
/**
 * The process sigma estimated within: mean moving range / d2(2).
 */
sigma_within: number, baseline_points: number, how: string, };

/**
 * One transition of one alarm.
 */
export type JournalEntry = { id: number, alarm_id: number, at: number, what: string, by: string, comment: string, key: string, name: string, priority: string, machine: string | null, };

/**
 * What the journal lists: filters on the time of the transition, machine, priority
 * and what happened.
 */
export type JournalQuery = { from?: number, to?: number, machine?: string, priority?: string, 
/**
 * raised, cleared, returned, acknowledged, shelved, unshelved, suppressed,
 * unsuppressed, normal
 */
what?: string, limit?: number, };

/**
 * Which report.
 */
export type Kind = "shift" | "production" | "tag" | "energy" | "lot" | "spc";

/**
 * How Plantlog meets the network, for the admin pages.
 */
export type LanView = { 
/**
 * Whether browsers on the plant LAN can reach Plantlog.
 */
lan: boolean, 
/**
 * The address it listens on.
 */
listen: string, 
/**
 * The addresses to type on a LAN device (https://...).
 */
urls: Array<string>, 
/**
 * The certificate LAN browsers get, when LAN access is on.
 */
certificate: CertInfo | null, };

/**
 * Center line and limits of one chart.
 */
export type Limits = { center: number, lower: number, upper: number, };

export type LinkState = "connecting" | "online" | "errors" | "offline";

export type LockoutRules = { name_failures: number, address_failures: number, window_minutes: number, 
/**
 * Failed logins in the last 24 hours, and names locked meanwhile.
 */
failures_24h: number, locked_24h: number, };

/**
 * One warning or error from the log files.
 */
export type LogProblem = { 
/**
 * As written in the log: an RFC 3339 UTC time.
 */
time: string, 
/**
 * "ERROR" or "WARN".
 */
level: string, message: string, };

export type LoginBody = { username: string, password: string, 
/**
 * The code from the authenticator app (or a recovery code), for accounts with a
 * second factor.
 */
code?: string, };

/**
 * What was lost in one class (and tag), in all, for the status.
 */
export type LostStatus = { class: string, 
/**
 * The tag ("device/name"), for raw samples; empty for audit entries.
 */
tag: string, 
/**
 * Raw samples: the first and last sample time lost (UTC ms); audit: entry numbers.
 */
from_ts: number, to_ts: number, 
/**
 * Samples or entries.
 */
count: number, };

export type LotScrapView = { id: number, lot: string, parts: number, reason: string, comment: string, at: number, by: string, };

/**
 * `GET`/`PUT /api/quality/lot-sources`: the machines whose lots follow a tag, and the
 * order master.
 */
export type LotSources = { lot_tags: Array<LotTag>, orders: Array<ProductionOrder>, };

/**
 * A material issued to a lot, with its supplier lot.
 */
export type LotStory = { lot: LotView, machine_name: string, timezone: string, 
/**
 * Material moves recorded against the lot (issues to its machine while it ran).
 */
materials: Array<MoveView>, checks: Array<CheckView>, scrap: Array<LotScrapView>, 
/**
 * Who started, ended, checked, scrapped or explained stops during the lot.
 */
people: Array<string>, 
/**
 * The shifts the lot ran in ("2026-03-02 Early").
 */
shifts: Array<string>, 
/**
 * The same shifts as their start and name, for a page that writes the date in the
 * reader's language.
 */
shift_starts: Array<ShiftStart>, 
/**
 * Stops and figures of the machine during the lot (None: no production figures).
 */
run: MachineStops | null, 
/**
 * The machine's tags, for its trends during the lot: [tag id, label, unit].
 */
tags: Array<TagRef>, };

/**
 * A machine whose lots follow a PLC tag.
 */
export type LotTag = { machine: string, 
/**
 * "device/tag", or the name of one of the machine's tags.
 */
tag: string, 
/**
 * The product of an order that is not in the order master.
 */
default_product?: string, };

export type LotView = { id: number, code: string, product: string, product_name: string, machine: string, started_at: number, started_by: string, ended_at: number | null, ended_by: string | null, };

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
states?: Array<StateDef>, 
/**
 * The production line the machine is part of (reports add up lines).
 */
line?: string | null, 
/**
 * Stops shorter than this are micro-stops: counted, not explained. Default 120 s.
 */
micro_stop_s?: number | null, 
/**
 * A machine without a state tag or run bit: running while its part counter
 * advanced within this many seconds, stopped otherwise.
 */
running_when_counted_s?: number | null, 
/**
 * The most parts a minute the machine can make. A counter step above it (over the
 * time since the counter's last good reading) is implausible: counted as zero,
 * with an event a supervisor accepts or corrects. Unset: only a jump over half
 * the counter's range is implausible.
 */
max_rate_per_min?: number | null, };

/**
 * One machine's running lot and its checks.
 */
export type MachineDue = { machine: string, name: string, lot: LotView | null, checks: Array<DueCheck>, };

export type MachineName = { key: string, name: string, line: string | null, };

/**
 * An operator's machine on the tablet: the machine now, and what can be entered.
 */
export type MachineNow = { now_ms: number, timezone: string, shift: ShiftNow, machine: MachineShift, 
/**
 * Active downtime reasons, for the reason buttons.
 */
reasons: Array<Reason>, scrap_reasons: Array<Reason>, };

/**
 * What deleting a machine's history would remove.
 */
export type MachinePlan = { machine_id: number, key: string, name: string, 
/**
 * Its tags (configured, retired ones included), whose history goes.
 */
tags: Array<string>, 
/**
 * Samples held (blocks, fresh blocks, the hot table).
 */
samples: number, 
/**
 * Rows per table that would be removed (tables with none left out).
 */
tables: Array<Holding>, 
/**
 * Quality rows per table that would be removed: production lots run on it, their
 * checks, dispositions and scrap; `material_moves` are unlinked from the machine and
 * the lot and kept, so stock on hand stays right.
 */
quality: Array<Holding>, 
/**
 * The database file's size now.
 */
bytes: number, };

/**
 * One machine on the supervisor's shift view and the operator's tablet.
 */
export type MachineShift = { key: string, name: string, line: string | null, state: StateNow, 
/**
 * This shift (or production day, outside shifts) so far.
 */
figures: Figures, target: Target, 
/**
 * The stop in progress, if the machine is stopped.
 */
open_stop: StopView | null, 
/**
 * Stops of the last 24 hours that still need a reason, newest first.
 */
to_explain: Array<StopView>, 
/**
 * Stops of the last 24 hours, newest first (at most 50).
 */
stops: Array<StopView>, };

/**
 * A machine's history: its stops with reasons and micro-stops, and its state as
 * stretches for a timeline.
 */
export type MachineStops = { key: string, name: string, from_ms: number, to_ms: number, timezone: string, 
/**
 * The state as stretches: [from_ms, to_ms, state value or null for no data].
 */
states: Array<StateStretch>, 
/**
 * Stop value -> label and kind, for the timeline's colours.
 */
state_names: Array<StateName>, stops: Array<StopView>, micro_stops: number, micro_stop_s: number, figures: Figures, };

export type MachineTile = { key: string, name: string, 
/**
 * "ok" or "no_data".
 */
status: "ok" | "no_data", state: StateJson | null, count_shift: number | null, count_unit: string | null, rate_per_min: number | null, 
/**
 * "running": the rate is over the running time of the last 10 minutes (0 while
 * stopped); "window": over the last 10 minutes as a whole (no state is known).
 */
rate_basis: "running" | "window" | null, 
/**
 * The devices the machine's tags come from, each with its own state and last
 * error, so a tile without data can say which device and why.
 */
devices: Array<TileDevice>, last_update_ms: number | null, stale_after_ms: number, 
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
 * The mail section of the Alarms page (admin): the server, where its password is
 * kept, the queue, and who receives mail.
 */
export type MailView = { 
/**
 * None until the admin sets the server; no mail is queued before.
 */
settings: SmtpSettings | null, 
/**
 * Where the password is: "keyring" (the OS keyring), "memory" (the fallback, lost
 * when Plantlog stops) or "none".
 */
password: string, 
/**
 * Why the keyring could not be used, when the password is in memory.
 */
password_note: string, 
/**
 * Waiting, failed, sent in the last 24 hours.
 */
counts: QueueCounts, 
/**
 * Waiting mails oldest first, then the last 50 sent or failed.
 */
queue: Array<QueuedMail>, recipients: Array<Recipient>, };

/**
 * What an import changed.
 */
export type MasterImported = { products_added: number, products_changed: number, characteristics_added: number, characteristics_retired: number, materials_added: number, materials_changed: number, };

export type MaterialLotView = { id: number, code: string, material: string, material_name: string, unit: string, supplier: string, supplier_lot: string, quantity: number, received_at: number, certificate: string, by: string, on_hand: number, };

export type MaterialView = { id: number, code: string, name: string, unit: string, 
/**
 * On hand over all its lots.
 */
on_hand: number, };

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
vendor: VendorScope | null, 
/**
 * The language the UI speaks to them: their own choice, else the plant's default.
 */
language: string, 
/**
 * Their theme (light, dark); null follows the system's setting.
 */
theme: string | null, };

export type MfaCode = { code: string, };

export type MicroStops = { count: number, s: number, };

export type MoveView = { id: number, material_lot: string, material: string, unit: string, supplier: string, supplier_lot: string, 
/**
 * "receive", "issue", "return" or "scrap".
 */
kind: string, quantity: number, machine: string | null, lot: string | null, comment: string, at: number, by: string, };

/**
 * Words as a message code and its parameters: the UI says them with
 * `passfacts.<code>` of its catalogues, a document with `passport-<code>` of the
 * Fluent catalogues (locales/<lang>/passport.ftl), each in the reader's language.
 */
export type Msg = { code: string, params: { [key in string]: Param }, };

export type NegativeStock = { allow: boolean, };

export type NewCheck = { lot: string, characteristic_id: number, 
/**
 * A measured value.
 */
value?: number, 
/**
 * An attribute check's pass or fail.
 */
passed?: boolean, comment?: string, 
/**
 * The check this one corrects.
 */
corrects?: number, };

export type NewDisplay = { name: string, 
/**
 * Machine keys; empty: every machine.
 */
machines: Array<string>, 
/**
 * Seconds per page when cycling; 0: one page.
 */
cycle_s: number, };

export type NewDisposition = { 
/**
 * "rework", "scrap" or "accept_deviation".
 */
disposition: string, comment: string, };

export type NewIdealCycle = { machine: string, from_ms: number, cycle_s: number, comment?: string, };

export type NewLot = { code: string, product: string, machine: string, at?: number, };

export type NewLotScrap = { parts: number, reason: string, comment?: string, };

export type NewMove = { material_lot: string, 
/**
 * "issue", "return" or "scrap".
 */
kind: string, quantity: number, 
/**
 * For an issue: the machine; the lot running on it is recorded with the move.
 */
machine?: string, comment?: string, };

export type NewPlannedStop = { 
/**
 * Null: every machine.
 */
machine: string | null, from_ms: number, to_ms: number, reason_id: number, comment?: string, };

export type NewReason = { kind: ReasonKind, category: string, name: string, planned?: boolean, };

export type NewReceipt = { 
/**
 * The label on the lot (scanned or typed); unique.
 */
code: string, material: string, supplier: string, supplier_lot: string, quantity: number, received_at?: number, certificate?: string, };

export type NewScrap = { machine: string, 
/**
 * When the parts were made; default: now.
 */
at_ms?: number, parts: number, reason_id?: number, comment?: string, };

/**
 * A vendor account to create, as the admin fills in the form.
 */
export type NewVendor = { username: string, display_name: string, company: string, 
/**
 * A first password; the vendor chooses their own at the first login.
 */
password: string, expires_ms: number, machines: Array<string>, permissions: Array<Permission>, };

/**
 * An operator and the machines they work on.
 */
export type OperatorMachines = { user_id: number, username: string, display_name: string, machines: Array<string>, };

/**
 * Byte and word order of a value of more than one byte, named by where the bytes of
 * the big-endian value ABCD (A the highest) travel on the wire.
 */
export type Order = "ABCD" | "CDAB" | "BADC" | "DCBA";

/**
 * The registers of a test read decoded under one word order.
 */
export type OrderValue = { order: Order, value: number | null, text: string | null, };

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

/**
 * The paper a PDF is laid out on.
 */
export type Paper = "a4" | "letter";

/**
 * A parameter of a message, typed so that each language formats it its own way.
 */
export type Param = { "kind": "text", "v": string } | { "kind": "count", "v": number } | { "kind": "bytes", "v": number } | { "kind": "time", "v": number | null } | { "kind": "span", "v": number } | { "kind": "msg", "v": Msg } | { "kind": "list", "v": Array<Msg> };

export type Parity = "none" | "even" | "odd";

/**
 * The passport: the sections in the order of the questions, read at `generated_ms`.
 */
export type Passport = { 
/**
 * The plant's name (its configuration's site).
 */
plant: string, 
/**
 * When the facts were read (UTC ms).
 */
generated_ms: number, sections: Array<Section>, };

export type PasswordBody = { current_password: string, new_password: string, };

/**
 * One period of a report: a shift, the time between shifts, a production day, week or
 * month, clipped to the report's range.
 */
export type Period = { 
/**
 * "2026-03-02 Early", "2026-03-02 between shifts", "2026-03-02", "2026-W10",
 * "2026-03".
 */
key: string, 
/**
 * The shift's name (by shift); null between shifts and for days, weeks, months.
 */
shift: string | null, start_ms: number, end_ms: number, };

export type Permission = "view_plant" | "view_devices" | "view_config" | "edit_config" | "manage_users" | "view_audit" | "commission" | "view_production" | "all_machines" | "explain_stops" | "enter_scrap" | "manage_production" | "manage_displays" | "support" | "run_reports" | "write_removable" | "ack_alarms" | "shelve_alarms" | "manage_alarms" | "run_data_reports" | "view_passport" | "view_quality" | "enter_checks" | "disposition_checks" | "edit_plans" | "run_lots" | "move_materials";

/**
 * A stop planned ahead, for one machine or all (`machine` null).
 */
export type PlannedStop = { id: number, machine: string | null, from_ms: number, to_ms: number, reason_id: number, comment: string, entered_by: string, entered_ms: number, };

/**
 * The whole plant model, as imported from and exported to a TOML file.
 */
export type PlantConfig = { site: Site, shifts?: Array<Shift>, machines?: Array<Machine>, buses?: Array<Bus>, devices?: Array<Device>, 
/**
 * Days without production (public holidays, shutdowns): no shift starts on them.
 */
holidays?: Array<Holiday>, 
/**
 * Alarm rules on tags, devices and machines (src/alerts evaluates them).
 */
alarms?: Array<AlarmRule>, 
/**
 * How people may handle alarms: comments, shelving.
 */
alarm_settings?: AlarmSettings, };

/**
 * The plant's default language, as the admin sets it.
 */
export type PlantLanguage = { language: string, };

/**
 * A serial port and what it is.
 */
export type PortInfo = { name: string, 
/**
 * "USB 0403:6001 FTDI FT232R USB UART", "PCI", "serial".
 */
kind: string, };

/**
 * A change of one's own choices: a field left out stays as it is, a null goes back to
 * the default (the plant's language, the system's theme).
 */
export type PreferencesChange = { language?: string | null, theme?: string | null, };

/**
 * A user's choices with what they fall back to.
 */
export type PreferencesView = { 
/**
 * Their own choice; null: the plant's default.
 */
language: string | null, 
/**
 * Their own choice (light, dark); null: the system's setting.
 */
theme: string | null, 
/**
 * The plant's default language, set by the admin.
 */
plant_language: string, 
/**
 * The languages Plantlog ships.
 */
languages: Array<string>, };

/**
 * How urgent an alarm is, most urgent first.
 */
export type Priority = "critical" | "high" | "medium" | "low";

export type PriorityCounts = { critical: number, high: number, medium: number, low: number, };

/**
 * One mistake in a configuration, with where it is and what would fix it.
 */
export type Problem = { 
/**
 * Where: `device "press-1-plc", tag "count", field "address"`.
 */
place: string, 
/**
 * What is wrong and what to do about it, in English.
 */
message: string, };

export type ProductView = { id: number, code: string, name: string, cycle_s: { [key in string]: number }, characteristics: Array<CharacteristicView>, };

/**
 * An order number and the product it makes.
 */
export type ProductionOrder = { code: string, product: string, };

/**
 * Where a write stands.
 */
export type Progress = { 
/**
 * "writing", "verifying", "done".
 */
phase: string, bytes_done: number, bytes_total: number, files_done: number, files_total: number, elapsed_ms: number, 
/**
 * From the speed so far; null until some bytes are written.
 */
left_ms: number | null, };

/**
 * The protocol a device is read with.
 */
export type Protocol = "modbus-tcp" | "modbus-rtu" | "modbus-rtu-over-tcp" | "serial-line";

/**
 * A purge done, for the retention page.
 */
export type Purge = { ts: number, class: Class, before_ms: number, rows: number, samples: number, archive: string, };

/**
 * Counts: waiting, failed (ever), sent since `since`.
 */
export type QueueCounts = { waiting: number, failed: number, sent_recently: number, };

/**
 * A queued mail as the admin sees it (and the sender sends it).
 */
export type QueuedMail = { id: number, message_id: string, created_at: number, kind: string, alarm_id: number | null, to: Array<string>, subject: string, attempts: number, next_try_at: number, last_error: string | null, sent_at: number | null, failed_at: number | null, 
/**
 * waiting, sent or failed
 */
state: string, };

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
quality: "good" | "no_answer" | "stale" | "bad_value" | "exception", exception_code: number | null, response_ms: number, error: string | null, error_kind: string | null, 
/**
 * The same registers decoded under each word order that gives a different value
 * for the type, so the right order is picked by looking.
 */
orders: Array<OrderValue>, 
/**
 * What looks wrong about the value (and the earlier reads), with the likely cause.
 */
findings: Array<Finding>, };

/**
 * One reason of the plant's tree: a category and a reason in it.
 */
export type Reason = { id: number, kind: ReasonKind, category: string, name: string, 
/**
 * A planned stop ("planned maintenance", "no orders"): its time is not planned
 * production time.
 */
planned: boolean, active: boolean, };

export type ReasonChange = { category?: string, name?: string, planned?: boolean, active?: boolean, };

/**
 * Downtime of one reason (or of stops not explained: `reason_id` null).
 */
export type ReasonDown = { reason_id: number | null, category: string | null, 
/**
 * "Mechanical / Jam", or "Not explained".
 */
label: string, s: number, 
/**
 * Stop parts (a stop cut by a break or a period boundary counts on each side).
 */
count: number, };

/**
 * What a reason explains.
 */
export type ReasonKind = "downtime" | "scrap";

/**
 * A person who can receive alarm mail.
 */
export type Recipient = { user_id: number, username: string, display_name: string, role: string, disabled: boolean, email: string | null, };

/**
 * Which readings of a tag are stored. A change of quality is always stored.
 */
export type RecordMode = "every_poll" | "on_change" | "deadband" | "swinging_door";

/**
 * The recovery codes, shown once.
 */
export type RecoveryCodes = { recovery_codes: Array<string>, };

/**
 * A recovery key entered (to read encrypted backups after a restart without a
 * keyring, on a new PC, or to restore older backups).
 */
export type RecoveryKey = { key: string, };

/**
 * The Modbus table a tag is read from.
 */
export type RegisterKind = "coil" | "discrete" | "input" | "holding";

/**
 * What a deletion removed, and the file's size before and after.
 */
export type Removed = { 
/**
 * Rows per table removed (for a class: blocks, rollup rows or audit records).
 */
tables: Array<Holding>, 
/**
 * A machine's quality rows removed per table (`material_moves`: unlinked, kept).
 */
quality: Array<Holding>, samples: number, bytes_before: number, bytes_after: number, 
/**
 * Archive files written first (audit records).
 */
archives: Array<string>, };

export type Report = { from_ms: number, to_ms: number, by: By, timezone: string, rows: Array<Row>, lines: Array<Total>, plant: Array<Total>, };

/**
 * One run of a schedule to one destination.
 */
export type ReportJob = { id: number, schedule_id: number | null, schedule_name: string, 
/**
 * When it was to run.
 */
due_at: number, 
/**
 * `folder` or `usb`.
 */
target: string, kind: Kind, format: Format, 
/**
 * The range reported on and its name ("2026-03-02 Early", "2026-03-02", "2026-W10").
 */
from_ms: number, to_ms: number, period: string, 
/**
 * `waiting` (for its time, or for a USB stick), `running`, `done` or `failed`.
 */
state: string, started_at: number | null, finished_at: number | null, 
/**
 * Where the files went.
 */
written: string | null, error: string | null, };

/**
 * What a report asks for (the API's query and the command line's options).
 */
export type ReportRequest = { 
/**
 * UTC ms; default: the start of the current production day.
 */
from?: number, 
/**
 * UTC ms; default (and at most): now.
 */
to?: number, 
/**
 * One machine's key; default: every machine the caller may see.
 */
machine?: string, by?: By, 
/**
 * Instead of `from`: the last this many whole periods up to `to` (the current one
 * included), 1 to 400.
 */
last?: number, };

/**
 * A schedule as stored, with its next run and its newest job.
 */
export type ReportSchedule = { id: number, name: string, kind: Kind, format: Format, run_at: string, folder: string | null, usb: boolean, enabled: boolean, created_at: number, 
/**
 * The next run time (null when disabled).
 */
next_run: number | null, 
/**
 * Its failed jobs in the history.
 */
failures: number, };

/**
 * A schedule as the admin enters it.
 */
export type ReportScheduleInput = { name: string, kind: Kind, format: Format, 
/**
 * "shift" (at the end of each shift), "daily HH:MM", "weekly DAY HH:MM" or
 * "monthly D HH:MM", in the plant's time zone.
 */
run_at: string, 
/**
 * A folder on the PC; null or empty for none.
 */
folder: string | null, 
/**
 * Also onto the next USB stick inserted.
 */
usb: boolean, enabled: boolean, };

/**
 * The schedules and the newest jobs, for the admin.
 */
export type ReportSchedulesView = { schedules: Array<ReportSchedule>, 
/**
 * The newest 100 jobs, newest first.
 */
history: Array<ReportJob>, 
/**
 * Failed jobs in the history.
 */
failures: number, };

export type ResetPassword = { password: string, };

/**
 * `GET /api/quality/trace/{code}`: the production lots that used a supplier lot (or a
 * material lot's label).
 */
export type ReverseTrace = { code: string, material_lots: Array<MaterialLotView>, lots: Array<LotView>, };

export type Role = "operator" | "supervisor" | "maintenance" | "quality" | "stores" | "management" | "admin";

export type RoleRate = { role: string, alarms: number, 
/**
 * Alarms per hour over the report's range.
 */
per_hour: number, 
/**
 * The most alarms within any 10 minutes.
 */
peak_10min: number, };

/**
 * A role with its name on screen and its permissions.
 */
export type RoleView = { role: Role, label: string, permissions: Array<Permission>, };

/**
 * A machine's figures in one period.
 */
export type Row = { machine: string, machine_name: string, line: string | null, period: Period, shift_s: number, planned_s: number, break_s: number, planned_stop_s: number, no_data_s: number, run_s: number, down_s: number, down_by_state: DownByState, down_by_reason: Array<ReasonDown>, micro_stops: MicroStops, parts_total: number, parts_good: number, parts_scrap: number, scrap_counted: number, scrap_entered: number, 
/**
 * Ideal cycle time x parts, summed with the ideal in force for each part; null
 * when some parts were made before any ideal cycle time was set.
 */
ideal_s: number | null, availability: number | null, performance: number | null, quality: number | null, oee: number | null, counter_events: Array<CounterEvent>, how: How, };

/**
 * The JSON form of a sample in the API and live events.
 */
export type SampleJson = { tag_id: number, ts: number, value: number | null, 
/**
 * The text of a good text sample (`value` is null then).
 */
text?: string, quality: "good" | "no_answer" | "stale" | "bad_value" | "reconfigured" | "exception", exception_code?: number, };

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
 * Scrap entered by a person.
 */
export type ScrapEntry = { id: number, machine: string, ts: number, parts: number, reason_id: number | null, comment: string, entered_by: string, entered_ms: number, };

/**
 * One question: collected, stored, access, protection, internet outage, retention,
 * backups, what leaves the plant.
 */
export type Section = { 
/**
 * Stable key: `collected`, `stored`, `access`, `protection`, `outage`,
 * `retention`, `backups`, `leaves`, `ownership`.
 */
key: string, 
/**
 * In English; `passport-section-<key>` in each language.
 */
title: string, facts: Array<Fact>, };

/**
 * How the connection to the SMTP server is protected.
 */
export type Security = "starttls" | "tls" | "none";

export type SecurityChange = { 
/**
 * Required to lower the audit floor: the words "shorten the audit log".
 */
confirm_text?: string, 
/**
 * Seconds without activity after which a session ends.
 */
idle_timeout_s: number, 
/**
 * Seconds after login after which a session ends whatever its activity.
 */
session_max_age_s: number, 
/**
 * Roles that must use a second factor; admin is always among them.
 */
mfa_roles: Array<Role>, 
/**
 * Whether vendor accounts must use a second factor.
 */
mfa_vendors: boolean, 
/**
 * The shortest password accepted.
 */
password_min_chars: number, 
/**
 * DNS names (besides this PC's name and any IP address) the server answers to.
 */
allowed_hosts: Array<string>, 
/**
 * The audit log's retention cannot go below this many days without the typed
 * confirmation.
 */
audit_floor_days: number, 
/**
 * Roles the admin allows to run every report (and download it), beyond those whose
 * role runs them (supervisor, management, admin; quality, maintenance and stores
 * the tag report). Operators run none unless listed here.
 */
report_roles: Array<Role>, 
/**
 * Roles that may write exports to removable drives (USB sticks); admin always.
 */
removable_roles: Array<Role>, };

export type SecuritySettings = { 
/**
 * Seconds without activity after which a session ends.
 */
idle_timeout_s: number, 
/**
 * Seconds after login after which a session ends whatever its activity.
 */
session_max_age_s: number, 
/**
 * Roles that must use a second factor; admin is always among them.
 */
mfa_roles: Array<Role>, 
/**
 * Whether vendor accounts must use a second factor.
 */
mfa_vendors: boolean, 
/**
 * The shortest password accepted.
 */
password_min_chars: number, 
/**
 * DNS names (besides this PC's name and any IP address) the server answers to.
 */
allowed_hosts: Array<string>, 
/**
 * The audit log's retention cannot go below this many days without the typed
 * confirmation.
 */
audit_floor_days: number, 
/**
 * Roles the admin allows to run every report (and download it), beyond those whose
 * role runs them (supervisor, management, admin; quality, maintenance and stores
 * the tag report). Operators run none unless listed here.
 */
report_roles: Array<Role>, 
/**
 * Roles that may write exports to removable drives (USB sticks); admin always.
 */
removable_roles: Array<Role>, };

/**
 * The security settings with the LAN state and certificate.
 */
export type SecurityView = { settings: SecuritySettings, lan: LanView, };

/**
 * A session as the admin sees it.
 */
export type SessionView = { 
/**
 * The session's number (not its token).
 */
id: number, user_id: number, username: string, display_name: string, created_ms: number, last_seen_ms: number, client: string, 
/**
 * Whether a second factor was used to log in.
 */
mfa: boolean, 
/**
 * Whether this is the session of the one asking.
 */
current: boolean, };

/**
 * Days kept per class; `None` keeps it for ever.
 */
export type Settings = { raw_days: number | null, minute_days: number | null, hour_days: number | null, audit_days: number | null, 
/**
 * Write raw samples and audit entries to compressed CSV before removing them.
 */
archive: boolean, };

/**
 * Production setup as a supervisor edits it.
 */
export type Setup = { reasons: Array<Reason>, planned_stops: Array<PlannedStop>, ideal_cycles: Array<IdealCycle>, operators: Array<OperatorMachines>, machines: Array<MachineName>, timezone: string, };

export type SetupBody = { username: string, display_name: string, password: string, 
/**
 * The one-time code Plantlog printed where it was started.
 */
setup_code?: string, };

/**
 * Shelving an alarm for some minutes (0 takes it off the shelf), with a reason.
 */
export type ShelveBody = { minutes: number, reason: string, };

export type Shift = { name: string, 
/**
 * Local start time, "HH:MM".
 */
start: string, 
/**
 * Local end time, "HH:MM"; an end before the start means the shift runs past
 * midnight (the shift belongs to the day it starts).
 */
end: string, 
/**
 * The days of the week the shift starts on; every day when empty.
 */
days?: Array<Weekday>, 
/**
 * Planned stops of every machine in each instance of the shift, in local time.
 */
breaks?: Array<Break>, };

export type ShiftJson = { name: string, start_ms: number, end_ms: number, };

/**
 * The shift as the engine counts it now.
 */
export type ShiftNow = { 
/**
 * Null outside any shift (the figures are then the production day's).
 */
name: string | null, start_ms: number, end_ms: number, };

/**
 * A shift the lot ran in: when it started (UTC ms) and its name ("" for none).
 */
export type ShiftStart = { start_ms: number, name: string, };

/**
 * The supervisor's shift view: every machine in scope, live.
 */
export type ShiftView = { now_ms: number, timezone: string, shift: ShiftNow, machines: Array<MachineShift>, };

export type Site = { name: string, 
/**
 * IANA time zone name of the plant, e.g. "Europe/Berlin". Shift boundaries,
 * reports and the UI use it; everything stored is UTC.
 */
timezone: string, };

export type SiteJson = { name: string, timezone: string, };

/**
 * The SMTP server as the admin sets it. `password`: absent keeps the one stored, ""
 * removes it.
 */
export type SmtpBody = { host: string, port: number, security: Security, username: string, sender: string, password?: string, };

/**
 * The plant's SMTP server. The password is not part of it: it is in the OS keyring
 * under [`SmtpSettings::account`].
 */
export type SmtpSettings = { host: string, port: number, security: Security, 
/**
 * The account to log in with; empty when the server takes mail without logging in.
 */
username: string, 
/**
 * The sender address ("Plantlog <plantlog@plant.example>" or a bare address).
 */
sender: string, };

/**
 * Why limits or indices cannot be computed from what was given. Sent to the UI as
 * `{"code": "too_few", "params": {...}}` (a single value as `params` itself), so it says
 * it in the user's language.
 */
export type SpcError = { "code": "too_few", "params": { got: number, need: number, } } | { "code": "unequal_subgroup", "params": { index: number, got: number, size: number, } } | { "code": "subgroup_size", "params": number } | { "code": "not_finite", "params": { index: number, } } | { "code": "no_variation", "params": number } | { "code": "spec_order", "params": { lower: number, upper: number, } };

/**
 * One point of an individuals chart.
 */
export type SpcPoint = { check_id: number, at: number, lot: string, value: number, 
/**
 * |x - previous x|; null for the first point.
 */
moving_range: number | null, in_spec: boolean, };

/**
 * One subgroup of an X-bar/R chart.
 */
export type SpcSubgroup = { 
/**
 * Its first measurement's time and lot.
 */
at: number, lot: string, check_ids: Array<number>, mean: number, range: number, };

/**
 * `GET /api/quality/spc/{id}`: an individuals and moving-range chart of a measured
 * characteristic with limits from the baseline, the Western Electric rules and the
 * capability of the range shown.
 */
export type SpcView = { characteristic: CharacteristicView, from_ms: number, to_ms: number, baseline_from_ms: number, baseline_to_ms: number, points: Array<SpcPoint>, 
/**
 * Null when the baseline cannot give limits; `problem` says why.
 */
limits: IndividualsLimits | null, violations: Array<SpcViolation>, capability: Capability | null, problem: string | null, 
/**
 * `problem` as a code with its values, for the UI's translation.
 */
problem_code: SpcError | null, 
/**
 * With `?subgroup=N`.
 */
xbar_r: XbarRView | null, };

export type SpcViolation = { index: number, rule: number, text: string, };

/**
 * A file ready to be written.
 */
export type StagedFile = { name: string, 
/**
 * What it holds, for MANIFEST.txt.
 */
what: string, size: number, sha256: string, };

export type Standing = { id: number, key: string, name: string, priority: string, raised_at: number, 
/**
 * How long it has been active, at the report's end.
 */
active_ms: number, };

export type StateDef = { value: number, label: string, kind: StateKind, };

export type StateJson = { value: number, label: string, kind: StateKind, };

/**
 * What a machine state means for colours, downtime and OEE.
 */
export type StateKind = "running" | "idle" | "setup" | "stopped" | "fault" | "unknown";

export type StateName = { value: number, label: string, kind: StateKind, };

/**
 * A machine's state now.
 */
export type StateNow = { 
/**
 * The state value; null: no data.
 */
value: number | null, 
/**
 * The plant's word for it ("Tool change"), or "No data".
 */
label: string, kind: StateKind, 
/**
 * Since when.
 */
since_ms: number, };

export type StateStretch = { from_ms: number, to_ms: number, value: number | null, };

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
export type Stats = { windows: number, blocks: number, samples: number, bytes: number, 
/**
 * Hours closed after the windows (store::convert).
 */
closed: CloseStats, };

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

/**
 * `GET /api/quality/stock`: material lots with stock on hand (all with `?all=true`),
 * the recent moves, and whether negative stock is allowed.
 */
export type StockView = { materials: Array<MaterialView>, lots: Array<MaterialLotView>, moves: Array<MoveView>, allow_negative: boolean, 
/**
 * Machines material can be issued to: [key, name].
 */
machines: Array<[string, string]>, };

/**
 * A reason for a stop from `at_ms` on: the stop's start gives (or changes) the
 * stop's reason; a time inside a stop splits it there.
 */
export type StopReasonBody = { machine: string, at_ms: number, 
/**
 * Null: not explained (the part after a split, or taking a reason back).
 */
reason_id: number | null, comment?: string, };

/**
 * One reason stretch of a stop.
 */
export type StopSegment = { from_ms: number, to_ms: number, reason_id: number | null, 
/**
 * "Mechanical / Jam"; null: not explained.
 */
reason: string | null, planned: boolean, comment: string, 
/**
 * Who gave the reason, and when; null when none was given.
 */
entered_by: string | null, entered_ms: number | null, };

/**
 * A stop: from leaving running until running again.
 */
export type StopView = { start_ms: number, 
/**
 * Null: still stopped.
 */
end_ms: number | null, 
/**
 * Downtime in planned production time (in the range shown), by state.
 */
down_s: number, down_by_state: DownByState, no_data_s: number, 
/**
 * Every part of it is shorter than the micro-stop threshold (or it was planned).
 */
micro: boolean, 
/**
 * Some of its downtime (in parts that are not micro-stops) has no reason.
 */
needs_reason: boolean, segments: Array<StopSegment>, };

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
 * One stream's position and progress.
 */
export type StreamStatus = { stream: string, 
/**
 * Whether the admin chose it.
 */
chosen: boolean, 
/**
 * The high-water mark: rollups the start of the first hour not yet acknowledged,
 * production a change time (UTC ms), audit and config the next row id.
 */
position: number, last_seq: number, last_ack_ts: number | null, rows_sent: number, bytes_sent: number, pending_seq: number | null, 
/**
 * What could leave now and is not yet acknowledged (rollups: tag-hours; production
 * and audit: entries; config: versions); 0 when the stream is not chosen.
 */
waiting: number, 
/**
 * The time (UTC ms) of the oldest of them.
 */
oldest_waiting_ts: number | null, };

/**
 * The support page: recent problems, crash records, where the files are.
 */
export type SupportView = { 
/**
 * Newest first, at most [`MAX_PROBLEMS`].
 */
problems: Array<LogProblem>, 
/**
 * Crash records, newest first.
 */
crashes: Array<Crash>, 
/**
 * The folder of the daily log files.
 */
logs_folder: string, 
/**
 * The folder of the crash records.
 */
crash_folder: string, 
/**
 * Only an admin may quit the desktop app (which stops collection when the app runs
 * the core itself).
 */
quit_admin_only: boolean, };

/**
 * The bandwidth limit for the backlog: bytes per second on average, 0 for none.
 */
export type SyncBandwidth = { bytes_per_second: number, };

/**
 * How the link stands, for the admin.
 */
export type SyncState = "off" | "connected" | "behind" | "offline" | "parked";

/**
 * The sync status page's facts.
 */
export type SyncStatus = { state: SyncState, enabled: boolean, url: string, site: string, 
/**
 * The pinned certificate fingerprint, or empty.
 */
pin_sha256: string, 
/**
 * Whether a token is stored (the token itself is never shown).
 */
token_stored: boolean, 
/**
 * Where it is kept, in words ("in the OS keyring", or the fallback file and why);
 * empty when none is stored.
 */
token_kept: string, 
/**
 * Every sample older than this (UTC ms) is acknowledged by the central server.
 */
acked_to_ts: number, 
/**
 * The newest batch acknowledged, when, and its size.
 */
last_seq: number, last_ack_ts: number | null, last_samples: number, last_bytes: number, last_attempt_ts: number | null, 
/**
 * Why the last attempt failed; empty when it went through.
 */
error: string, 
/**
 * Attempts failed in a row.
 */
failures: number, 
/**
 * Samples stored and not yet acknowledged.
 */
backlog_samples: number, 
/**
 * Their size on the wire, estimated from the last batch's bytes per sample (the
 * batch waiting counts with its real size).
 */
backlog_bytes: number, 
/**
 * A batch made and waiting for its acknowledgement.
 */
pending_seq: number | null, 
/**
 * The data classes the admin lets leave the plant (raw, rollups, production, audit,
 * config).
 */
classes: Array<string>, 
/**
 * Each stream beyond raw samples: its position and what it sent.
 */
streams: Array<StreamStatus>, 
/**
 * The time (UTC ms) of the oldest raw sample not yet acknowledged (None when raw
 * samples are not chosen or none is waiting).
 */
oldest_waiting_ts: number | null, 
/**
 * The class whose batch the central server refused ("raw", "rollups", ...), when
 * the state is parked; the reason is `error`.
 */
parked_class: string, 
/**
 * The central server's clock minus this PC's (ms) at the last acknowledged
 * exchange, and when it was measured; None before the first (or with sync off).
 */
clock_skew_ms: number | null, clock_checked_ts: number | null, 
/**
 * Beyond a minute: since when (the system alarm "clock differs" holds meanwhile).
 */
clock_off_since: number | null, 
/**
 * The bandwidth limit, bytes per second (0: none).
 */
bandwidth_bps: number, 
/**
 * The rate reached over the recent batches, bytes per second (pauses for the
 * limit included); None before the first batch.
 */
rate_bps: number | null, 
/**
 * What waits in all the chosen classes, estimated bytes on the wire (a class not
 * measured yet counts with a typical size).
 */
waiting_bytes: number, 
/**
 * About how long until the central server has caught up at the rate reached,
 * counting what the plant adds meanwhile (ms); None when up to date, not known yet,
 * or never (`falls_behind`).
 */
catch_up_ms: number | null, 
/**
 * The rate reached is below what the plant adds: the backlog grows.
 */
falls_behind: boolean, 
/**
 * What retention removed before it was sent, per class and tag (never skipped in
 * silence).
 */
lost: Array<LostStatus>, };

/**
 * A problem of Plantlog itself, shown on every page.
 */
export type SystemAlarm = { 
/**
 * Stable code: `storage_failed`, `disk_low`, `backup_failed`, `backup_overdue`,
 * `backup_drill_failed`, `backup_drill_overdue`.
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
 * Also taken as a string, so coils can keep their leading zeros: "00001".
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
 * A tag whose recent values look wrong.
 */
export type TagFindings = { tag: string, findings: Array<Finding>, };

/**
 * What deleting a tag's history would remove.
 */
export type TagPlan = { tag_id: number, name: string, samples: number, rollup_rows: number, };

export type TagRef = { id: number, name: string, label: string, unit: string | null, };

/**
 * What a tag means for production figures.
 */
export type TagRole = "state" | "count" | "run" | "scrap";

export type TagValue = { tag_id: number, label: string, unit: string, value: number | null, quality: "good" | "no_answer" | "stale" | "bad_value" | "reconfigured" | "exception", };

export type TagView = { id: number, name: string, label: string, unit: string, role: TagRole | null, poll_ms: number, device: string, last: SampleJson | null, };

/**
 * The export running or last run.
 */
export type TakeoutJob = { folder: string, 
/**
 * "running", "done", "failed", "cancelled".
 */
state: string, progress: TakeoutProgress, outcome: TakeoutOutcome | null, 
/**
 * What went wrong, and what to do.
 */
error: string | null, by: string, };

/**
 * A finished export.
 */
export type TakeoutOutcome = { folder: string, files: number, bytes: number, sample_rows: number, parts: number, 
/**
 * Parts an earlier, interrupted run had finished.
 */
parts_resumed: number, 
/**
 * Samples up to (not including) this time (UTC ms) are in it.
 */
until_ms: number, 
/**
 * The SHA-256 of SHA256SUMS.
 */
sums_sha256: string, };

/**
 * Where an export stands.
 */
export type TakeoutProgress = { 
/**
 * "writing", "verifying", "done".
 */
phase: string, 
/**
 * The part being written: "table users", "tag 12", ...
 */
part: string, parts_done: number, parts_total: number, 
/**
 * Parts found finished by an earlier run.
 */
parts_resumed: number, rows_done: number, 
/**
 * Estimated from the stored counts.
 */
rows_total: number, bytes_written: number, elapsed_ms: number, left_ms: number | null, };

export type TakeoutRequest = { 
/**
 * A folder, or a drive's path (a dated folder is made on it); empty: the default.
 */
to: string, };

export type TakeoutView = { job: TakeoutJob | null, drives: Array<Drive>, 
/**
 * Where an export goes unless another folder is chosen: the data folder's
 * "exports" folder, one folder per day.
 */
default_folder: string, };

/**
 * Parts the machine should have made by now: planned production time so far divided
 * by the ideal cycle time in force.
 */
export type Target = { 
/**
 * Null without an ideal cycle time.
 */
parts: number | null, how: string, };

/**
 * The backups on one target, or why they cannot be read.
 */
export type TargetBackups = { target_id: number, backups: Array<BackupEntry>, error: string | null, };

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
 * Where to send a test mail.
 */
export type TestMailBody = { to: string, };

/**
 * What the server said to the test mail.
 */
export type TestMailResult = { sent: boolean, message: string, };

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
register?: number, count?: number, type?: DataType, order?: Order, bit?: number, 
/**
 * With type "string": registers of text.
 */
length?: number, 
/**
 * Scale and offset of the value (`raw * scale + offset`), as the tag would have.
 */
scale?: number, offset?: number, 
/**
 * The engineering unit of the value (°C is judged as a temperature).
 */
value_unit?: string, 
/**
 * What the value means (a counter is judged for jumps).
 */
role?: TagRole, timeout_ms?: number, 
/**
 * Earlier reads of the same registers (oldest first), to judge how the value moves.
 */
previous?: Array<EarlierRead>, };

/**
 * A device behind a machine's tile.
 */
export type TileDevice = { key: string, name: string, state: LinkState, last_error: string | null, };

/**
 * A line's or the plant's figures in one period: its machines' times and parts added.
 */
export type Total = { 
/**
 * The line; null for the whole plant (the machines in the report).
 */
line: string | null, machines: Array<string>, period: Period, shift_s: number, planned_s: number, break_s: number, planned_stop_s: number, no_data_s: number, run_s: number, down_s: number, down_by_state: DownByState, down_by_reason: Array<ReasonDown>, micro_stops: MicroStops, parts_total: number, parts_good: number, parts_scrap: number, scrap_counted: number, scrap_entered: number, 
/**
 * Ideal cycle time x parts, summed with the ideal in force for each part; null
 * when some parts were made before any ideal cycle time was set.
 */
ideal_s: number | null, availability: number | null, performance: number | null, quality: number | null, oee: number | null, counter_events: Array<CounterEvent>, how: How, };

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
 * What forgetting a person would do.
 */
export type UserPlan = { user_id: number, username: string, display_name: string, pseudonym: string, 
/**
 * Per table, rows whose text names them (the audit log's among them).
 */
holdings: Array<Holding>, 
/**
 * Audit records that name them (rewritten) and that they did (kept, under the
 * pseudonym).
 */
audit_records: number, sessions: number, };

/**
 * The text of one value of a state word.
 */
export type ValueText = { value: number, 
/**
 * What the value means ("Emergency stop").
 */
text: string, };

/**
 * A vendor account with its scope, for the admin's list.
 */
export type VendorAccount = { user: User, scope: VendorScope, };

/**
 * A change to a vendor account: a new end, machines or pages.
 */
export type VendorChange = { expires_ms?: number, machines?: Array<string>, permissions?: Array<Permission>, };

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
export type VersionInfo = { version: number, ts: number, actor: string, 
/**
 * What the version changed from the one before, in words (in the list of versions;
 * empty elsewhere).
 */
changes: Array<string>, };

/**
 * A day of the week, as shifts name the days they run.
 */
export type Weekday = "mon" | "tue" | "wed" | "thu" | "fri" | "sat" | "sun";

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

/**
 * What was written and verified.
 */
export type Written = { 
/**
 * The folder on the drive.
 */
folder: string, files: Array<StagedFile>, bytes: number, 
/**
 * The SHA-256 of SHA256SUMS: one checksum for the whole export.
 */
sums_sha256: string, };

/**
 * Limits of an X-bar and range chart.
 */
export type XbarRLimits = { xbar: Limits, range: Limits, subgroup_size: number, 
/**
 * The process sigma estimated within subgroups: mean range / d2(n).
 */
sigma_within: number, baseline_subgroups: number, how: string, };

/**
 * The X-bar/R chart of the range shown, when a subgroup size was asked for.
 */
export type XbarRView = { size: number, subgroups: Array<SpcSubgroup>, 
/**
 * Null when the baseline's subgroups cannot give limits; `problem` says why.
 */
limits: XbarRLimits | null, 
/**
 * Western Electric rules on the subgroup means (index: the subgroup).
 */
violations: Array<SpcViolation>, problem: string | null, 
/**
 * `problem` as a code with its values, for the UI's translation.
 */
problem_code: SpcError | null, };
