//! A full disk while collecting: the admin is warned first, then told that readings
//! are not being stored; nothing is corrupted, nothing collected is lost, and storing
//! goes on by itself when space is freed. The data folder is on a small tmpfs mounted
//! for the test (it needs root, as CI has).

use std::io::Write;
use std::process::Command;
use std::time::Duration;

use plantlog::sim::bench;
use serde_json::Value;

use crate::peer::{Plant, until};

struct Tmpfs(tempfile::TempDir);

impl Tmpfs {
    fn mount(mb: u64) -> Option<Tmpfs> {
        let dir = tempfile::tempdir().unwrap();
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={mb}m"), "tmpfs"])
            .arg(dir.path())
            .status()
            .is_ok_and(|s| s.success());
        ok.then_some(Tmpfs(dir))
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(self.0.path()).status();
    }
}

fn free_bytes(path: &std::path::Path) -> u64 {
    fs4::statvfs(path).unwrap().available_space()
}

/// Grows `filler` until `leave` bytes are free (or the disk is full).
fn fill_to(filler: &std::path::Path, dir: &std::path::Path, leave: u64) {
    let mut f = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(filler)
        .unwrap();
    let chunk = vec![0u8; 64 * 1024];
    while free_bytes(dir) > leave + chunk.len() as u64 {
        if f.write_all(&chunk).is_err() {
            break;
        }
        let _ = f.flush();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_disk_is_reported_and_nothing_is_lost() {
    let is_root = Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.starts_with(b"0"));
    assert!(
        is_root,
        "this test mounts a small tmpfs and needs root (CI runs as root); run it as root"
    );
    let fs = Tmpfs::mount(24).expect("mount -t tmpfs works as root");
    let data = fs.0.path().join("data");

    // One device of 200 registers, every one a tag stored every poll: about 2000 rows a
    // second.
    let ports = bench::serve(1, 200).await.unwrap();
    let tags: String = (0..200)
        .map(|i| {
            format!(
                "[[devices.tags]]\nname = \"r{i}\"\nregister = {}\n",
                40001 + i
            )
        })
        .collect();
    let config = format!(
        "[site]\nname = \"Full\"\ntimezone = \"UTC\"\n\n[[devices]]\nkey = \"plc\"\nprotocol = \"modbus-tcp\"\nhost = \"127.0.0.1\"\nport = {}\npoll_ms = 100\n{tags}",
        ports[0]
    );
    let plant = Plant::start_in(&config, &data).await;
    let core = plant.running.core.clone();
    let admin = plant.admin().await;
    let base = plant.base();
    // Warn below 6 MB.
    let r = admin
        .put(format!("{base}/api/storage"))
        .json(&serde_json::json!({"raw_days": 365, "minute_days": 730, "hour_days": null, "audit_days": 1095, "archive": false, "disk_warn_mb": 6}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let alarms = || async {
        let o: Value = admin
            .get(format!("{base}/api/overview"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        o["system_alarms"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["code"].as_str().unwrap().to_string())
            .collect::<Vec<_>>()
    };
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert!(alarms().await.is_empty(), "no alarm with room to spare");

    // Below the threshold: a warning, and storing still works.
    let filler = fs.0.path().join("filler");
    fill_to(&filler, fs.0.path(), 5 * 1024 * 1024);
    let mut warned = false;
    for _ in 0..100 {
        let a = alarms().await;
        if a.contains(&"disk_low".to_string()) {
            assert!(
                !a.contains(&"storage_failed".to_string()),
                "warned before anything fails"
            );
            warned = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert!(warned, "the low disk is reported");
    let stored_before = core.writer_status().committed_samples;

    // Full: the writer stops storing and says so.
    fill_to(&filler, fs.0.path(), 0);
    let mut failed = false;
    for _ in 0..300 {
        if alarms().await.contains(&"storage_failed".to_string()) {
            failed = true;
            break;
        }
        fill_to(&filler, fs.0.path(), 0);
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert!(
        failed,
        "a full disk is reported as readings not being stored"
    );
    let st = core.writer_status();
    assert!(st.error.as_deref().unwrap_or("").contains("full"), "{st:?}");
    assert!(st.committed_samples >= stored_before);
    tokio::time::sleep(Duration::from_secs(3)).await;
    let pending = core.writer_status().pending;
    assert!(
        pending > 0,
        "readings wait in memory while the disk is full"
    );

    // Nothing is corrupted.
    let ok: String = core
        .db()
        .sql(|c| c.query_row("PRAGMA quick_check", [], |r| r.get(0)))
        .unwrap();
    assert_eq!(ok, "ok");

    // Space again: storing resumes by itself and what waited is stored.
    std::fs::remove_file(&filler).unwrap();
    until(Duration::from_secs(20), "storing to resume", || {
        let st = core.writer_status();
        st.error.is_none() && st.pending < 5000
    })
    .await;
    let st = core.writer_status();
    assert_eq!(st.dropped, 0, "nothing was dropped");
    assert!(alarms().await.iter().all(|a| a != "storage_failed"));
    let ok: String = core
        .db()
        .sql(|c| c.query_row("PRAGMA integrity_check", [], |r| r.get(0)))
        .unwrap();
    assert_eq!(ok, "ok");
    // Every poll of the whole run is stored: no stretch of a tag without samples longer
    // than a few polls (the full disk included).
    let id = core.plant().tag_id("plc", "r7").unwrap();
    let samples = plant.stored(id);
    let longest = samples.windows(2).map(|w| w[1].ts - w[0].ts).max().unwrap();
    assert!(
        longest < 1000,
        "a hole of {longest} ms in the stored samples"
    );
    assert!(
        samples
            .iter()
            .all(|s| s.quality.is_good() || s.value().is_none())
    );
    plant.stop().await;
}
