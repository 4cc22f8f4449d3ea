//! USB export (issue 11) onto real filesystems on loop devices: FAT32 made by
//! mkfs.vfat and mounted with fusefat (this kernel has no vfat module; the issue allows
//! a FUSE mount of the image), ext2 mounted by the kernel where the free-space check
//! needs a filesystem that reports its size (fusefat reports none). Needs root (CI runs
//! as root), losetup, mkfs.vfat, fusefat, mkfs.ext2 (scripts/install-deps).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::AtomicBool;

use plantlog::removable::write::{self, Stage, WriteError};

use crate::util::sh;

/// A filesystem image on a loop device, mounted; unmounted and detached on drop.
struct Stick {
    dir: tempfile::TempDir,
    img: PathBuf,
    dev: String,
    mnt: PathBuf,
    fuse: bool,
}

impl Stick {
    fn new(mb: u64, fat32: bool) -> Stick {
        let dir = tempfile::tempdir().unwrap();
        let img = dir.path().join("stick.img");
        let mnt = dir.path().join("mnt");
        std::fs::create_dir(&mnt).unwrap();
        sh(
            "truncate",
            &["-s", &format!("{mb}M"), img.to_str().unwrap()],
        );
        if fat32 {
            sh(
                "mkfs.vfat",
                &["-F", "32", "-n", "PLANTLOG", img.to_str().unwrap()],
            );
        } else {
            sh("mkfs.ext2", &["-q", "-F", img.to_str().unwrap()]);
        }
        let dev = sh("losetup", &["-f", "--show", img.to_str().unwrap()])
            .trim()
            .to_string();
        let mut s = Stick {
            dir,
            img,
            dev,
            mnt,
            fuse: fat32,
        };
        s.mount();
        s
    }

    fn mount(&mut self) {
        if self.fuse {
            sh(
                "fusefat",
                &["-o", "rw+", &self.dev, self.mnt.to_str().unwrap()],
            );
        } else {
            sh("mount", &[&self.dev, self.mnt.to_str().unwrap()]);
        }
    }

    fn unmount(&self) {
        let m = self.mnt.to_str().unwrap();
        let _ = if self.fuse {
            Command::new("fusermount").args(["-u", m]).output()
        } else {
            Command::new("umount").arg(m).output()
        };
    }
}

impl Drop for Stick {
    fn drop(&mut self) {
        self.unmount();
        let _ = Command::new("losetup").args(["-d", &self.dev]).output();
        let _ = &self.dir;
    }
}

/// `n` lines of samples with a header.
fn samples(n: usize) -> Vec<u8> {
    let mut v = b"ts,tag,value,quality\n".to_vec();
    for i in 0..n {
        v.extend_from_slice(
            format!(
                "2026-03-02T06:{:02}:{:02}.000Z,press-1/count,{i},good\n",
                i / 60 % 60,
                i % 60
            )
            .as_bytes(),
        );
    }
    v
}

fn ls(p: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(p)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

#[test]
fn an_export_to_fat32_is_split_under_the_limit_and_verified_by_its_checksums() {
    let stick = Stick::new(48, true);
    let tmp = tempfile::tempdir().unwrap();
    // A configurable split size stands in for FAT32's 4 GiB (a 5 GiB export would not
    // fit this machine's disk budget): 1 MiB parts.
    let split = 1 << 20;
    let mut stage = Stage::new(tmp.path(), split).unwrap();
    let csv = samples(60_000);
    stage
        .add_csv("samples", "raw samples of press-1/count", |w| {
            w.write_all(&csv)
        })
        .unwrap();
    stage
        .add("report.pdf", "shift report", b"%PDF-1.7 not really")
        .unwrap();
    let names: Vec<_> = stage.files().iter().map(|f| f.name.clone()).collect();
    assert_eq!(
        names,
        [
            "samples-part1.csv",
            "samples-part2.csv",
            "samples-part3.csv",
            "report.pdf"
        ]
    );
    let mut seen = Vec::new();
    let cancel = AtomicBool::new(false);
    let w = write::write(
        &stage,
        &stick.mnt,
        "Demo Plant 2026-03-02",
        "Plant: Demo Plant\nBy: anna\n",
        split,
        &mut |p| seen.push(p.clone()),
        &cancel,
    )
    .unwrap();
    assert_eq!(seen.last().unwrap().phase, "done");
    assert!(seen.iter().any(|p| p.phase == "verifying"));
    assert_eq!(seen.last().unwrap().bytes_done, stage.bytes());
    // Read from the device afresh: unmount, mount again, check with sha256sum.
    stick.unmount();
    let mut stick = stick;
    stick.mount();
    let folder = stick.mnt.join("Demo Plant 2026-03-02");
    assert_eq!(Path::new(&w.folder), folder);
    assert_eq!(
        ls(&folder),
        [
            "MANIFEST.txt",
            "SHA256SUMS",
            "report.pdf",
            "samples-part1.csv",
            "samples-part2.csv",
            "samples-part3.csv"
        ]
    );
    let out = Command::new("sha256sum")
        .args(["-c", "SHA256SUMS"])
        .current_dir(&folder)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}");
    assert_eq!(text.matches(": OK").count(), 5, "{text}");
    // Each part under the limit, each with the header, together the whole.
    let mut joined = Vec::new();
    for i in 1..=3 {
        let part = std::fs::read(folder.join(format!("samples-part{i}.csv"))).unwrap();
        assert!(part.len() as u64 <= split);
        assert!(part.starts_with(b"ts,tag,value,quality\n"));
        joined.extend_from_slice(if i == 1 { &part[..] } else { &part[21..] });
    }
    assert!(joined == csv);
    let manifest = std::fs::read_to_string(folder.join("MANIFEST.txt")).unwrap();
    assert!(manifest.contains("Plant: Demo Plant"));
    assert!(manifest.contains("samples-part2.csv\t"));
    assert!(manifest.contains("raw samples of press-1/count (part 2 of 3)"));
}

#[test]
fn a_full_stick_is_refused_before_anything_is_written() {
    let stick = Stick::new(8, false);
    let before = ls(&stick.mnt);
    let tmp = tempfile::tempdir().unwrap();
    let mut stage = Stage::new(tmp.path(), write::FAT32_MAX).unwrap();
    let csv = samples(200_000);
    assert!(csv.len() > 8 << 20);
    stage
        .add_csv("samples", "raw samples", |w| w.write_all(&csv))
        .unwrap();
    let err = write::write(
        &stage,
        &stick.mnt,
        "Demo Plant 2026-03-02",
        "",
        write::FAT32_MAX,
        &mut |_| {},
        &AtomicBool::new(false),
    )
    .unwrap_err();
    assert!(matches!(err, WriteError::NotEnoughSpace { .. }), "{err}");
    assert!(err.to_string().contains("free space on it"), "{err}");
    assert_eq!(ls(&stick.mnt), before, "nothing written");
}

#[test]
fn a_stick_pulled_mid_write_gives_a_clear_error_and_no_file_named_complete() {
    let stick = Stick::new(48, true);
    let tmp = tempfile::tempdir().unwrap();
    let mut stage = Stage::new(tmp.path(), write::FAT32_MAX).unwrap();
    stage.add("first.pdf", "a report", &[7u8; 300_000]).unwrap();
    let big: Vec<u8> = (0..20_000_000u32).map(|i| (i % 251) as u8).collect();
    stage.add("samples.bin", "raw samples", &big).unwrap();
    let snap = stick.dir.path().join("pulled.img");
    let mut pulled = false;
    let err = write::write(
        &stage,
        &stick.mnt,
        "Demo Plant 2026-03-02",
        "",
        write::FAT32_MAX,
        &mut |p| {
            if !pulled && p.bytes_done > 4_000_000 {
                pulled = true;
                // What the stick holds when pulled, then the device gone: its size
                // cut to 1 MiB, so every read and write beyond fails.
                std::fs::copy(&stick.img, &snap).unwrap();
                sh("truncate", &["-s", "1M", stick.img.to_str().unwrap()]);
                sh("losetup", &["-c", &stick.dev]);
            }
        },
        &AtomicBool::new(false),
    )
    .unwrap_err();
    assert!(pulled);
    let msg = err.to_string();
    assert!(matches!(err, WriteError::Write { .. }), "{msg}");
    assert!(msg.contains("samples.bin"), "{msg}");
    assert!(msg.contains("the drive may have been removed"), "{msg}");
    assert!(msg.contains("Demo Plant 2026-03-02 is incomplete"), "{msg}");
    // The stick as it was pulled: the file being written has no complete name, and
    // there is no checksum list.
    stick.unmount();
    let _ = Command::new("losetup").args(["-d", &stick.dev]).output();
    let dev = sh("losetup", &["-f", "--show", snap.to_str().unwrap()])
        .trim()
        .to_string();
    let mnt = stick.dir.path().join("again");
    std::fs::create_dir(&mnt).unwrap();
    sh("fusefat", &["-o", "ro", &dev, mnt.to_str().unwrap()]);
    let top = ls(&mnt);
    let inside = std::fs::read_dir(mnt.join("Demo Plant 2026-03-02"))
        .map(|rd| {
            rd.map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
        })
        .unwrap_or_default();
    let _ = Command::new("fusermount")
        .args(["-u", mnt.to_str().unwrap()])
        .output();
    let _ = Command::new("losetup").args(["-d", &dev]).output();
    // (What fusefat had flushed by then: the folder may not be on the device yet.)
    assert!(
        top.iter()
            .all(|n| n == "PLANTLOG" || n == "Demo Plant 2026-03-02"),
        "{top:?}"
    );
    assert!(!inside.iter().any(|n| n == "samples.bin"), "{inside:?}");
    assert!(!inside.iter().any(|n| n == "SHA256SUMS"), "{inside:?}");
}

/// `plantlog export` on the demo plant's data folder to a FAT32 stick: the reports,
/// samples, configuration and audit log arrive with checksums that verify, and the
/// export is in the audit log with its folder, size and checksum.
#[test]
fn plantlog_export_writes_a_verified_folder_and_audits_it() {
    use plantlog::auth::audit::{self, Actor};
    use plantlog::store::{DataDir, Db, StoreError};
    let stick = Stick::new(48, true);
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let db = Db::open(&DataDir::create(&data).unwrap().database()).unwrap();
    let cfg = plantlog::sim::demo::plant_config(
        |_| std::net::SocketAddr::from(([127, 0, 0, 1], 1502)),
        "UTC",
    );
    db.with(|c| {
        Ok::<_, StoreError>(plantlog::config::import(
            c,
            &cfg,
            &plantlog::config::export(&cfg),
            plantlog::config::Base::Any,
            &Actor::command_line(),
        ))
    })
    .unwrap()
    .unwrap();
    let plant = db
        .with(|c| Ok::<_, StoreError>(plantlog::config::load_plant(c)))
        .unwrap()
        .unwrap();
    let now = plantlog::sample::now_ms();
    let from = now - 3 * 3_600_000;
    plantlog::sim::demo::generate_history(&db, &plant, &plantlog::sim::demo::specs(), from, now)
        .unwrap();
    drop(db);
    let out = Command::new(env!("CARGO_BIN_EXE_plantlog"))
        .args([
            "export",
            "--to",
            stick.mnt.to_str().unwrap(),
            "--from",
            &from.to_string(),
            "--until",
            &now.to_string(),
            "--reports",
            "production:pdf,shift:csv",
            "--tags",
            "press-1-plc/count",
            "--config",
            "--audit",
            "--data-dir",
            data.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("Safe to remove."), "{stdout}");
    let folder = stick.mnt.join(
        ls(&stick.mnt)
            .into_iter()
            .find(|n| n.starts_with("Demo Plant "))
            .unwrap(),
    );
    let files = ls(&folder);
    for want in [
        "SHA256SUMS",
        "MANIFEST.txt",
        "samples.csv",
        "configuration.toml",
        "audit-log.csv",
    ] {
        assert!(files.iter().any(|f| f == want), "{want} in {files:?}");
    }
    assert!(
        files
            .iter()
            .any(|f| f.starts_with("production-") && f.ends_with(".pdf"))
    );
    assert!(
        files
            .iter()
            .any(|f| f.starts_with("shift-") && f.ends_with(".csv"))
    );
    let check = Command::new("sha256sum")
        .args(["-c", "SHA256SUMS"])
        .current_dir(&folder)
        .output()
        .unwrap();
    assert!(check.status.success());
    assert_eq!(
        String::from_utf8_lossy(&check.stdout)
            .matches(": OK")
            .count(),
        files.len() - 1
    );
    let sums = std::fs::read(folder.join("SHA256SUMS")).unwrap();
    let sums_sha = hex::encode(<sha2::Sha256 as sha2::Digest>::digest(&sums));
    let db = Db::open(&DataDir::create(&data).unwrap().database()).unwrap();
    let log = db.sql(|c| audit::list(c, 10, None)).unwrap();
    let e = log
        .iter()
        .find(|e| e.action == "export.removable")
        .expect("the export audited");
    assert_eq!(Path::new(&e.target), folder);
    assert!(e.detail.contains(&sums_sha), "{}", e.detail);
    assert!(
        e.detail.contains("configuration, audit log"),
        "{}",
        e.detail
    );
}

/// Cancel takes effect at any stage of an export to a FAT32 stick: before it starts,
/// while the raw samples are being prepared on the PC (before the stick is touched),
/// and while files are being written to the stick. Each time the export ends with a
/// clear "cancelled", the stick holds nothing of it, no staged file is left on the PC,
/// and the audit log has the cancelled export.
#[test]
fn a_cancelled_export_leaves_the_stick_clean_at_any_stage() {
    use plantlog::auth::audit::{self, Actor};
    use plantlog::core::report::{DriveExport, ReportItem, export_to_drive};
    use plantlog::report::{Format, Kind, Options};
    use plantlog::sample::Sample;
    use plantlog::store::{DataDir, Db, StoreError};
    use std::sync::Arc;
    use std::sync::atomic::Ordering;

    let stick = Stick::new(48, true);
    let before = ls(&stick.mnt);
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let db = Db::open(&DataDir::create(&data).unwrap().database()).unwrap();
    let cfg = plantlog::sim::demo::plant_config(
        |_| std::net::SocketAddr::from(([127, 0, 0, 1], 1502)),
        "UTC",
    );
    db.with(|c| {
        Ok::<_, StoreError>(plantlog::config::import(
            c,
            &cfg,
            &plantlog::config::export(&cfg),
            plantlog::config::Base::Any,
            &Actor::command_line(),
        ))
    })
    .unwrap()
    .unwrap();
    let plant = db
        .with(|c| Ok::<_, StoreError>(plantlog::config::load_plant(c)))
        .unwrap()
        .unwrap();
    let tag = plant.tag_id("press-1-plc", "count").unwrap();
    // Two weeks of one tag at 1 Hz: long enough to prepare that a cancel lands in it.
    let day = 86_400_000i64;
    let until = (plantlog::sample::now_ms() / day - 1) * day;
    let from = until - 14 * day;
    for d in 0..14 {
        let t0 = from + d * day;
        let s: Vec<Sample> = (0..86_400)
            .map(|i| Sample::good(tag, t0 + i * 1000, (i % 1000) as f64))
            .collect();
        db.sql(|c| plantlog::store::backfill::backfill(c, s))
            .unwrap();
    }
    let req = DriveExport {
        to: stick.mnt.clone(),
        from,
        until,
        reports: vec![ReportItem {
            kind: Kind::Production,
            format: Format::Pdf,
            from: until - day,
            to: until,
            by: None,
            stem: None,
            tags: Vec::new(),
        }],
        tags: vec!["press-1-plc/count".into()],
        config: true,
        audit: true,
        max_file: write::FAT32_MAX,
    };
    let stage_dir = tmp.path().join("stage");
    let staged_files = |dir: &Path| -> Vec<PathBuf> {
        let mut v = Vec::new();
        if let Ok(rd) = std::fs::read_dir(dir) {
            for e in rd.flatten() {
                if let Ok(inner) = std::fs::read_dir(e.path()) {
                    v.extend(inner.flatten().map(|f| f.path()));
                }
            }
        }
        v
    };
    let actor = Actor::command_line();

    // 1. Cancelled before it starts.
    let cancel = AtomicBool::new(true);
    let err = db
        .with(|c| {
            export_to_drive(
                c,
                &req,
                &actor,
                &stage_dir,
                &Options::default(),
                &mut |_| {},
                &cancel,
            )
        })
        .unwrap_err();
    assert!(err.to_string().contains("cancelled"), "{err}");
    assert_eq!(ls(&stick.mnt), before);
    assert!(staged_files(&stage_dir).is_empty());

    // 2. Cancelled while the raw samples are being prepared on the PC: a watcher sets
    // the flag once the samples' file is being staged.
    let cancel = Arc::new(AtomicBool::new(false));
    let done = Arc::new(AtomicBool::new(false));
    let watcher = {
        let (cancel, done, dir) = (cancel.clone(), done.clone(), stage_dir.clone());
        std::thread::spawn(move || {
            while !done.load(Ordering::Relaxed) {
                let staging_samples =
                    std::fs::read_dir(&dir)
                        .into_iter()
                        .flatten()
                        .flatten()
                        .any(|e| {
                            std::fs::read_dir(e.path())
                                .into_iter()
                                .flatten()
                                .flatten()
                                .any(|f| f.file_name().to_string_lossy() == "samples.whole")
                        });
                if staging_samples {
                    cancel.store(true, Ordering::Relaxed);
                    return true;
                }
                std::thread::sleep(std::time::Duration::from_millis(1));
            }
            false
        })
    };
    let mut wrote = false;
    let r = db.with(|c| {
        export_to_drive(
            c,
            &req,
            &actor,
            &stage_dir,
            &Options::default(),
            &mut |_| wrote = true,
            &cancel,
        )
    });
    done.store(true, Ordering::Relaxed);
    assert!(watcher.join().unwrap(), "the samples were staged");
    let err = r.unwrap_err();
    assert!(
        err.to_string()
            .contains("cancelled before anything was written to the drive"),
        "{err}"
    );
    assert!(!wrote, "the stick was not touched");
    assert_eq!(ls(&stick.mnt), before);
    assert!(
        staged_files(&stage_dir).is_empty(),
        "{:?}",
        staged_files(&stage_dir)
    );

    // 3. Cancelled while writing to the stick: what was written is removed.
    let cancel = AtomicBool::new(false);
    let mut ticks = 0;
    let err = db
        .with(|c| {
            export_to_drive(
                c,
                &req,
                &actor,
                &stage_dir,
                &Options::default(),
                &mut |p| {
                    if p.phase == "writing" && p.bytes_done > 0 {
                        ticks += 1;
                        cancel.store(true, Ordering::Relaxed);
                    }
                },
                &cancel,
            )
        })
        .unwrap_err();
    assert!(ticks > 0);
    assert!(
        err.to_string()
            .contains("what it had written to the drive was removed"),
        "{err}"
    );
    // Read from the device afresh.
    stick.unmount();
    let mut stick = stick;
    stick.mount();
    assert_eq!(
        ls(&stick.mnt),
        before,
        "the stick holds nothing of the export"
    );
    assert!(staged_files(&stage_dir).is_empty());

    // Each cancelled export is in the audit log.
    let log = db.sql(|c| audit::list(c, 20, None)).unwrap();
    let failed: Vec<_> = log
        .iter()
        .filter(|e| e.action == "export.removable_failed")
        .collect();
    assert_eq!(failed.len(), 3, "{log:?}");
    assert!(failed.iter().all(|e| e.detail.contains("cancelled")));
}
