//! Targets on real folders: an unplugged target fails with a clear error (the alarm is
//! health.rs's) while the next target still gets its backup; a target without a good backup within
//! twice its interval is overdue; retention keeps what the target says.

use std::path::Path;

use jiff::tz::TimeZone;

use super::targets::{self, TargetInput};
use super::{Keep, Quiet, manifest};
use crate::sample::{Sample, now_ms};
use crate::store::{Db, raw};

fn data_folder(root: &Path) -> Db {
    let db = Db::open(&root.join(manifest::DATABASE)).unwrap();
    db.sql(|c| raw::insert(c, &[Sample::good(1, 1000, 1.0), Sample::good(2, 2000, 2.0)]))
        .unwrap();
    db
}

fn input(name: &str, path: &Path, schedule: &str, keep: Keep) -> TargetInput {
    TargetInput {
        name: name.into(),
        path: path.display().to_string(),
        schedule: schedule.into(),
        keep,
        enabled: true,
    }
}

#[test]
fn an_unplugged_target_fails_with_an_alarm_and_the_next_target_still_runs() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    std::fs::create_dir(&data).unwrap();
    let db = data_folder(&data);
    let share = tmp.path().join("share");
    std::fs::create_dir(&share).unwrap();
    let stick = tmp.path().join("stick-not-inserted");
    let now = now_ms();
    db.sql(|c| {
        targets::add(
            c,
            &input("a stick", &stick, "hourly", Keep::default()),
            now - 10_800_000,
        )
        .unwrap();
        targets::add(
            c,
            &input("office share", &share, "daily 02:00", Keep::default()),
            now - 10_800_000,
        )
        .unwrap();
        Ok(())
    })
    .unwrap();

    // The scheduler's pass: every due target, one after another.
    let tz = TimeZone::UTC;
    let states = db.sql(|c| targets::states(c, now, &tz)).unwrap();
    assert_eq!(states.len(), 2);
    // Hourly, set up three hours ago: due and overdue; daily: due at 02:00 after set-up.
    assert!(targets::due(&states[0], now));
    assert!(states[0].overdue);
    let mut outcomes = Vec::new();
    for s in states.iter().filter(|s| targets::due(s, now)) {
        outcomes.push(targets::run(&db, &data, &s.target, &tz, &Quiet).unwrap());
    }
    assert!(!outcomes.is_empty());
    let err = outcomes[0].made.as_ref().unwrap_err();
    assert_eq!(err.code(), "target_missing");
    assert!(
        !stick.exists(),
        "nothing is made in the missing stick's place"
    );

    // The share gets its backup when its time comes, whatever the stick did.
    let share_target = db
        .sql(|c| targets::list(c))
        .unwrap()
        .into_iter()
        .find(|t| t.name == "office share")
        .unwrap();
    let o = targets::run(&db, &data, &share_target, &tz, &Quiet).unwrap();
    let made = o.made.unwrap();
    assert!(made.manifest.verification.passed);

    let states = db.sql(|c| targets::states(c, now_ms(), &tz)).unwrap();
    let stick_state = &states[0];
    assert_eq!(stick_state.target.name, "a stick");
    let last = stick_state.last.as_ref().unwrap();
    assert_eq!(last.status, "failed");
    assert_eq!(last.error_code.as_deref(), Some("target_missing"));
    let share_state = &states[1];
    assert_eq!(share_state.last.as_ref().unwrap().status, "good");
    assert_eq!(
        share_state.last.as_ref().unwrap().bytes as u64,
        made.manifest.bytes()
    );
    assert!(!share_state.overdue);

    // The stick: failed (the alarm health.rs raises) and overdue; the share neither.
    assert!(stick_state.overdue);
    assert!(
        last.error
            .as_deref()
            .unwrap()
            .contains("Is the drive, stick or network share connected?")
    );

    // Plugged in: the next run succeeds; neither failed nor overdue any more.
    std::fs::create_dir(&stick).unwrap();
    let o = targets::run(&db, &data, &stick_state.target, &tz, &Quiet).unwrap();
    assert!(o.made.is_ok());
    let states = db.sql(|c| targets::states(c, now_ms(), &tz)).unwrap();
    assert_eq!(states[0].last.as_ref().unwrap().status, "good");
    assert!(!states[0].overdue);
}

#[test]
fn a_run_left_running_by_a_stopped_process_is_closed_as_failed() {
    let tmp = tempfile::tempdir().unwrap();
    let db = data_folder(tmp.path());
    let now = now_ms();
    db.sql(|c| {
        let id = targets::add(c, &input("d", tmp.path(), "hourly", Keep::default()), now).unwrap();
        c.execute(
            "INSERT INTO backup_runs (target_id, started_at, status) VALUES (?1, ?2, 'running')",
            (id, now),
        )?;
        let states = targets::states(c, now, &TimeZone::UTC)?;
        assert!(
            !targets::due(&states[0], now + 7_200_000),
            "not twice at once"
        );
        assert_eq!(targets::close_interrupted(c, now + 1)?, 1);
        let states = targets::states(c, now, &TimeZone::UTC)?;
        let last = states[0].last.as_ref().unwrap();
        assert_eq!(last.status, "failed");
        assert_eq!(last.error_code.as_deref(), Some("interrupted"));
        Ok(())
    })
    .unwrap();
}

#[test]
fn targets_are_checked_when_entered() {
    let tmp = tempfile::tempdir().unwrap();
    let db = data_folder(tmp.path());
    db.sql(|c| {
        let e =
            targets::add(c, &input("x", tmp.path(), "sometimes", Keep::default()), 0).unwrap_err();
        assert!(e.to_string().contains("daily HH:MM"), "{e}");
        let none = Keep {
            hourly: 0,
            daily: 0,
            weekly: 0,
            monthly: 0,
        };
        let e = targets::add(c, &input("x", tmp.path(), "hourly", none), 0).unwrap_err();
        assert!(e.to_string().contains("keep at least one"), "{e}");
        targets::add(
            c,
            &input("x", tmp.path(), "Weekly Sun 3:00", Keep::default()),
            0,
        )
        .unwrap();
        let e = targets::add(c, &input("x", tmp.path(), "hourly", Keep::default()), 0).unwrap_err();
        assert!(
            e.to_string().contains("already a backup target named"),
            "{e}"
        );
        assert_eq!(targets::list(c)?[0].schedule, "weekly sunday 03:00");
        Ok(())
    })
    .unwrap();
}

#[test]
fn retention_keeps_what_the_target_says_and_never_the_last_good_one_away() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    std::fs::create_dir(&data).unwrap();
    let db = data_folder(&data);
    let drive = tmp.path().join("drive");
    std::fs::create_dir(&drive).unwrap();
    let keep = Keep {
        hourly: 1,
        daily: 0,
        weekly: 0,
        monthly: 0,
    };
    let id = db
        .sql(|c| Ok(targets::add(c, &input("d", &drive, "hourly", keep), 0).unwrap()))
        .unwrap();
    let target = db.sql(|c| targets::get(c, id)).unwrap().unwrap();
    // An interrupted one left on the drive goes too.
    let root = drive.join(super::FOLDER);
    std::fs::create_dir_all(root.join("2020-01-01T000000.000Z.partial")).unwrap();
    let mut removed = Vec::new();
    for _ in 0..3 {
        let o = targets::run(&db, &data, &target, &TimeZone::UTC, &Quiet).unwrap();
        assert!(o.made.is_ok());
        removed.extend(o.removed);
    }
    // One hourly kept: the newest, an incremental, and what it builds on (the one
    // before it and the full one): a chain is never cut.
    let left = manifest::list(&root).unwrap();
    assert_eq!(left.len(), 3, "{left:?}");
    assert!(left.iter().all(|l| l.state == manifest::Found::Good));
    let chain = |i: usize| left[i].manifest.as_ref().unwrap().chain.clone().unwrap();
    assert_eq!(chain(0).parent, None);
    assert_eq!(chain(2).parent.as_deref(), Some(left[1].name.as_str()));
    assert_eq!(removed.len(), 1);
    assert!(removed[0].0.ends_with(".partial"));
    assert!(removed[0].1.contains("incomplete"));
    // A full backup made now starts a new chain; the old one is then beyond the
    // retention and goes whole, newest link first.
    let made = super::make(&data, &drive, &Quiet).unwrap();
    let gone = targets::apply_retention(&drive, &keep, &TimeZone::UTC).unwrap();
    assert_eq!(gone.len(), 3, "{gone:?}");
    assert!(
        gone.iter().all(|(_, why)| why == "beyond the retention"),
        "{gone:?}"
    );
    assert_eq!(gone[0].0, left[2].name);
    let left = manifest::list(&root).unwrap();
    assert_eq!(left.len(), 1);
    assert_eq!(left[0].name, made.manifest.name);
}

/// A target `stick:LABEL` is the removable drive with that label wherever it is mounted:
/// absent, it waits (not due, "waiting for the stick labelled …", no failed run); plugged
/// in, it is due and its backup goes onto the stick.
#[test]
fn a_stick_target_waits_for_its_stick_and_backs_up_onto_it_when_plugged_in() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    std::fs::create_dir(&data).unwrap();
    let db = data_folder(&data);
    let mount = tmp.path().join("media").join("anna").join("BACKUP1");
    std::fs::create_dir_all(&mount).unwrap();
    let now = now_ms();
    let mut t = input(
        "plant stick",
        Path::new("stick:backup1"),
        "hourly",
        Keep::default(),
    );
    db.sql(|c| {
        targets::add(c, &t, now - 10_800_000).unwrap();
        Ok(())
    })
    .unwrap();
    t.path = "stick:  ".into();
    let e = db
        .sql(|c| Ok(targets::add(c, &t, now)))
        .unwrap()
        .unwrap_err();
    assert!(e.to_string().contains("label"), "{e}");

    let tz = TimeZone::UTC;
    let other = crate::removable::Drive {
        path: tmp.path().join("other").display().to_string(),
        label: "CAMERA".into(),
        free_bytes: 1 << 30,
        total_bytes: 1 << 30,
        filesystem: "vfat".into(),
    };
    let list = db.sql(|c| targets::list(c)).unwrap();
    let s = db
        .sql(|c| targets::states_with(c, list.clone(), now, &tz, std::slice::from_ref(&other)))
        .unwrap();
    assert_eq!(
        s[0].waiting.as_deref(),
        Some("waiting for the stick labelled \"backup1\": it is not plugged in")
    );
    assert!(!targets::due(&s[0], now), "an absent stick is not run");
    assert!(s[0].last.is_none(), "waiting is no failed run");

    let stick = crate::removable::Drive {
        path: mount.display().to_string(),
        label: "BACKUP1".into(),
        ..other
    };
    let s = db
        .sql(|c| targets::states_with(c, list, now, &tz, std::slice::from_ref(&stick)))
        .unwrap();
    assert_eq!(s[0].waiting, None);
    assert_eq!(s[0].folder.as_deref(), Some(stick.path.as_str()));
    assert!(targets::due(&s[0], now));
    assert_eq!(
        targets::folder_in("stick:backup1", std::slice::from_ref(&stick)),
        Some(mount.clone())
    );
    // A folder target is its folder, whatever drives there are.
    assert_eq!(
        targets::folder_in("/srv/backups", &[]),
        Some(std::path::PathBuf::from("/srv/backups"))
    );
}
