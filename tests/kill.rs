//! The crash test: `plantlog run` collects 200 tags at 10 Hz from simulated devices
//! while this harness kills it with SIGKILL at random moments: during writes, while
//! the compactor packs samples loaded into closed windows (and merges late ones into
//! windows already packed), and while `plantlog backup now` copies the database (the
//! backup is killed at random too). After every kill:
//!
//! - `PRAGMA quick_check` is ok (`integrity_check` and the checks over the whole
//!   database every tenth kill, every hundredth in a long run, and at the end);
//! - every sample the writer reported committed (its commit journal, `PLANTLOG_COMMIT_JOURNAL`,
//!   see src/store/journal.rs) is in the database with its time, quality and value,
//!   exactly once; so is every loaded sample;
//! - no tag has two samples at one time (hot rows and blocks counted without merging);
//! - every backup folder that looks complete (no `.partial`, no `.failed`) verifies;
//! - samples older than the raw retention (2 days here, loaded every fourth round, so
//!   each run's retention job purges them at its start, killed at random in its turn)
//!   are each still in the database or in a whole archive file (a file with its final
//!   name decompresses to the end), never gone unarchived.
//!
//! `PLANTLOG_KILLS` sets the number of kills (12 here; CI's extended stage runs 1,000).

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use rand::{RngExt, SeedableRng};
use rusqlite::{Connection, OpenFlags};

use plantlog::sample::{Quality, Sample, TagId};
use plantlog::sim::simulator::{MachineParams, SimKind, SimSpec, Simulator, machine_map};
use plantlog::store::journal::{self, Entry};
use plantlog::store::raw;

const MACHINES: usize = 40;
/// The tags of each simulated machine: name, register, type, scale.
const TAGS: &[(&str, u16, &str, f64)] = &[
    ("state", machine_map::STATE, "u16", 1.0),
    ("count", machine_map::COUNT, "u32", 1.0),
    ("temperature", machine_map::TEMPERATURE, "i16", 0.1),
    ("current", machine_map::CURRENT, "u16", 0.01),
    ("cycle_time", machine_map::CYCLE_TIME, "f32", 1.0),
];

fn plantlog(data: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_plantlog"));
    c.arg("--data-dir").arg(data);
    c
}

fn must(c: &mut Command) -> String {
    let out = c.output().unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "{c:?}: {text}");
    text
}

fn config(sim: &Simulator) -> String {
    let mut toml = String::from("[site]\nname = \"Crash test plant\"\ntimezone = \"UTC\"\n\n");
    for i in 0..MACHINES {
        toml.push_str(&format!(
            "[[machines]]\nkey = \"m{i:02}\"\nname = \"Machine {i}\"\n\n"
        ));
    }
    for i in 0..MACHINES {
        let key = format!("m{i:02}-plc");
        let addr = sim.addr(&key).unwrap();
        toml.push_str(&format!(
            "[[devices]]\nkey = \"{key}\"\nprotocol = \"modbus-tcp\"\nhost = \"{}\"\nport = {}\npoll_ms = 100\ntimeout_ms = 500\n\n",
            addr.ip(),
            addr.port()
        ));
        for (name, address, ty, scale) in TAGS {
            toml.push_str(&format!(
                "[[devices.tags]]\nname = \"{name}\"\nmachine = \"m{i:02}\"\nfunction = \"holding\"\naddress = {address}\ntype = \"{ty}\"\nscale = {scale}\n\n"
            ));
        }
    }
    toml
}

fn open(data: &Path) -> Connection {
    Connection::open_with_flags(
        data.join("plantlog.db"),
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .unwrap()
}

fn tag_ids(conn: &Connection) -> HashMap<String, TagId> {
    let mut stmt = conn
        .prepare(
            "SELECT d.key || '/' || t.name, t.id FROM tags t JOIN devices d ON d.id = t.device_id",
        )
        .unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

/// Checks that the samples of each entry's tag in its range are exactly the entry's,
/// reading each tag's range once.
fn check_entries(conn: &Connection, entries: &[Entry], what: &str) {
    let mut by_tag: HashMap<TagId, Vec<&Entry>> = HashMap::new();
    for e in entries {
        by_tag.entry(e.tag).or_default().push(e);
    }
    for (tag, list) in by_tag {
        let from = list.iter().map(|e| e.first).min().unwrap();
        let to = list.iter().map(|e| e.last).max().unwrap();
        let found = raw::read(conn, tag, from, to + 1).unwrap();
        for e in list {
            let start = found.partition_point(|s| s.ts < e.first);
            let end = found.partition_point(|s| s.ts <= e.last);
            let got = journal::summarize(&found[start..end]);
            assert_eq!(
                got,
                vec![*e],
                "{what}: tag {} from {} to {}: the database holds {} samples, {} were committed",
                e.tag,
                e.first,
                e.last,
                end - start,
                e.count
            );
        }
    }
}

/// No tag has two samples at one time: the hot rows and the blocks, counted as stored.
fn check_no_duplicates(conn: &Connection, tags: &[TagId]) -> usize {
    let mut total = 0;
    for &tag in tags {
        let mut all = raw::blocks(conn, tag, 0, i64::MAX / 4).unwrap();
        all.extend(raw::hot(conn, tag, 0, i64::MAX / 4).unwrap());
        all.sort_by_key(|s| s.ts);
        for w in all.windows(2) {
            assert_ne!(w[0].ts, w[1].ts, "tag {tag} has two samples at {}", w[0].ts);
        }
        total += all.len();
    }
    total
}

fn check_db(conn: &Connection, full: bool) {
    let pragma = if full {
        "integrity_check"
    } else {
        "quick_check"
    };
    let ok: String = conn
        .query_row(&format!("PRAGMA {pragma}"), [], |r| r.get(0))
        .unwrap();
    assert_eq!(ok, "ok", "PRAGMA {pragma}");
}

/// Every backup that looks complete verifies; returns (complete, left unfinished). A
/// backup verified at an earlier check (its name in `verified`) is not read again.
fn check_backups(root: &Path, verified: &mut HashSet<String>) -> (usize, usize) {
    let dir = root.join("Plantlog");
    let Ok(read) = std::fs::read_dir(&dir) else {
        return (0, 0);
    };
    let (mut complete, mut unfinished) = (0, 0);
    for entry in read {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        if name.ends_with(".partial") || name.ends_with(".failed") {
            unfinished += 1;
            continue;
        }
        complete += 1;
        if verified.contains(&name) {
            continue;
        }
        let (_, verification) = plantlog::backup::verify::verify(&path)
            .unwrap_or_else(|e| panic!("backup {name} looks complete but: {e}"));
        assert!(
            verification.passed,
            "backup {name} looks complete but fails verification: {verification:?}"
        );
        verified.insert(name);
    }
    (complete, unfinished)
}

/// Samples for `tags` at 1 Hz over ten minutes that closed an hour before now (or, when
/// `late`, a few inside a window the compactor packed already), written as the CSV
/// `plantlog import samples` reads.
fn old_samples(
    rng: &mut rand::rngs::StdRng,
    names: &[(String, TagId)],
    round: usize,
    csv: &Path,
) -> Vec<Sample> {
    let now = plantlog::sample::now_ms();
    let window = 600_000;
    // Each round its own past window, far from the live samples and from each other.
    let start = (now - 3_600_000 - round as i64 * window) / window * window;
    let mut text = String::from("time,tag,value,quality\n");
    let mut samples = Vec::new();
    for (name, id) in names {
        for s in 0..600 {
            let ts = start + s * 1000 + rng.random_range(0..1000);
            if rng.random_bool(0.05) {
                text.push_str(&format!("{ts},{name},,no_answer\n"));
                samples.push(Sample::bad(*id, ts, Quality::NoAnswer));
            } else {
                let v = f64::from(rng.random_range(-5000..5000_i32)) / 8.0;
                text.push_str(&format!("{ts},{name},{v},good\n"));
                samples.push(Sample::good(*id, ts, v));
            }
        }
    }
    std::fs::write(csv, text).unwrap();
    samples
}

/// Samples for `tags` at 1 Hz over ten minutes three days and more ago, past the raw
/// retention of two days, as CSV for `plantlog import samples`.
fn expired_samples(
    rng: &mut rand::rngs::StdRng,
    names: &[(String, TagId)],
    round: usize,
    csv: &Path,
) -> Vec<(String, i64)> {
    let window = 600_000;
    let start =
        (plantlog::sample::now_ms() - 3 * 86_400_000 - round as i64 * window) / window * window;
    let mut text = String::from("time,tag,value,quality\n");
    let mut samples = Vec::new();
    for (name, _) in names {
        for s in 0..600 {
            let ts = start + s * 1000 + rng.random_range(0..1000);
            let v = f64::from(rng.random_range(-5000..5000_i32)) / 8.0;
            text.push_str(&format!("{ts},{name},{v},good\n"));
            samples.push((name.clone(), ts));
        }
    }
    std::fs::write(csv, text).unwrap();
    samples
}

/// The (tag, time) of every sample in the whole raw archive files of the retention job;
/// a file with its final name must decompress and parse to its end. Returns the samples
/// and the number of `.partial` files left by kills.
fn archived(dir: &Path) -> (HashSet<(String, i64)>, usize) {
    let mut found = HashSet::new();
    let mut partial = 0;
    let Ok(read) = std::fs::read_dir(dir) else {
        return (found, 0);
    };
    for entry in read {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        if name.ends_with(".partial") {
            partial += 1;
            continue;
        }
        if !name.starts_with("raw-until-") {
            continue;
        }
        let gz = flate2::read::GzDecoder::new(std::fs::File::open(&path).unwrap());
        let mut csv = csv::Reader::from_reader(gz);
        for rec in csv.records() {
            let rec = rec.unwrap_or_else(|e| panic!("archive {name} is not whole: {e}"));
            let ts: jiff::Timestamp = rec[2].parse().unwrap();
            found.insert((format!("{}/{}", &rec[0], &rec[1]), ts.as_millisecond()));
        }
    }
    (found, partial)
}

/// Every expired sample is in the database or in a whole archive file; returns how many
/// were still in the database.
fn check_expired(
    conn: &Connection,
    ids: &HashMap<String, TagId>,
    expired: &[(String, i64)],
    archive: &Path,
) -> usize {
    let mut by_tag: HashMap<&str, Vec<i64>> = HashMap::new();
    for (name, ts) in expired {
        by_tag.entry(name).or_default().push(*ts);
    }
    // The database first, then the archive: a running retention job archives before it
    // removes, so a sample gone from the database is in the archive read after it.
    let stored: HashMap<&str, HashSet<i64>> = by_tag
        .iter()
        .map(|(name, times)| {
            let (from, to) = (*times.iter().min().unwrap(), *times.iter().max().unwrap());
            let found = raw::read(conn, ids[*name], from, to + 1).unwrap();
            (*name, found.iter().map(|s| s.ts).collect())
        })
        .collect();
    let (in_archive, _) = archived(archive);
    let mut in_db = 0;
    for (name, times) in by_tag {
        let stored = &stored[name];
        for ts in times {
            if stored.contains(&ts) {
                in_db += 1;
            } else {
                assert!(
                    in_archive.contains(&(name.to_string(), ts)),
                    "{name} at {ts}: purged by retention but in no whole archive file"
                );
            }
        }
    }
    in_db
}

/// The journal's whole lines after `offset`, moving `offset` past them (a line cut by a
/// kill is left for the next read, as `journal::parse` leaves it).
fn read_journal(path: &Path, offset: &mut u64) -> Vec<Entry> {
    use std::io::{Read, Seek, SeekFrom};
    let Ok(mut file) = std::fs::File::open(path) else {
        return Vec::new();
    };
    file.seek(SeekFrom::Start(*offset)).unwrap();
    let mut text = String::new();
    file.read_to_string(&mut text).unwrap();
    let whole = text.rfind('\n').map_or(0, |i| i + 1);
    *offset += whole as u64;
    journal::parse(&text[..whole])
}

fn kill(child: &mut Child) {
    let _ = child.kill(); // SIGKILL
    let _ = child.wait();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigkill_at_random_moments_loses_and_doubles_nothing_committed() {
    let kills: usize = std::env::var("PLANTLOG_KILLS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(12);
    let seed: u64 = std::env::var("PLANTLOG_KILL_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(rand::random);
    eprintln!("crash test: {kills} kills, seed {seed} (PLANTLOG_KILL_SEED to repeat)");
    let mut rng = rand::rngs::StdRng::seed_from_u64(seed);

    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let backups = dir.path().join("backups");
    std::fs::create_dir_all(&backups).unwrap();
    let journal_path = dir.path().join("commit-journal");

    let params = MachineParams {
        cycle_s: 2.0,
        run_temp: 48.0,
        ambient_temp: 22.0,
        run_current: 18.0,
        idle_current: 0.6,
        rated_kw: 15.0,
        stops_per_hour: 5.0,
        breakdowns_per_day: 1.0,
    };
    let specs: Vec<SimSpec> = (0..MACHINES)
        .map(|i| SimSpec {
            key: format!("m{i:02}-plc"),
            kind: SimKind::Machine(params.clone()),
        })
        .collect();
    let sim = Simulator::start(&specs, &HashMap::new()).await.unwrap();
    let config_file = dir.path().join("plant.toml");
    std::fs::write(&config_file, config(&sim)).unwrap();
    must(plantlog(&data).args(["config", "import"]).arg(&config_file));

    let ids = tag_ids(&open(&data));
    assert_eq!(ids.len(), MACHINES * TAGS.len(), "200 tags configured");
    // Raw samples kept two days, archived before they go.
    open(&data)
        .execute_batch(
            "INSERT OR REPLACE INTO settings (key, value) VALUES ('retention.raw_days', '2'), ('retention.archive', 'true')",
        )
        .unwrap();
    let archive = data.join("archive");
    let mut expired: Vec<(String, i64)> = Vec::new();
    let mut names: Vec<(String, TagId)> = ids.clone().into_iter().collect();
    names.sort();
    let all_tags: Vec<TagId> = names.iter().map(|(_, id)| *id).collect();

    let mut loaded: Vec<Entry> = Vec::new();
    // Every commit so far, read from the journal as it grows (from where the last read
    // ended, so each kill reads only the new lines).
    let mut entries: Vec<Entry> = Vec::new();
    let mut journal_offset = 0u64;
    let mut verified = HashSet::new();
    let mut checking = Duration::ZERO;
    let mut committed = 0u64;
    let mut backups_started = 0;
    // The whole database is checked every tenth kill (every hundredth in a long run).
    let full_every = if kills > 100 { 100 } else { 10 };
    let started = Instant::now();
    for k in 0..kills {
        // Every fourth round, samples of 20 tags loaded into a closed window first,
        // which the next run's compactor packs at its start.
        if k % 4 == 0 {
            let csv: PathBuf = dir.path().join("old.csv");
            let pick: Vec<(String, TagId)> =
                names.iter().skip(k % 10).step_by(10).cloned().collect();
            let samples = old_samples(&mut rng, &pick, k / 4, &csv);
            must(plantlog(&data).args(["import", "samples"]).arg(&csv));
            loaded.extend(journal::summarize(&samples));
        }
        // Every fourth round (offset by two), samples of 20 tags past the retention.
        if k % 4 == 2 {
            let csv: PathBuf = dir.path().join("expired.csv");
            let pick: Vec<(String, TagId)> =
                names.iter().skip(k % 7).step_by(10).cloned().collect();
            expired.extend(expired_samples(&mut rng, &pick, k / 4, &csv));
            must(plantlog(&data).args(["import", "samples"]).arg(&csv));
        }

        let mut run = plantlog(&data)
            .args(["run", "--port", "0"])
            .env(journal::ENV, &journal_path)
            // Five commits a second instead of one: more commits to be killed in.
            .env("PLANTLOG_COMMIT_INTERVAL_MS", "200")
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let life = Duration::from_millis(rng.random_range(100..1500));
        let mut backup = None;
        if k % 3 == 1 {
            tokio::time::sleep(life / 3).await;
            backups_started += 1;
            backup = Some(
                plantlog(&data)
                    .args(["backup", "now", "--to"])
                    .arg(&backups)
                    .stdout(Stdio::null())
                    .stderr(Stdio::null())
                    .spawn()
                    .unwrap(),
            );
            tokio::time::sleep(life * 2 / 3).await;
        } else {
            tokio::time::sleep(life).await;
        }
        kill(&mut run);
        if let Some(mut b) = backup {
            // Killed in its turn half of the time, at a random moment after the run.
            if rng.random_bool(0.5) {
                tokio::time::sleep(Duration::from_millis(rng.random_range(0..400))).await;
                kill(&mut b);
            } else {
                let _ = b.wait();
            }
        }

        let checks_started = Instant::now();
        let conn = open(&data);
        let full = k % full_every == full_every - 1 || k + 1 == kills;
        check_db(&conn, full);
        let new = read_journal(&journal_path, &mut journal_offset);
        committed += new.iter().map(|e| e.count).sum::<u64>();
        check_entries(&conn, &new, &format!("kill {k}"));
        entries.extend(new);
        if full {
            check_entries(&conn, &entries, "every commit so far");
            check_entries(&conn, &loaded, "loaded samples");
            check_no_duplicates(&conn, &all_tags);
            check_backups(&backups, &mut verified);
            check_expired(&conn, &ids, &expired, &archive);
        }
        checking += checks_started.elapsed();
    }

    // One last run, not killed until its retention job has purged every expired sample
    // (at most a minute): then none is in the database and every one is archived.
    let purged_before = open(&data)
        .query_row(
            "SELECT count(*) FROM purges WHERE class = 'raw' AND samples > 0",
            [],
            |r| r.get::<_, i64>(0),
        )
        .unwrap();
    let mut run = plantlog(&data)
        .args(["run", "--port", "0"])
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    let left = loop {
        tokio::time::sleep(Duration::from_millis(500)).await;
        let left = check_expired(&open(&data), &ids, &expired, &archive);
        if left == 0 || Instant::now() > deadline {
            break left;
        }
    };
    kill(&mut run);
    assert_eq!(
        left, 0,
        "the retention job purged every expired sample within a minute"
    );
    let (_, partial_archives) = archived(&archive);

    let conn = open(&data);
    let stored = check_no_duplicates(&conn, &all_tags);
    let (complete, unfinished) = check_backups(&backups, &mut verified);
    let blocks: i64 = conn
        .query_row(
            "SELECT (SELECT count(*) FROM blocks) + (SELECT count(*) FROM blocks_fresh)",
            [],
            |r| r.get(0),
        )
        .unwrap();
    eprintln!(
        "crash test: {kills} kills in {:.0} s: {committed} samples reported committed, all there once; \
         {} loaded samples there; {stored} samples stored; {blocks} blocks; \
         {backups_started} backups started: {complete} complete and verified, {unfinished} left marked unfinished; \
         {} expired samples purged and archived ({purged_before} purges during the killed runs, \
         {partial_archives} archive files left unfinished by kills); \
         the checks after the kills took {:.0} s",
        started.elapsed().as_secs_f64(),
        loaded.iter().map(|e| e.count).sum::<u64>(),
        expired.len(),
        checking.as_secs_f64(),
    );
    assert!(committed > 0, "the runs committed samples");
    assert!(blocks > 0, "the compactor packed the loaded windows");
}
