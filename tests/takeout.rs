//! The full export (issue 17, item 2) of the running demo: interrupted at about half,
//! continued on the same folder, then loaded without Plantlog by Python's pyarrow,
//! pandas and DuckDB (scripts/install-deps installs them), whose per-tag counts and
//! checksums must equal what the database holds.

use std::sync::atomic::{AtomicBool, Ordering};

use plantlog::sample::{TagId, Value};
use plantlog::store::raw;
use plantlog::takeout::{self, Options, TakeoutError};
use serde_json::Value as Json;
use sha2::{Digest, Sha256};

use crate::util::TestPlant;

/// Reads the export back with pyarrow, pandas and DuckDB and prints, per tag, the count
/// and SHA-256 of (ts as int64 LE, value as float64 LE with 0 for none, quality as int32
/// LE) in time order, from the Parquet files and from the CSV files; and the row counts
/// of the tables' CSV files and the rollups. A FLOAT file's values are read as the
/// schema tells a user to: through their shortest decimal. DuckDB reads both folders as
/// one table by name, with every value a DOUBLE.
const CHECK: &str = r#"
import sys, json, glob, os, hashlib
import numpy as np, pandas as pd, pyarrow as pa, pyarrow.compute as pc, pyarrow.parquet as pq, duckdb
d = sys.argv[1]
def digest(df):
    out = {}
    for tag, g in df.sort_values(['tag_id', 'ts']).groupby('tag_id', sort=True):
        h = hashlib.sha256()
        h.update(g['ts'].to_numpy(dtype='<i8').tobytes())
        h.update(g['value'].fillna(0.0).to_numpy(dtype='<f8').tobytes())
        h.update(g['quality'].to_numpy(dtype='<i4').tobytes())
        out[str(int(tag))] = [len(g), h.hexdigest()]
    return out
def part(sub, kind):
    p = os.path.join(d, 'samples', 'parquet', sub)
    if not os.path.isdir(p):
        return None
    t = pq.read_table(p)
    assert t.schema.field('value').type == kind, (sub, t.schema)
    v = t['value']
    if kind == pa.float32():
        # Plantlog's value of a single is the double of its shortest decimal.
        v = pc.cast(pc.cast(v, pa.string()), pa.float64())
    return pd.DataFrame({
        'tag_id': t['tag_id'].to_numpy(),
        'ts': t['ts'].cast(pa.int64()).to_numpy(),
        'value': v.to_numpy(zero_copy_only=False),
        'quality': t['quality'].to_numpy(),
    })
parts = [x for x in [part('float', pa.float32()), part('double', pa.float64())] if x is not None]
pq_df = pd.concat(parts)
singles = len(glob.glob(os.path.join(d, 'samples', 'parquet', 'float', '*.parquet')))
cols = "{'tag_id':'BIGINT','ts_ms':'BIGINT','time_utc':'VARCHAR','value':'DOUBLE','text':'VARCHAR','quality':'INTEGER'}"
csv_glob = os.path.join(d, 'samples', 'csv', '*.csv')
csv_df = duckdb.sql(f"SELECT tag_id, ts_ms AS ts, value, quality FROM read_csv('{csv_glob}', header=true, columns={cols})").df()
duck = duckdb.sql(f"SELECT tag_id, count(*), typeof(any_value(value)) FROM read_parquet('{os.path.join(d, 'samples', 'parquet', '*', '*.parquet')}', union_by_name = true) GROUP BY 1").fetchall()
duck_counts = {str(k): v for k, v, _ in duck}
assert {t for _, _, t in duck} == {'DOUBLE'}, duck
tables = {os.path.basename(f)[:-4]: len(pd.read_csv(f, dtype=str, keep_default_na=False)) for f in glob.glob(os.path.join(d, 'tables', '*.csv'))}
rollups = {n: [len(pd.read_parquet(os.path.join(d, 'rollups', n + '.parquet'))), len(pd.read_csv(os.path.join(d, 'rollups', n + '.csv')))] for n in ['rollup_1m', 'rollup_1h']}
schema = json.load(open(os.path.join(d, 'schema.json')))
print(json.dumps({'parquet': digest(pq_df), 'csv': digest(csv_df), 'duckdb_counts': duck_counts, 'singles': singles,
                  'tables': tables, 'rollups': rollups, 'schema_tables': [x['name'] for x in schema['tables']]}))
"#;

/// What the database holds per tag up to `until`, digested as CHECK does.
fn db_digest(conn: &rusqlite::Connection, until: i64) -> serde_json::Map<String, Json> {
    let mut out = serde_json::Map::new();
    let mut tags: Vec<TagId> = conn
        .prepare("SELECT id FROM tags UNION SELECT DISTINCT tag_id FROM blocks ORDER BY 1")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    tags.extend(plantlog::store::hot::tags(conn).unwrap());
    tags.sort_unstable();
    tags.dedup();
    for tag in tags {
        let s = raw::read(conn, tag, 0, until).unwrap();
        if s.is_empty() {
            continue;
        }
        let mut h = Sha256::new();
        for x in &s {
            h.update(x.ts.to_le_bytes());
        }
        for x in &s {
            let v = match x.raw_value() {
                Some(Value::Number(v)) => *v,
                _ => 0.0,
            };
            h.update(v.to_le_bytes());
        }
        for x in &s {
            h.update((x.quality.code() as i32).to_le_bytes());
        }
        out.insert(
            tag.to_string(),
            serde_json::json!([s.len(), hex::encode(h.finalize())]),
        );
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_full_export_resumes_and_loads_into_pandas_and_duckdb_equal_to_the_database() {
    let plant = TestPlant::start().await;
    let db = plant.demo.running.core.db().clone();
    let dir = tempfile::tempdir().unwrap();
    let to = dir.path().join("takeout");

    // Interrupted at about half of its parts.
    let (db1, to1) = (db.clone(), to.clone());
    let first = tokio::task::spawn_blocking(move || {
        let cancel = AtomicBool::new(false);
        let mut half = 0;
        let r = takeout::export(
            &db1,
            &Options {
                csv_rows: 2000,
                ..Options::new(to1)
            },
            &mut |p| {
                if p.parts_done * 2 >= p.parts_total && p.parts_total > 0 {
                    half = p.parts_done;
                    cancel.store(true, Ordering::Relaxed);
                }
            },
            &cancel,
        );
        (r, half)
    })
    .await
    .unwrap();
    assert!(
        matches!(first.0, Err(TakeoutError::Cancelled)),
        "{:?}",
        first.0
    );
    let state = takeout::State::read(&to).unwrap().unwrap();
    assert!(!state.complete);
    assert!(state.parts.len() >= first.1, "{:?}", state.parts.keys());
    assert!(!to.join("SHA256SUMS").exists());
    // A file a killed run left half-written is swept away.
    std::fs::write(to.join("tables").join("half.csv.part"), b"x").unwrap();

    // Continued on the same folder.
    let (db2, to2) = (db.clone(), to.clone());
    let out = tokio::task::spawn_blocking(move || {
        takeout::export(
            &db2,
            &Options {
                csv_rows: 2000,
                ..Options::new(to2)
            },
            &mut |_| {},
            &AtomicBool::new(false),
        )
    })
    .await
    .unwrap()
    .unwrap();
    assert!(
        out.parts_resumed >= state.parts.len() && out.parts_resumed * 3 >= out.parts,
        "{out:?}"
    );
    assert!(!to.join("tables").join("half.csv.part").exists());
    assert!(out.sample_rows > 10_000, "{out:?}");
    // SHA256SUMS lists every file and each matches.
    let sums = std::fs::read_to_string(to.join("SHA256SUMS")).unwrap();
    assert_eq!(sums.lines().count() + 1, out.files);
    for line in sums.lines() {
        let (sha, name) = line.split_once("  ").unwrap();
        assert_eq!(takeout::sha_of(&to.join(name)).unwrap().0, sha, "{name}");
    }
    // Several CSV chunks per tag at 2000 rows each.
    let csvs = std::fs::read_dir(to.join("samples").join("csv"))
        .unwrap()
        .count();
    let parquets: usize = ["float", "double"]
        .iter()
        .map(|w| {
            std::fs::read_dir(to.join("samples").join("parquet").join(w)).map_or(0, |d| d.count())
        })
        .sum();
    assert!(csvs > parquets, "{csvs} CSV, {parquets} Parquet");

    let py = std::process::Command::new("python3")
        .arg("-c")
        .arg(CHECK)
        .arg(&to)
        .output()
        .expect("python3 runs (scripts/install-deps)");
    assert!(
        py.status.success(),
        "python3 with pyarrow, pandas and duckdb (scripts/install-deps): {}",
        String::from_utf8_lossy(&py.stderr)
    );
    let got: Json = serde_json::from_slice(&py.stdout).unwrap();

    let until = out.until_ms;
    let (want, tables, r1h, r1m) = db
        .sql(move |c| {
            let want = db_digest(c, until);
            let mut tables = serde_json::Map::new();
            for t in takeout::schema::tables(c)? {
                if takeout::schema::encoded(&t).is_none() {
                    let n: i64 =
                        c.query_row(&format!("SELECT count(*) FROM \"{t}\""), [], |r| r.get(0))?;
                    tables.insert(t, n.into());
                }
            }
            let r1h: i64 = c.query_row(
                "SELECT count(*) FROM rollup_1h WHERE t < ?1",
                [until],
                |r| r.get(0),
            )?;
            let r1m: i64 = c.query_row(
                "SELECT count(*) FROM rollup_1m WHERE hour < ?1",
                [until],
                |r| r.get(0),
            )?;
            Ok((want, tables, r1h, r1m))
        })
        .unwrap();
    assert!(want.len() > 20, "tags with samples: {}", want.len());
    // The demo's float32 readings are in FLOAT files, its energy counters are not.
    let singles = got["singles"].as_u64().unwrap() as usize;
    assert!(
        singles > 10 && singles < parquets,
        "{singles} of {parquets} FLOAT"
    );
    assert_eq!(
        got["parquet"],
        Json::Object(want.clone()),
        "Parquet per tag"
    );
    assert_eq!(got["csv"], Json::Object(want.clone()), "CSV per tag");
    for (tag, v) in &want {
        assert_eq!(got["duckdb_counts"][tag], v[0], "DuckDB count of tag {tag}");
    }
    // Every table is there; those the running demo does not change have the
    // database's counts (the audit log, production hours, sessions grow as it runs).
    for (t, n) in &tables {
        let exported = got["tables"][t]
            .as_i64()
            .unwrap_or_else(|| panic!("tables/{t}.csv"));
        if [
            "users",
            "tags",
            "devices",
            "machines",
            "config_versions",
            "reasons",
        ]
        .contains(&t.as_str())
        {
            assert_eq!(exported, n.as_i64().unwrap(), "table {t}");
        } else {
            assert!(exported <= n.as_i64().unwrap(), "table {t}");
        }
    }
    assert_eq!(got["rollups"]["rollup_1h"][0], r1h);
    assert_eq!(got["rollups"]["rollup_1h"][1], r1h);
    // Minute rollups are stored an hour per row.
    assert!(got["rollups"]["rollup_1m"][0].as_i64().unwrap() >= r1m);
    let names: Vec<&str> = got["schema_tables"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    for t in [
        "users",
        "audit",
        "tags",
        "samples",
        "rollup_1m",
        "rollup_1h",
    ] {
        assert!(names.contains(&t), "{t} in schema.json: {names:?}");
    }
    let md = std::fs::read_to_string(to.join("schema.md")).unwrap();
    assert!(
        md.contains("## Quality codes")
            && md.contains("no_answer")
            && md.contains("UTC milliseconds")
    );
    let users = std::fs::read_to_string(to.join("tables").join("users.csv")).unwrap();
    assert!(
        users.contains("(withheld)") && !users.contains("$argon2"),
        "{users}"
    );

    // Parquet alone (`--only parquet`) writes a tag's rows straight from its blocks'
    // columns: with the same cut-off (a state of no parts yet), the same Parquet files,
    // byte for byte, as the export checked above.
    let only = dir.path().join("parquet-only");
    std::fs::create_dir_all(&only).unwrap();
    let mut seed = takeout::State::read(&to).unwrap().unwrap();
    seed.parts.clear();
    seed.complete = false;
    seed.formats = takeout::Formats {
        parquet: true,
        csv: false,
    };
    std::fs::write(
        only.join(takeout::STATE_FILE),
        serde_json::to_vec(&seed).unwrap(),
    )
    .unwrap();
    let decoded = |stages: Vec<(takeout::stages::Stage, f64)>| {
        stages
            .iter()
            .find(|s| s.0 == takeout::stages::Stage::Decode)
            .unwrap()
            .1
    };
    let before = decoded(takeout::stages::seconds());
    let (db3, only3) = (db.clone(), only.clone());
    let out3 = tokio::task::spawn_blocking(move || {
        takeout::export(
            &db3,
            &Options::new(only3),
            &mut |_| {},
            &AtomicBool::new(false),
        )
    })
    .await
    .unwrap()
    .unwrap();
    assert!(
        decoded(takeout::stages::seconds()) > before,
        "blocks decoded to columns"
    );
    assert_eq!(out3.sample_rows, out.sample_rows);
    let mut compared = 0;
    for sub in ["samples/parquet/float", "samples/parquet/double", "rollups"] {
        for e in std::fs::read_dir(to.join(sub)).unwrap() {
            let path = e.unwrap().path();
            if path.extension().is_some_and(|x| x == "parquet") {
                let name = path.file_name().unwrap();
                assert!(
                    std::fs::read(&path).unwrap()
                        == std::fs::read(only.join(sub).join(name)).unwrap(),
                    "{sub}/{name:?} differs"
                );
                compared += 1;
            }
        }
    }
    assert_eq!(compared, parquets + 2);
    assert!(!only.join("samples").join("csv").exists());
    plant.stop().await;
}

fn contains(hay: &[u8], needle: &str) -> bool {
    hay.windows(needle.len()).any(|w| w == needle.as_bytes())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_forgotten_user_is_nowhere_in_the_database_file_or_its_wal_but_their_actions_remain() {
    let plant = TestPlant::start().await;
    let admin = plant.client(plantlog::auth::Role::Admin).await;
    let db = plant.demo.running.core.db().clone();
    let (user, display, password) = ("zkowalczyk", "Zygmunt Kowalczyk", "Plum-Orchard-Lantern-42");
    let r = admin
        .post(plant.url("/api/users"))
        .json(&serde_json::json!({"username": user, "display_name": display, "role": "operator", "password": password}))
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success(), "{}", r.text().await.unwrap());
    // They log in (audited under their name) twice.
    for _ in 0..2 {
        let c = crate::util::anonymous();
        let r = c
            .post(plant.url("/api/login"))
            .json(&serde_json::json!({"username": user, "password": password}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    }
    let path = db.path().to_path_buf();
    let wal = path.with_file_name(format!(
        "{}-wal",
        path.file_name().unwrap().to_string_lossy()
    ));
    let mut before = std::fs::read(&path).unwrap();
    before.extend(std::fs::read(&wal).unwrap_or_default());
    assert!(contains(&before, user) && contains(&before, display));

    // Planned: what would change.
    let plan: Json = admin
        .post(plant.url("/api/forget/user/plan"))
        .json(&serde_json::json!({"name": user}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let pseudo = plan["pseudonym"].as_str().unwrap().to_string();
    assert!(plan["audit_records"].as_i64().unwrap() >= 3, "{plan}");
    assert!(
        plan["holdings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|h| h["table"] == "audit"),
        "{plan}"
    );
    // Not done without the name typed again.
    let r = admin
        .post(plant.url("/api/forget/user"))
        .json(&serde_json::json!({"name": user, "confirm": "zk"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    let r = admin
        .post(plant.url("/api/forget/user"))
        .json(&serde_json::json!({"name": user, "confirm": user}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap_or_default());
    let done: Json = r.json().await.unwrap();
    assert_eq!(done["pseudonym"], pseudo.as_str());
    assert!(done["audit_rewritten"].as_i64().unwrap() >= 3, "{done}");

    let mut after = std::fs::read(&path).unwrap();
    let wal_after = std::fs::read(&wal).unwrap_or_default();
    after.extend(&wal_after);
    for name in [user, display, "Kowalczyk"] {
        assert!(
            !contains(&after, name),
            "{name} is still in the database file or its WAL"
        );
    }
    // Their actions remain, under the pseudonym, and the chain verifies.
    let (logins, chain, noted) = db
        .sql(move |c| {
            let logins: i64 = c.query_row(
                "SELECT count(*) FROM audit WHERE actor = ?1 AND action LIKE 'login%'",
                [&pseudo],
                |r| r.get(0),
            )?;
            let noted: i64 = c.query_row(
                "SELECT count(*) FROM audit WHERE action = 'user.anonymise' AND target = ?1",
                [&pseudo],
                |r| r.get(0),
            )?;
            Ok((logins, plantlog::auth::audit::verify(c)?, noted))
        })
        .unwrap();
    assert!(logins >= 2, "logins under the pseudonym: {logins}");
    assert!(chain.intact(), "{chain:?}");
    assert_eq!(noted, 1);
    // The account cannot sign in any more.
    let r = crate::util::anonymous()
        .post(plant.url("/api/login"))
        .json(&serde_json::json!({"username": user, "password": password}))
        .send()
        .await
        .unwrap();
    assert_ne!(r.status(), 200);
    plant.stop().await;
}

/// No phone-home (issue 17, item 4): the demo runs for 40 s under strace, which logs
/// every connect() and sendto() of every thread; each one to an internet address must
/// go to a configured device (the demo's simulated machines, in the configuration) or
/// to Plantlog's own server. The demo has no SMTP server and no central server set up,
/// so nothing else is allowed. Local IPC (Unix sockets: the OS keyring's D-Bus) and
/// netlink (the list of network interfaces) are not network connections.
#[cfg(target_os = "linux")]
#[test]
fn the_demo_connects_to_nothing_but_its_configured_devices() {
    use std::collections::BTreeSet;
    use std::process::{Command, Stdio};
    use std::time::{Duration, Instant};

    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let trace = dir.path().join("trace.txt");
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut strace = Command::new("strace")
        .args(["-f", "-qq", "-e", "trace=connect,sendto,sendmsg", "-o"])
        .arg(&trace)
        .arg(env!("CARGO_BIN_EXE_plantlog"))
        .arg("demo")
        .arg("--data-dir")
        .arg(&data)
        .args(["--port", &port.to_string()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("strace (scripts/install-deps) runs");
    // Plantlog is strace's child.
    let started = Instant::now();
    let child = loop {
        let kids = std::fs::read_to_string(format!("/proc/{0}/task/{0}/children", strace.id()))
            .unwrap_or_default();
        if let Some(pid) = kids.split_whitespace().next() {
            break pid.to_string();
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "plantlog did not start"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    // Some use while it runs: the web UI's API.
    let deadline = Instant::now() + Duration::from_secs(40);
    while Instant::now() < deadline {
        let _ = std::net::TcpStream::connect(("127.0.0.1", port)).map(|mut s| {
            use std::io::Write;
            let _ = s.write_all(b"GET /api/health HTTP/1.0\r\n\r\n");
        });
        std::thread::sleep(Duration::from_secs(2));
    }
    let alive = std::path::Path::new(&format!("/proc/{child}")).exists();
    let _ = Command::new("kill").args(["-TERM", &child]).status();
    let waited = Instant::now();
    while strace.try_wait().unwrap().is_none() {
        if waited.elapsed() > Duration::from_secs(20) {
            let _ = strace.kill();
        }
        std::thread::sleep(Duration::from_millis(100));
    }

    let config = Command::new(env!("CARGO_BIN_EXE_plantlog"))
        .args(["config", "export", "--data-dir"])
        .arg(&data)
        .output()
        .unwrap();
    let config = String::from_utf8_lossy(&config.stdout).into_owned();
    // Each device's `host = "..."` and the `port = N` that follows it.
    let mut allowed: BTreeSet<String> = BTreeSet::new();
    let mut host: Option<String> = None;
    for line in config.lines() {
        let line = line.trim();
        if let Some(h) = line.strip_prefix("host = ") {
            host = Some(h.trim_matches('"').to_string());
        } else if let Some(p) = line.strip_prefix("port = ")
            && let Some(h) = host.take()
        {
            allowed.insert(format!("{h}:{p}"));
        }
    }
    assert!(
        !allowed.is_empty(),
        "devices in the configuration: {config}"
    );
    allowed.insert(format!("127.0.0.1:{port}"));

    let text = std::fs::read_to_string(&trace).unwrap();
    assert!(
        alive,
        "Plantlog stopped before the 40 s were up: {}",
        text.lines()
            .filter(|l| l.contains("+++") || l.contains("---"))
            .take(20)
            .collect::<Vec<_>>()
            .join("\n")
    );
    let inet = regex::Regex::new(
        r#"sa_family=AF_INET6?, sin6?_port=htons\((\d+)\)(?:, sin6_flowinfo=[^,]*)?, (?:sin_addr=inet_addr\("([^"]+)"\)|inet_pton\(AF_INET6, "([^"]+)")"#,
    )
    .unwrap();
    let mut seen = BTreeSet::new();
    let mut devices = 0;
    for line in text.lines() {
        for c in inet.captures_iter(line) {
            let addr = c.get(2).or(c.get(3)).unwrap().as_str();
            let addr = addr.strip_prefix("::ffff:").unwrap_or(addr);
            let to = format!("{addr}:{}", &c[1]);
            assert!(
                allowed.contains(&to),
                "Plantlog connected to {to}, which is neither a configured device nor its own server:\n{line}\nallowed: {allowed:?}"
            );
            if to != format!("127.0.0.1:{port}") {
                devices += 1;
            }
            seen.insert(to);
        }
    }
    // The trace saw the collector's connections: it would see any other.
    assert!(
        devices > 0,
        "no connection to a device was seen: {text:.2000}"
    );
    eprintln!("connections seen: {seen:?}");
}

/// Rows per table of a plan or a removal, as a map.
fn per_table(v: &Json) -> std::collections::BTreeMap<String, i64> {
    v["tables"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| {
            (
                h["table"].as_str().unwrap().to_string(),
                h["rows"].as_i64().unwrap(),
            )
        })
        .collect()
}

async fn post(c: &reqwest::Client, url: String, body: Json) -> (u16, Json) {
    let r = c.post(url).json(&body).send().await.unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Json::Null))
}

/// Deleting a machine's whole history and everything of a data class before a time
/// (issue 17, item 3): planned, refused without the typed confirmation, done, audited,
/// and the file shrinks. On the running demo through the API (it records on, so its
/// newest rows may grow between plan and run; what is older than the run is gone), then
/// on the stopped plant's database, where the plan's counts equal what is removed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_machines_history_and_a_class_before_a_time_go_as_planned_and_the_space_returns() {
    use plantlog::takeout::history;
    let plant = TestPlant::start().await;
    let admin = plant.client(plantlog::auth::Role::Admin).await;
    let operator = plant.client(plantlog::auth::Role::Operator).await;
    let db = plant.demo.running.core.db().clone();

    // A machine, through the API.
    let (s, plan) = post(
        &admin,
        plant.url("/api/forget/machine/plan"),
        serde_json::json!({"name": "press-1"}),
    )
    .await;
    assert_eq!(s, 200, "{plan}");
    let planned = per_table(&plan);
    assert!(planned.get("blocks").copied().unwrap_or(0) > 0, "{plan}");
    // Its quality records are in the plan: the demo's lots on press-1 with their checks,
    // and the material issued to it (unlinked, not removed).
    let quality_of =
        |v: &serde_json::Value| per_table(&serde_json::json!({"tables": v["quality"].clone()}));
    let planned_quality = quality_of(&plan);
    for t in ["production_lots", "quality_checks", "material_moves"] {
        assert!(
            planned_quality.get(t).copied().unwrap_or(0) > 0,
            "{t} in {plan}"
        );
    }
    let stock = |c: &rusqlite::Connection| -> rusqlite::Result<(i64, f64)> {
        c.query_row(
            "SELECT count(*), coalesce(sum(CASE kind WHEN 'issue' THEN -quantity WHEN 'scrap' THEN -quantity ELSE quantity END), 0) FROM material_moves",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
    };
    let stock_before = db.sql(move |c| stock(c)).unwrap();
    assert!(plan["samples"].as_i64().unwrap() > 0, "{plan}");
    assert!(!plan["tags"].as_array().unwrap().is_empty(), "{plan}");
    let (s, _) = post(
        &operator,
        plant.url("/api/forget/machine"),
        serde_json::json!({"name": "press-1", "confirm": "press-1"}),
    )
    .await;
    assert_eq!(s, 403);
    let (s, _) = post(
        &admin,
        plant.url("/api/forget/machine"),
        serde_json::json!({"name": "press-1", "confirm": "press"}),
    )
    .await;
    assert_eq!(s, 400);
    let (s, again) = post(
        &admin,
        plant.url("/api/forget/machine/plan"),
        serde_json::json!({"name": "press-1"}),
    )
    .await;
    assert_eq!(s, 200);
    assert!(
        per_table(&again)["blocks"] >= planned["blocks"],
        "a refusal removed nothing"
    );
    let run_start = plantlog::sample::now_ms();
    let (s, done) = post(
        &admin,
        plant.url("/api/forget/machine"),
        serde_json::json!({"name": "press-1", "confirm": "press-1"}),
    )
    .await;
    assert_eq!(s, 200, "{done}");
    let removed = per_table(&done);
    for (t, n) in &planned {
        assert!(
            removed.get(t).copied().unwrap_or(0) >= *n,
            "{t}: planned {n}, {done}"
        );
    }
    assert!(
        done["bytes_after"].as_i64().unwrap() < done["bytes_before"].as_i64().unwrap(),
        "{done}"
    );
    let (left, audited) = db
        .sql(move |c| {
            let left: i64 = c.query_row(
                "SELECT (SELECT count(*) FROM blocks WHERE t0 < ?1 - 120000 AND tag_id IN
                     (SELECT t.id FROM tags t JOIN machines m ON m.id = t.machine_id WHERE m.key = 'press-1'))
                  + (SELECT count(*) FROM rollup_1h WHERE t < ?1 - 3600000 AND tag_id IN
                     (SELECT t.id FROM tags t JOIN machines m ON m.id = t.machine_id WHERE m.key = 'press-1'))",
                [run_start],
                |r| r.get(0),
            )?;
            let audited: i64 = c.query_row(
                "SELECT count(*) FROM audit WHERE action = 'machine.history_deleted' AND target = 'press-1'",
                [],
                |r| r.get(0),
            )?;
            Ok((left, audited))
        })
        .unwrap();
    assert_eq!(left, 0, "press-1's older history is gone");
    assert_eq!(audited, 1);
    let removed_quality = quality_of(&done);
    for (t, n) in &planned_quality {
        assert!(
            removed_quality.get(t).copied().unwrap_or(0) >= *n,
            "{t}: planned {n}, {done}"
        );
    }
    let (lots, orphans, linked, stock_after, detail) = db
        .sql(move |c| {
            let lots: i64 = c.query_row(
                "SELECT count(*) FROM production_lots WHERE machine_key = 'press-1'",
                [],
                |r| r.get(0),
            )?;
            let orphans: i64 = c.query_row(
                "SELECT (SELECT count(*) FROM quality_checks WHERE lot_id NOT IN (SELECT id FROM production_lots))
                      + (SELECT count(*) FROM lot_scrap WHERE lot_id NOT IN (SELECT id FROM production_lots))
                      + (SELECT count(*) FROM quality_dispositions WHERE check_id NOT IN (SELECT id FROM quality_checks))",
                [],
                |r| r.get(0),
            )?;
            let linked: i64 = c.query_row(
                "SELECT count(*) FROM material_moves WHERE machine_key = 'press-1'",
                [],
                |r| r.get(0),
            )?;
            let detail: String = c.query_row(
                "SELECT detail FROM audit WHERE action = 'machine.history_deleted' AND target = 'press-1'",
                [],
                |r| r.get(0),
            )?;
            Ok((lots, orphans, linked, stock(c)?, detail))
        })
        .unwrap();
    assert_eq!(lots, 0, "press-1's lots are gone");
    assert_eq!(
        orphans, 0,
        "no check, scrap or disposition is left without its lot"
    );
    assert_eq!(linked, 0, "no move names press-1 any more");
    assert_eq!(
        stock_after, stock_before,
        "the moves stay (unlinked), so stock on hand is what it was"
    );
    assert!(detail.contains("production_lots"), "{detail}");

    // Raw samples before a time, through the API: old blocks are not written any more,
    // so the plan equals the removal even while the plant records.
    let before = jiff::Timestamp::from_millisecond(plantlog::sample::now_ms() - 3_600_000)
        .unwrap()
        .to_string();
    let (s, plan) = post(
        &admin,
        plant.url("/api/forget/before/plan"),
        serde_json::json!({"class": "raw", "before": before}),
    )
    .await;
    assert_eq!(s, 200, "{plan}");
    assert!(plan["rows"].as_i64().unwrap() > 0, "{plan}");
    let (s, _) = post(
        &admin,
        plant.url("/api/forget/before"),
        serde_json::json!({"class": "raw", "before": before, "confirm": "raw"}),
    )
    .await;
    assert_eq!(s, 400);
    let (s, _) = post(
        &admin,
        plant.url("/api/forget/before/plan"),
        serde_json::json!({"class": "raw", "before": "2999-01-01"}),
    )
    .await;
    assert_eq!(s, 400, "a date in the future is refused");
    let (s, done) = post(
        &admin,
        plant.url("/api/forget/before"),
        serde_json::json!({"class": "raw", "before": before, "confirm": format!("raw before {before}")}),
    )
    .await;
    assert_eq!(s, 200, "{done}");
    assert_eq!(
        per_table(&done)["blocks"],
        plan["rows"].as_i64().unwrap(),
        "{plan} {done}"
    );
    assert_eq!(done["samples"], plan["samples"], "{plan} {done}");
    let (s, after) = post(
        &admin,
        plant.url("/api/forget/before/plan"),
        serde_json::json!({"class": "raw", "before": before}),
    )
    .await;
    assert_eq!(s, 200);
    assert_eq!(after["rows"], 0, "{after}");
    let before_ms = plantlog::takeout::history::parse_date(&before).unwrap();
    let (purged, audited) = db
        .sql(move |c| {
            let purged: i64 = c.query_row(
                "SELECT rows FROM purges WHERE class = 'raw' AND before_ts = ?1",
                [before_ms],
                |r| r.get(0),
            )?;
            let audited: i64 = c.query_row(
                "SELECT count(*) FROM audit WHERE action = 'data.deleted_before' AND target = 'raw'",
                [],
                |r| r.get(0),
            )?;
            Ok((purged, audited))
        })
        .unwrap();
    assert_eq!(
        purged,
        plan["rows"].as_i64().unwrap(),
        "in the purge history"
    );
    assert_eq!(audited, 1);

    // Stopped: nothing records, so a plan is exactly what goes.
    let path = db.path().to_path_buf();
    drop(db);
    let crate::util::TestPlant { demo, _dir, .. } = plant;
    demo.running.shutdown().await;
    let db = plantlog::store::Db::open(&path).unwrap();
    let actor = plantlog::auth::audit::Actor {
        id: None,
        name: "test".into(),
        client: "local".into(),
    };
    let (plan, done, again, free) = db
        .with(|c| {
            let plan = history::plan_machine(c, "press-2")?;
            let done = history::forget_machine(c, &plan, &actor)?;
            let again = history::plan_machine(c, "press-2")?;
            let free: i64 = c.query_row("PRAGMA freelist_count", [], |r| r.get(0))?;
            Ok::<_, plantlog::takeout::forget::ForgetError>((plan, done, again, free))
        })
        .unwrap();
    assert!(plan.samples > 0 && !plan.tables.is_empty(), "{plan:?}");
    assert_eq!(plan.tables, done.tables, "the plan is what was removed");
    assert_eq!(plan.samples, done.samples);
    assert_eq!((again.samples, again.tables.len()), (0, 0), "{again:?}");
    assert!(done.bytes_after < done.bytes_before, "{done:?}");
    assert_eq!(free, 0, "VACUUM left no free pages");
    // Hour rollups before now: all of them, exactly as planned.
    let now = plantlog::sample::now_ms();
    let archive = _dir.path().join("archive");
    let (plan, done) = db
        .with(|c| {
            let plan = history::plan_before(c, plantlog::store::retention::Class::Hour, now)?;
            let done = history::forget_before(c, &plan, &archive, &actor)?;
            Ok::<_, history::BeforeError>((plan, done))
        })
        .unwrap();
    assert!(plan.rows > 0, "{plan:?}");
    assert_eq!(done.tables[0].rows, plan.rows, "{plan:?} {done:?}");
}

/// The data folder's entries and the database's size.
fn listing(dir: &std::path::Path) -> (Vec<String>, u64) {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let db = std::fs::metadata(dir.join("plantlog.db")).map_or(0, |m| m.len());
    (names, db)
}

fn reset(dir: &std::path::Path, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_plantlog"))
        .arg("factory-reset")
        .args(args)
        .arg("--data-dir")
        .arg(dir)
        .output()
        .unwrap()
}

/// `plantlog factory-reset` (issue 17, item 3): refused while Plantlog runs and with a
/// wrong confirmation (nothing changes); with the phrase and --export-to, the final
/// export is made and verifies, then the data folder is empty.
#[cfg(unix)]
#[test]
fn a_factory_reset_exports_first_then_empties_the_folder_and_refuses_otherwise() {
    let dir = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    let to = out.path().join("final");
    let to_s = to.to_str().unwrap();
    let (mut demo, _, _) = crate::restart::start_demo(dir.path());
    std::thread::sleep(std::time::Duration::from_secs(3));
    // Running: the folder is locked.
    let r = reset(
        dir.path(),
        &["--confirm", "delete everything", "--export-to", to_s],
    );
    let err = String::from_utf8_lossy(&r.stderr).into_owned();
    assert!(!r.status.success());
    assert!(err.contains("stop Plantlog"), "{err}");
    assert!(dir.path().join("plantlog.db").exists());
    assert!(!to.join("SHA256SUMS").exists());
    let pid = demo.id().to_string();
    crate::util::sh("kill", &["-TERM", &pid]);
    demo.wait().unwrap();

    // A wrong confirmation changes nothing.
    let (names, size) = listing(dir.path());
    assert!(
        names.contains(&"plantlog.db".to_string()) && size > 0,
        "{names:?}"
    );
    let r = reset(
        dir.path(),
        &["--confirm", "delete all", "--export-to", to_s],
    );
    let err = String::from_utf8_lossy(&r.stderr).into_owned();
    assert!(!r.status.success());
    assert!(err.contains("nothing was removed"), "{err}");
    assert_eq!(listing(dir.path()), (names.clone(), size));
    assert!(!to.exists(), "no export without the confirmation");

    // The phrase: the final export first, verified, then everything goes.
    let r = reset(
        dir.path(),
        &["--confirm", "delete everything", "--export-to", to_s],
    );
    let text = String::from_utf8_lossy(&r.stdout).into_owned();
    assert!(
        r.status.success(),
        "{text}{}",
        String::from_utf8_lossy(&r.stderr)
    );
    let sums = std::fs::read_to_string(to.join("SHA256SUMS")).unwrap();
    let mut files = 0;
    for line in sums.lines() {
        let (hash, name) = line.split_once("  ").unwrap();
        let bytes = std::fs::read(to.join(name)).unwrap();
        assert_eq!(hex::encode(Sha256::digest(&bytes)), hash, "{name}");
        files += 1;
    }
    assert!(files > 10, "{sums}");
    assert!(to.join("tables").join("users.csv").exists());
    let (left, _) = listing(dir.path());
    assert!(left.is_empty(), "left in the data folder: {left:?}");
}
