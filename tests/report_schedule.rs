//! Scheduled reports (issue 11): a clock moved across three missed shifts runs each
//! missed shift report once, into the folder on the PC and onto the next USB stick; a
//! failing destination is kept in the job history with its error; jobs for a stick
//! wait until one is inserted. The clock is injected: no sleeps.

use plantlog::core::report_jobs::run_due;
use plantlog::production::calendar::Calendar;
use plantlog::removable::Drive;
use plantlog::report::jobs::{self, ReportJob, ReportScheduleInput};
use plantlog::report::{Format, Kind};
use plantlog::store::{DataDir, Db, StoreError};

use super::report::{demo_plant, pdftotext};

const MIN: i64 = 60_000;
const HOUR: i64 = 60 * MIN;

fn stick(path: &std::path::Path) -> Drive {
    Drive {
        path: path.display().to_string(),
        label: "STICK".into(),
        free_bytes: 1 << 30,
        total_bytes: 1 << 30,
        filesystem: "vfat".into(),
    }
}

fn history(db: &Db) -> Vec<ReportJob> {
    db.with(|c| Ok::<_, StoreError>(jobs::history(c, 100).unwrap()))
        .unwrap()
}

#[test]
fn a_clock_moved_across_three_missed_shifts_runs_each_missed_report_once() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    demo_plant(&data, 2);
    let db = Db::open(&DataDir::create(&data).unwrap().database()).unwrap();
    let plant = db
        .with(|c| Ok::<_, StoreError>(plantlog::config::load_plant(c)))
        .unwrap()
        .unwrap();
    let cal = Calendar::new(&plant.config);
    let now = plantlog::sample::now_ms();
    // Yesterday's production day: Early 06-14, Late 14-22, Night 22-06 (Berlin).
    let day = cal.day_of(now).yesterday().unwrap();
    let start = cal.day_start(day);
    let t0 = start + HOUR; // 07:00, in the Early shift
    let out = tmp.path().join("reports");
    let usb = tmp.path().join("stick");
    std::fs::create_dir(&usb).unwrap();
    let tmpdir = data.join("tmp");
    let id = db
        .with(|c| {
            Ok::<_, StoreError>(
                jobs::add(
                    c,
                    &ReportScheduleInput {
                        name: "Shift report".into(),
                        kind: Kind::Shift,
                        format: Format::Pdf,
                        run_at: "shift".into(),
                        folder: Some(out.display().to_string()),
                        usb: true,
                        enabled: true,
                    },
                    t0,
                )
                .unwrap(),
            )
        })
        .unwrap();
    let no_stick = || Vec::<Drive>::new();
    let with_stick = || vec![stick(&usb)];

    // Within the shift nothing is due.
    let ran = db
        .with(|c| run_due(c, t0 + 30 * MIN, &no_stick, &tmpdir))
        .unwrap();
    assert!(ran.is_empty());

    // The PC is off from 07:30 until 06:30 the next day: three shift ends pass.
    let t1 = start + 24 * HOUR + 30 * MIN;
    let ran = db.with(|c| run_due(c, t1, &no_stick, &tmpdir)).unwrap();
    let ends: Vec<i64> = ran.iter().map(|j| j.due_at).collect();
    assert_eq!(
        ends,
        vec![start + 8 * HOUR, start + 16 * HOUR, start + 24 * HOUR],
        "each missed shift end once, oldest first"
    );
    let periods: Vec<&str> = ran.iter().map(|j| j.period.as_str()).collect();
    let d = day.to_string();
    assert_eq!(
        periods,
        vec![
            format!("{d} Early"),
            format!("{d} Late"),
            format!("{d} Night")
        ]
    );
    for (j, (from, to)) in ran.iter().zip([
        (start, start + 8 * HOUR),
        (start + 8 * HOUR, start + 16 * HOUR),
        (start + 16 * HOUR, start + 24 * HOUR),
    ]) {
        assert_eq!(
            (j.from_ms, j.to_ms, j.target.as_str()),
            (from, to, "folder")
        );
    }
    // The three PDFs are in the folder, each the report of its shift.
    let mut names: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".pdf"))
        .collect();
    names.sort();
    assert_eq!(
        names,
        vec![
            format!("shift-{d}-Early.pdf"),
            format!("shift-{d}-Late.pdf"),
            format!("shift-{d}-Night.pdf")
        ]
    );
    for (name, range) in [
        ("Early", format!("{d} 06:00")),
        ("Late", format!("{d} 14:00")),
        ("Night", format!("{d} 22:00")),
    ] {
        let text = pdftotext(&out.join(format!("shift-{d}-{name}.pdf")));
        assert!(text.contains(&range), "{name}: {text}");
        assert!(text.contains("report scheduler"), "{name}");
    }
    assert!(
        !std::fs::read_dir(&out).unwrap().any(|e| e
            .unwrap()
            .file_name()
            .to_string_lossy()
            .ends_with(".part"))
    );
    // The stick's jobs wait for a stick.
    let h = history(&db);
    assert_eq!(h.len(), 6);
    assert_eq!(
        h.iter()
            .filter(|j| j.target == "usb" && j.state == "waiting")
            .count(),
        3
    );

    // The clock moves on a little, a stick is inserted: the three wait no more, and no
    // shift report runs a second time.
    let ran = db
        .with(|c| run_due(c, t1 + 2 * MIN, &with_stick, &tmpdir))
        .unwrap();
    assert_eq!(ran.len(), 3);
    assert!(ran.iter().all(|j| j.target == "usb"));
    let folder = std::fs::read_dir(&usb)
        .unwrap()
        .map(|e| e.unwrap().path())
        .next()
        .unwrap();
    for name in ["Early", "Late", "Night"] {
        assert!(folder.join(format!("shift-{d}-{name}.pdf")).is_file());
    }
    let check = std::process::Command::new("sha256sum")
        .args(["-c", "SHA256SUMS"])
        .current_dir(&folder)
        .output()
        .unwrap();
    assert!(check.status.success());

    let ran = db
        .with(|c| run_due(c, t1 + 3 * MIN, &with_stick, &tmpdir))
        .unwrap();
    assert!(ran.is_empty(), "nothing runs twice: {ran:?}");
    let h = history(&db);
    assert_eq!(h.len(), 6);
    assert!(h.iter().all(|j| j.state == "done"), "{h:?}");
    let mut due: Vec<(i64, String)> = h.iter().map(|j| (j.due_at, j.target.clone())).collect();
    due.sort();
    due.dedup();
    assert_eq!(due.len(), 6, "each run and destination once");

    // A folder that cannot be made: the run fails, and the history says why.
    let blocker = tmp.path().join("a-file");
    std::fs::write(&blocker, "not a folder").unwrap();
    db.with(|c| {
        jobs::update(
            c,
            id,
            &ReportScheduleInput {
                name: "Shift report".into(),
                kind: Kind::Shift,
                format: Format::Pdf,
                run_at: "shift".into(),
                folder: Some(blocker.join("sub").display().to_string()),
                usb: false,
                enabled: true,
            },
            t1,
        )
        .unwrap();
        Ok::<_, StoreError>(())
    })
    .unwrap();
    let t2 = start + 32 * HOUR + 5 * MIN; // after the next Early shift
    let ran = db.with(|c| run_due(c, t2, &no_stick, &tmpdir)).unwrap();
    assert_eq!(ran.len(), 1);
    let h = history(&db);
    let failed: Vec<&ReportJob> = h.iter().filter(|j| j.state == "failed").collect();
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0].due_at, start + 32 * HOUR);
    let err = failed[0].error.as_deref().unwrap();
    assert!(err.contains("cannot make the folder"), "{err}");
    let s = db
        .with(|c| Ok::<_, StoreError>(jobs::list(c, &cal).unwrap()))
        .unwrap();
    assert_eq!(s[0].failures, 1);
    assert_eq!(s[0].next_run, Some(start + 40 * HOUR));
}
