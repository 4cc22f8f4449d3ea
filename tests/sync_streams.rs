//! The data classes beyond raw samples, end to end: `plantlog demo` with two and a half
//! hours of seeded history syncs rollups, production entries, the audit log and
//! configuration versions (not raw samples) to a central server on a throwaway
//! PostgreSQL; the central database then equals the plant's chosen classes: per tag
//! and hour the minute rollups' count and checksum and the hour's rollup, and every
//! record. The central server is stopped and started again in the middle, and a batch
//! sent again is recognised: nothing doubled.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

use plantlog_central::pgtest::PgCluster;
use rusqlite::{Connection, OpenFlags};
use serde_json::Value;

use super::{Central, add_site, plantlog, sigterm, status};
use crate::util::wait_for;

/// Per (tag, hour): minutes stored, checksum of the minutes (their times, counts and
/// value bits), and the hour row's good count, sum bits and time-weighted ms.
type HourKey = (i64, i64);
type HourSums = (i64, String, i64, u64, i64);
/// A minute as the checksum takes it: time, good, bad, sum, last value.
type MinuteKey = (i64, i64, i64, u64, u64);

/// A sum to 13 significant digits: the plant's own sums of the same samples can differ
/// in the last bit between minutes read from `rollup_1m` (summed as decimal integers)
/// and minutes rolled up again from the samples of a sparse hour (summed as doubles).
fn sum_key(sum: f64) -> u64 {
    format!("{sum:.12e}").parse::<f64>().unwrap().to_bits()
}

fn checksum(rows: &mut [MinuteKey]) -> String {
    use sha2::{Digest, Sha256};
    rows.sort();
    let mut h = Sha256::new();
    for r in rows.iter() {
        h.update(format!("{r:?};").as_bytes());
    }
    hex::encode(h.finalize())
}

/// The plant's rollups of every tag with `t < to`, as the sync reads them.
fn plant_rollups(data: &Path, to: i64) -> BTreeMap<HourKey, HourSums> {
    let conn = open(data);
    let mut out = BTreeMap::new();
    for info in plantlog::sync::streams::tags(&conn).unwrap() {
        use plantlog::store::rollup::{self, HOUR_MS, Table};
        for h in rollup::load(&conn, Table::Hour, info.id, 0, to).unwrap() {
            let minutes = rollup::minutes(&conn, info.id, h.t, h.t + HOUR_MS).unwrap();
            let mut rows: Vec<_> = minutes
                .iter()
                .map(|m| {
                    (
                        m.t,
                        m.good,
                        m.bad,
                        sum_key(m.sum),
                        m.last.map_or(0, |x| x.1.to_bits()),
                    )
                })
                .collect();
            out.insert(
                (info.id, h.t),
                (
                    rows.len() as i64,
                    checksum(&mut rows),
                    h.good,
                    sum_key(h.sum),
                    h.twa_ms,
                ),
            );
        }
    }
    out
}

async fn central_rollups(pg: &PgCluster, site: &str) -> BTreeMap<HourKey, HourSums> {
    let db = pg.connect("plantlog").await.unwrap();
    let mut minutes: BTreeMap<HourKey, Vec<MinuteKey>> = BTreeMap::new();
    for r in db
        .query(
            "SELECT m.tag_id, m.t, m.good, m.bad, m.sum, m.last FROM rollups_1m m
             JOIN sites s ON s.id = m.site_id WHERE s.name = $1",
            &[&site],
        )
        .await
        .unwrap()
    {
        let t: i64 = r.get(1);
        minutes
            .entry((r.get(0), t.div_euclid(3_600_000) * 3_600_000))
            .or_default()
            .push((
                t,
                r.get(2),
                r.get(3),
                sum_key(r.get::<_, f64>(4)),
                r.get::<_, Option<f64>>(5).map_or(0, f64::to_bits),
            ));
    }
    let mut out = BTreeMap::new();
    for r in db
        .query(
            "SELECT h.tag_id, h.t, h.good, h.sum, h.twa_ms FROM rollups_1h h
             JOIN sites s ON s.id = h.site_id WHERE s.name = $1",
            &[&site],
        )
        .await
        .unwrap()
    {
        let key: HourKey = (r.get(0), r.get(1));
        let mut rows = minutes.remove(&key).unwrap_or_default();
        out.insert(
            key,
            (
                rows.len() as i64,
                checksum(&mut rows),
                r.get(2),
                sum_key(r.get::<_, f64>(3)),
                r.get(4),
            ),
        );
    }
    assert!(
        minutes.is_empty(),
        "minutes without their hour centrally: {:?}",
        minutes.keys().collect::<Vec<_>>()
    );
    out
}

fn open(data: &Path) -> Connection {
    Connection::open_with_flags(data.join("plantlog.db"), OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap()
}

/// The plant's audit entries and configuration versions with id below the positions,
/// by kind and key, with their data.
fn plant_records(data: &Path, audit_to: i64, config_to: i64) -> BTreeMap<(String, String), Value> {
    let conn = open(data);
    let mut out = BTreeMap::new();
    let mut stmt = conn
        .prepare("SELECT id, actor, action, target, detail FROM audit WHERE id < ?1")
        .unwrap();
    for r in stmt
        .query_map([audit_to], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                serde_json::json!({
                    "actor": r.get::<_, String>(1)?, "action": r.get::<_, String>(2)?,
                    "target": r.get::<_, String>(3)?, "detail": r.get::<_, String>(4)?,
                }),
            ))
        })
        .unwrap()
    {
        let (id, v) = r.unwrap();
        out.insert(("audit".to_string(), id.to_string()), v);
    }
    let mut stmt = conn
        .prepare("SELECT id, toml FROM config_versions WHERE id < ?1")
        .unwrap();
    for r in stmt
        .query_map([config_to], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                serde_json::json!({"toml": r.get::<_, String>(1)?}),
            ))
        })
        .unwrap()
    {
        let (id, v) = r.unwrap();
        out.insert(("config_version".to_string(), id.to_string()), v);
    }
    out
}

async fn central_records(pg: &PgCluster, site: &str) -> BTreeMap<(String, String), Value> {
    let db = pg.connect("plantlog").await.unwrap();
    let mut out = BTreeMap::new();
    for r in db
        .query(
            "SELECT r.kind, r.key, r.data::text FROM records r JOIN sites s ON s.id = r.site_id
             WHERE s.name = $1 AND r.stream IN ('audit', 'config')",
            &[&site],
        )
        .await
        .unwrap()
    {
        let kind: String = r.get(0);
        let data: Value = serde_json::from_str(r.get::<_, &str>(2)).unwrap();
        let v = if kind == "audit" {
            serde_json::json!({"actor": data["actor"], "action": data["action"],
                "target": data["target"], "detail": data["detail"]})
        } else {
            serde_json::json!({"toml": data["toml"]})
        };
        out.insert((kind, r.get(1)), v);
    }
    out
}

fn stream<'a>(s: &'a Value, name: &str) -> &'a Value {
    s["streams"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["stream"] == name)
        .unwrap()
}

/// Waits until every chosen stream has nothing waiting and rollups reached `hour`.
async fn wait_streams(data: &Path, hour: i64, what: &str) -> Value {
    wait_for(Duration::from_secs(180), what, || async {
        let s = status(data);
        let done = s["streams"]
            .as_array()
            .unwrap()
            .iter()
            .all(|x| x["pending_seq"].is_null())
            && stream(&s, "rollups")["position"].as_i64().unwrap() >= hour
            && stream(&s, "audit")["position"].as_i64().unwrap() > 0
            && stream(&s, "production")["position"].as_i64().unwrap() > 0;
        done.then_some(s)
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issue14_chosen_classes_reach_postgres_once_and_raw_samples_stay() {
    let mut pg = PgCluster::start().await.unwrap();
    let url = pg.url("plantlog");
    let token = add_site(&url, "plant-a");
    let central = Central::start(&url).await;
    let base = format!("http://{}", central.addr);

    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    let mut child = plantlog(data)
        .args(["demo", "--port", "0", "--history-days", "0.1"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    {
        use std::io::BufRead;
        let mut lines = std::io::BufReader::new(child.stdout.take().unwrap()).lines();
        for line in lines.by_ref() {
            if line.unwrap().starts_with("Stop with") {
                break;
            }
        }
        std::thread::spawn(move || for _ in lines {});
    }

    // The default choice, before any is given: rollups and production.
    let token_file = data.join("token-for-test");
    std::fs::write(&token_file, &token).unwrap();
    let bad = plantlog(data)
        .args(["sync", "connect", "--url", &base, "--site", "plant-a"])
        .args(["--classes", "rollups,videos", "--token-file"])
        .arg(&token_file)
        .output()
        .unwrap();
    assert!(!bad.status.success());
    assert!(
        String::from_utf8_lossy(&bad.stderr).contains("unknown data class \"videos\""),
        "{}",
        String::from_utf8_lossy(&bad.stderr)
    );
    let out = plantlog(data)
        .args(["sync", "connect", "--url", &base, "--site", "plant-a"])
        .args(["--interval-ms", "300", "--max-backoff-ms", "1500"])
        .args([
            "--classes",
            "config, audit,production,rollups",
            "--token-file",
        ])
        .arg(&token_file)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("sending rollups, production, audit, config"),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let s = status(data);
    assert_eq!(
        s["classes"],
        serde_json::json!(["rollups", "production", "audit", "config"])
    );

    let limit = {
        let conn = open(data);
        plantlog::sync::streams::rollups_limit(&conn, plantlog::sample::now_ms()).unwrap()
    };
    assert!(
        !plant_rollups(data, limit).is_empty(),
        "the seeded history has closed hours"
    );
    let first = wait_streams(data, limit, "the first catch-up").await;

    // The central server stops and starts again; the plant goes on where it was.
    central.stop().await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    let central = Central::start(&url).await;
    let base2 = format!("http://{}", central.addr);
    let out = plantlog(data)
        .args([
            "sync",
            "connect",
            "--url",
            &base2,
            "--site",
            "plant-a",
            "--interval-ms",
            "300",
        ])
        .arg("--token-file")
        .arg(&token_file)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        status(data)["classes"],
        first["classes"],
        "connecting again without --classes keeps the choice"
    );
    let s = wait_streams(data, limit, "the second catch-up").await;
    sigterm(&mut child);

    let rollups_to = stream(&s, "rollups")["position"].as_i64().unwrap();
    let audit_to = stream(&s, "audit")["position"].as_i64().unwrap();
    let config_to = stream(&s, "config")["position"].as_i64().unwrap();
    let plant = plant_rollups(data, rollups_to);
    let central_side = central_rollups(&pg, "plant-a").await;
    assert!(!plant.is_empty());
    assert_eq!(
        plant.len(),
        central_side.len(),
        "tag-hours: plant {} central {}",
        plant.len(),
        central_side.len()
    );
    for (k, v) in &plant {
        if Some(v) != central_side.get(k) {
            let conn = open(data);
            let m = plantlog::store::rollup::minutes(&conn, k.0, k.1, k.1 + 3_600_000).unwrap();
            let db = pg.connect("plantlog").await.unwrap();
            let c: Vec<String> = db
                .query(
                    "SELECT t, good, bad, sum, last FROM rollups_1m WHERE tag_id = $1 AND t >= $2 AND t < $2 + 3600000 ORDER BY t",
                    &[&k.0, &k.1],
                )
                .await
                .unwrap()
                .iter()
                .map(|r| format!("{:?}", (r.get::<_, i64>(0), r.get::<_, i64>(1), r.get::<_, i64>(2), r.get::<_, f64>(3), r.get::<_, Option<f64>>(4))))
                .collect();
            let p: Vec<String> = m
                .iter()
                .map(|r| format!("{:?}", (r.t, r.good, r.bad, r.sum, r.last.map(|x| x.1))))
                .collect();
            let only_plant: Vec<_> = p.iter().filter(|x| !c.contains(x)).collect();
            let only_central: Vec<_> = c.iter().filter(|x| !p.contains(x)).collect();
            panic!(
                "tag {} hour {}: plant {v:?} central {:?}; only on the plant {only_plant:?}, only centrally {only_central:?}; plant minutes {p:?}",
                k.0,
                k.1,
                central_side.get(k)
            );
        }
    }
    let pr = plant_records(data, audit_to, config_to);
    let cr = central_records(&pg, "plant-a").await;
    assert!(pr.keys().any(|k| k.0 == "config_version"), "{pr:?}");
    assert_eq!(pr, cr);

    let db = pg.connect("plantlog").await.unwrap();
    // Production entries: the seeded operators' stop reasons and scrap arrived, each once.
    let plant_production: i64 = {
        let conn = open(data);
        let to = stream(&s, "production")["position"].as_i64().unwrap();
        conn.query_row(
            "SELECT (SELECT count(*) FROM stop_reasons WHERE entered_at < ?1)
                  + (SELECT count(*) FROM scrap WHERE entered_at < ?1)
                  + (SELECT count(*) FROM ideal_cycles WHERE entered_at < ?1)
                  + (SELECT count(*) FROM reasons WHERE created_at < ?1)
                  + (SELECT count(*) FROM planned_stops
                     WHERE max(entered_at, coalesce(cancelled_at, 0)) < ?1)",
            [to],
            |r| r.get(0),
        )
        .unwrap()
    };
    let central_production: i64 = db
        .query_one(
            "SELECT count(*) FROM records WHERE stream = 'production'",
            &[],
        )
        .await
        .unwrap()
        .get(0);
    assert!(plant_production > 0);
    assert_eq!(plant_production, central_production);
    // Raw samples were not chosen: none left the plant.
    let raw: i64 = db
        .query_one("SELECT count(*) FROM samples", &[])
        .await
        .unwrap()
        .get(0);
    assert_eq!(raw, 0, "raw samples were not chosen");
    // Batches of each stream are numbered 1..n without a gap, and their rows add up.
    for r in db
        .query(
            "SELECT stream, count(*), max(seq), sum(rows) FROM stream_batches GROUP BY stream",
            &[],
        )
        .await
        .unwrap()
    {
        let name: String = r.get(0);
        assert_eq!(r.get::<_, i64>(1), r.get::<_, i64>(2), "{name}");
        assert_eq!(
            r.get::<_, i64>(3),
            stream(&s, &name)["rows_sent"].as_i64().unwrap(),
            "{name}"
        );
    }
    central.stop().await;
    pg.stop().unwrap();
}
