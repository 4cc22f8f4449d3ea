// Shapes of the Plantlog HTTP API (docs/API.md). Times are UTC milliseconds.
//
// Every shape the server sends or takes is generated from its Rust type into
// api.gen.ts (`PLANTLOG_WRITE_TYPES=1 cargo test --lib api::contract`), so a changed
// field breaks this UI's type check instead of a user's screen. Here they get the names
// the UI uses, and the few shapes that are the UI's own are written out.

import type * as Api from './api.gen';

export type {
  AckBody,
  AlarmReport,
  Flood,
  AlarmState,
  AlarmView,
  AlarmsView,
  JournalEntry,
  JournalQuery,
  PriorityCounts,
  ShelveBody,
  AssignBody,
  Board,
  BoardMachine,
  By,
  CounterEvent,
  CreatedDisplay,
  Display,
  DownByState,
  Figures,
  How,
  IdealCycle,
  MachineName,
  MachineNow,
  MachineShift,
  MachineStops,
  NewDisplay,
  NewIdealCycle,
  NewPlannedStop,
  NewReason,
  NewScrap,
  OperatorMachines,
  Period,
  PlannedStop,
  Reason,
  ReasonChange,
  ReasonDown,
  ReasonKind,
  Report,
  ReportRequest,
  Row as ReportRow,
  ScrapEntry,
  Setup as ProductionSetup,
  ShiftNow,
  ShiftView,
  StateName,
  StateNow,
  StateStretch,
  StopReasonBody,
  StopSegment,
  StopView,
  Target,
  Total as ReportTotal,
  AccessReviewView,
  Crash,
  DesktopSettings,
  LogProblem,
  SupportView,
  AccountReview,
  AuditEntry,
  CertInfo,
  ChainReport,
  Enrolment,
  LanView,
  NewVendor,
  SecurityView,
  SecuritySettings,
  SessionView,
  VendorAccount,
  VendorChange,
  VendorScope,
  BusView as BusStatus,
  Class as RetentionClass,
  CompactorStatus,
  ConfigSummary as ConfigCounts,
  Conflict as ConfigConflict,
  DeviceDetail,
  DeviceView as DeviceStatus,
  Diagnostics,
  DiskStatus,
  HistoryView as History,
  ImportOutcome as ConfigSaved,
  LinkState as DeviceState,
  MachineTile as MachineSummary,
  MachineView as Machine,
  Me,
  Overview,
  Permission,
  PortInfo as SerialPort,
  Problem as ConfigProblem,
  Purge as PurgeRun,
  ReadResult,
  RegisterKind,
  RoleView as RoleInfo,
  SampleJson as Sample,
  ScanHit,
  ScanReport as ScanResult,
  Settings as Retention,
  ShiftJson as Shift,
  StateJson as MachineState,
  StateKind,
  StateTimesView as StateTimes,
  Stats as CompactStats,
  Step as PurgeStep,
  StorageChange,
  StorageView as Storage,
  BackupsView,
  BackupTargetState,
  BackupTargetInput,
  BackupRun,
  BackupVerification,
  BackupEntry,
  BackupDrill,
  BackupDrillState,
  TargetBackups,
  SystemAlarm,
  TagDetail,
  TagValue as Highlight,
  TagView as Tag,
  TemplateSummary,
  Template as TemplateDetail,
  Tag as TemplateTag,
  TestRead as ReadRequest,
  User,
  VersionInfo,
  WriterStatus,
} from './api.gen';

/** How a sample's quality is named: good, or why there is no value. */
export type QualityName = Api.SampleJson['quality'];

/** The newest sample of a tag, as a machine page shows it. */
export type LastValue = Pick<Api.SampleJson, 'ts' | 'value' | 'quality' | 'exception_code'>;

/** A line scan as the UI asks for it: the device whose line, and the scan. */
export type ScanRequest = Api.ScanBody;

/**
 * A device of the configuration model as the UI edits it: keys left out take their
 * defaults (or a template's) when the server imports it, and keys the UI does not know
 * pass through untouched.
 */
export type ModelDevice = Partial<Api.Device> &
  Pick<Api.Device, 'key' | 'protocol'> & { [other: string]: unknown };

/** The configuration as JSON (GET/PUT /api/config/model), edited the same way. */
export type ConfigModel = Omit<Partial<Api.PlantConfig>, 'devices'> &
  Pick<Api.PlantConfig, 'site'> & { devices?: ModelDevice[]; [other: string]: unknown };
