//! System health: the problems of Plantlog itself that every user must see (readings
//! not being stored, a disk running full), decided from the state of the writer and the
//! disk guard, and backups that failed or are overdue. Later system conditions (sync
//! behind) join here, and the alarm system takes them from here. Pure: it reads statuses, it changes nothing.

use serde::Serialize;

use crate::backup::drill::DrillState;
use crate::backup::targets::TargetState;
use crate::store::WriterStatus;
use crate::store::guard::DiskStatus;

/// A problem of Plantlog itself, shown on every page.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct SystemAlarm {
    /// Stable code: `storage_failed`, `disk_low`, `backup_failed`, `backup_overdue`,
    /// `backup_drill_failed`, `backup_drill_overdue`.
    pub code: &'static str,
    pub message: String,
    pub since_ms: Option<i64>,
}

/// The system alarms that hold now.
pub fn system_alarms(
    writer: &WriterStatus,
    disk: &DiskStatus,
    backups: &[TargetState],
    drill: Option<&DrillState>,
) -> Vec<SystemAlarm> {
    let mut alarms = Vec::new();
    if let Some(error) = &writer.error {
        alarms.push(SystemAlarm {
            code: "storage_failed",
            message: format!(
                "Readings are not being stored: {error}. {} readings are waiting in memory{}.",
                writer.pending,
                if writer.dropped > 0 {
                    format!("; {} were lost", writer.dropped)
                } else {
                    String::new()
                }
            ),
            since_ms: writer.error_since_ms,
        });
    }
    if disk.low {
        let mb = |b: u64| b / (1024 * 1024);
        alarms.push(SystemAlarm {
            code: "disk_low",
            message: format!(
                "Free space is low on the drive that holds Plantlog's data: {} MB left (warning below {} MB). Free space on the drive or shorten retention before the disk fills.",
                disk.free_bytes.map_or(0, mb),
                mb(disk.warn_below_bytes)
            ),
            since_ms: disk.checked_ms,
        });
    }
    alarms.extend(backup_alarms(backups));
    alarms.extend(drill.map(drill_alarms).unwrap_or_default());
    alarms
}

/// The last restore drill failed, or none within twice its interval once a good backup
/// exists: each an alarm.
pub fn drill_alarms(d: &DrillState) -> Vec<SystemAlarm> {
    let mut alarms = Vec::new();
    if let Some(last) = d.last.as_ref().filter(|l| !l.passed) {
        alarms.push(SystemAlarm {
            code: "backup_drill_failed",
            message: format!(
                "The restore drill of the backup {} failed: {}. The backups may not restore; run a drill again on the Backups page once this is fixed.",
                last.backup, last.detail
            ),
            since_ms: Some(last.started_at),
        });
    }
    if d.overdue {
        alarms.push(SystemAlarm {
            code: "backup_drill_overdue",
            message: format!(
                "No restore drill has run within twice its interval ({} days): it is not known that the backups restore.",
                d.interval_days
            ),
            since_ms: d.last.as_ref().map(|l| l.started_at).or(d.first_good_ms),
        });
    }
    alarms
}

/// A target whose last run failed (unplugged, full, a failed verification), and one
/// without a good backup within twice its interval: each an alarm.
pub fn backup_alarms(backups: &[TargetState]) -> Vec<SystemAlarm> {
    let mut alarms = Vec::new();
    for s in backups.iter().filter(|s| s.target.enabled) {
        let t = &s.target;
        if let Some(run) = s.last.as_ref().filter(|r| r.status == "failed") {
            alarms.push(SystemAlarm {
                code: "backup_failed",
                message: format!(
                    "The backup to \"{}\" ({}) failed: {}",
                    t.name,
                    t.path,
                    run.error.as_deref().unwrap_or("unknown error")
                ),
                since_ms: run.finished_at.or(Some(run.started_at)),
            });
        }
        if s.overdue {
            let since = s.last_good.as_ref().map(|r| r.started_at);
            alarms.push(SystemAlarm {
                code: "backup_overdue",
                message: match since {
                    Some(_) => format!(
                        "No backup to \"{}\" ({}) has succeeded within twice its interval ({}): the plant's data is not backed up there.",
                        t.name, t.path, t.schedule
                    ),
                    None => format!(
                        "No backup to \"{}\" ({}) has succeeded yet, within twice its interval ({}) of it being set up.",
                        t.name, t.path, t.schedule
                    ),
                },
                since_ms: since.or(Some(t.created_at)),
            });
        }
    }
    alarms
}

/// The clock of this PC against the central server's, as sync measured it at its last
/// exchange (issue 14).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClockCheck {
    /// The central server's clock minus this PC's (ms).
    pub skew_ms: i64,
    pub checked_ms: i64,
    /// Since when it is beyond the limit; None while within.
    pub off_since_ms: Option<i64>,
}

/// This PC's clock is off by more than the limit from the central server's: an alarm
/// (code `clock_off`), until an exchange finds it within the limit again.
pub fn clock_alarm(c: &ClockCheck, describe: impl Fn(i64) -> String) -> Option<SystemAlarm> {
    let since = c.off_since_ms?;
    Some(SystemAlarm {
        code: "clock_off",
        message: format!(
            "This PC's clock is {} the central server's (measured at the last sync exchange). Readings are stored with this PC's time, so their times are off by as much: set the clock right (Windows: Settings, Time & language, Sync now) or fix the central server's. Sync does not change the readings' times; the alarm clears at the first exchange within a minute.",
            describe(c.skew_ms)
        ),
        since_ms: Some(since),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_clock_off_raises_one_until_it_is_back() {
        let words = |ms: i64| format!("{} s", ms / 1000);
        let mut c = ClockCheck {
            skew_ms: 30_000,
            checked_ms: 10,
            off_since_ms: None,
        };
        assert_eq!(clock_alarm(&c, words), None);
        c.skew_ms = 125_000;
        c.off_since_ms = Some(7);
        let a = clock_alarm(&c, words).unwrap();
        assert_eq!(a.code, "clock_off");
        assert_eq!(a.since_ms, Some(7));
        assert!(
            a.message
                .starts_with("This PC's clock is 125 s the central server's")
        );
    }

    #[test]
    fn none_when_all_is_well() {
        assert!(
            system_alarms(&WriterStatus::default(), &DiskStatus::default(), &[], None).is_empty()
        );
    }

    #[test]
    fn a_failing_writer_and_a_low_disk_each_raise_one() {
        let mut writer = WriterStatus::default();
        writer.error = Some("the disk is full".into());
        writer.error_since_ms = Some(5);
        writer.pending = 12;
        writer.dropped = 3;
        let disk = DiskStatus {
            low: true,
            free_bytes: Some(10 * 1024 * 1024),
            warn_below_bytes: 1024 * 1024 * 1024,
            checked_ms: Some(9),
            ..DiskStatus::default()
        };
        let a = system_alarms(&writer, &disk, &[], None);
        assert_eq!(
            a.iter().map(|a| a.code).collect::<Vec<_>>(),
            ["storage_failed", "disk_low"]
        );
        assert!(a[0].message.contains("12 readings are waiting"));
        assert!(a[0].message.contains("3 were lost"));
        assert_eq!(a[0].since_ms, Some(5));
        assert!(a[1].message.contains("10 MB left (warning below 1024 MB)"));
    }

    fn target(name: &str, schedule: &str) -> crate::backup::targets::Target {
        crate::backup::targets::Target {
            id: 1,
            name: name.into(),
            path: "E:\\Backups".into(),
            schedule: schedule.into(),
            keep: crate::backup::Keep::default(),
            enabled: true,
            created_at: 100,
        }
    }

    #[test]
    fn a_failed_backup_and_an_overdue_target_each_raise_one() {
        use crate::backup::targets::{Run, TargetState};
        let failed = Run {
            id: 7,
            target_id: 1,
            started_at: 1000,
            finished_at: Some(1200),
            name: String::new(),
            status: "failed".into(),
            bytes: 0,
            error_code: Some("target_missing".into()),
            error: Some("the backup target E:\\Backups is not there. Is the drive, stick or network share connected?".into()),
            verification: None,
        };
        let states = [
            TargetState {
                target: target("USB stick", "hourly"),
                last: Some(failed),
                last_good: None,
                next_ms: 3_600_000,
                overdue: true,
                waiting: None,
                folder: None,
            },
            TargetState {
                target: target("Office share", "daily 02:00"),
                last: None,
                last_good: None,
                next_ms: 0,
                overdue: false,
                waiting: None,
                folder: None,
            },
        ];
        let a = system_alarms(
            &WriterStatus::default(),
            &DiskStatus::default(),
            &states,
            None,
        );
        assert_eq!(
            a.iter().map(|a| a.code).collect::<Vec<_>>(),
            ["backup_failed", "backup_overdue"]
        );
        assert_eq!(
            a[0].message,
            "The backup to \"USB stick\" (E:\\Backups) failed: the backup target E:\\Backups is not there. Is the drive, stick or network share connected?"
        );
        assert_eq!(a[0].since_ms, Some(1200));
        assert!(
            a[1].message
                .contains("has succeeded yet, within twice its interval (hourly)")
        );
        assert_eq!(a[1].since_ms, Some(100));
        // Switched off: no alarms.
        let mut off = states.clone();
        off[0].target.enabled = false;
        assert!(backup_alarms(&off).is_empty());
    }

    #[test]
    fn a_failed_drill_and_an_overdue_one_each_raise_one() {
        use crate::backup::drill::{Drill, DrillState};
        let failed = Drill {
            id: 2,
            started_at: 5000,
            took_ms: 800,
            target: "Office share".into(),
            backup: "E:\\Plantlog\\x".into(),
            passed: false,
            detail: "the restore failed: plantlog.db: its SHA-256 is not the one recorded".into(),
        };
        let mut d = DrillState {
            last: Some(failed.clone()),
            interval_days: 30,
            first_good_ms: Some(1000),
            overdue: true,
        };
        let a = system_alarms(
            &WriterStatus::default(),
            &DiskStatus::default(),
            &[],
            Some(&d),
        );
        assert_eq!(
            a.iter().map(|a| a.code).collect::<Vec<_>>(),
            ["backup_drill_failed", "backup_drill_overdue"]
        );
        assert_eq!(
            a[0].message,
            "The restore drill of the backup E:\\Plantlog\\x failed: the restore failed: plantlog.db: its SHA-256 is not the one recorded. The backups may not restore; run a drill again on the Backups page once this is fixed."
        );
        assert_eq!(a[0].since_ms, Some(5000));
        assert!(a[1].message.contains("within twice its interval (30 days)"));
        // Passed and in time: none.
        d.last = Some(Drill {
            passed: true,
            ..failed
        });
        d.overdue = false;
        assert!(drill_alarms(&d).is_empty());
    }
}
