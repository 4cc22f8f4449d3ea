//! Raw export: a month of one tag at 1 Hz (2.6 million samples) comes out of a running
//! `plantlog run` as CSV, every sample once and in order, while the server's peak memory
//! grows by a small fraction of the file: the export streams.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use plantlog::auth::audit::Actor;
use plantlog::sample::{Quality, Sample};
use plantlog::store::{DataDir, Db};

const CONFIG: &str = "[site]\nname = \"Export\"\ntimezone = \"Europe/Berlin\"\n\n[[devices]]\nkey = \"oven\"\nprotocol = \"modbus-tcp\"\nhost = \"127.0.0.1\"\nport = 9\npoll_ms = 1000\n[[devices.tags]]\nname = \"temp\"\nregister = 40001\nunit = \"°C\"\n";

/// Peak resident memory of a process, in kB.
fn peak_kb(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_month_of_one_tag_streams_out_whole() {
    let dir = tempfile::tempdir().unwrap();
    let data = DataDir::create(dir.path()).unwrap();
    let db = Db::open(&data.database()).unwrap();
    db.with(|c| {
        plantlog::core::import_text(
            c,
            CONFIG,
            plantlog::config::Base::Any,
            &Actor::command_line(),
        )
    })
    .unwrap();
    let tag: i64 = db
        .sql(|c| c.query_row("SELECT id FROM tags WHERE name = 'temp'", [], |r| r.get(0)))
        .unwrap();
    // 30 days at 1 Hz, with a stretch of no answers every day.
    let t0 = 1_767_225_600_000; // 2026-01-01T00:00:00Z
    let n: i64 = 30 * 86_400;
    for day in 0..30 {
        let samples: Vec<Sample> = (day * 86_400..(day + 1) * 86_400)
            .map(|i| {
                if i % 86_400 < 60 {
                    Sample::bad(tag, t0 + i * 1000, Quality::NoAnswer)
                } else {
                    Sample::good(tag, t0 + i * 1000, 180.0 + ((i % 977) as f64) / 10.0)
                }
            })
            .collect();
        db.sql(|c| plantlog::store::backfill::backfill(c, samples))
            .unwrap();
    }
    drop(db);

    let mut child = Command::new(env!("CARGO_BIN_EXE_plantlog"))
        .args(["run", "--port", "0", "--data-dir"])
        .arg(dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    // The address (with the setup page's fragment, no admin yet) and the setup code.
    let url = lines
        .by_ref()
        .map_while(Result::ok)
        .find_map(|l| {
            l.strip_prefix("Plantlog is running at ").map(|u| {
                u.split('#')
                    .next()
                    .unwrap()
                    .trim_end_matches('/')
                    .to_string()
            })
        })
        .expect("plantlog run prints its URL");
    let code = lines
        .by_ref()
        .map_while(Result::ok)
        .find_map(|l| l.trim().strip_prefix("Setup code: ").map(str::to_string))
        .expect("plantlog run prints the setup code");
    std::thread::spawn(move || for _ in lines {});

    let (client, _) = crate::util::setup_admin(&url, &code).await;

    // Mistakes are named.
    let r = client
        .get(format!(
            "{url}/api/export/samples.csv?tags=oven/temp,oven/nope,999"
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    let e: serde_json::Value = r.json().await.unwrap();
    assert_eq!(e["code"], "unknown_tag", "{e}");
    let msg = e["message"].as_str().unwrap();
    assert!(msg.contains("oven/nope") && msg.contains("999"), "{msg}");

    let before = peak_kb(child.id());
    let r = client
        .get(format!(
            "{url}/api/export/samples.csv?tags=oven/temp&from={t0}&to={}",
            t0 + n * 1000
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "text/csv; charset=utf-8");
    assert!(
        r.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .contains("plantlog-samples-20260101T000000Z-20260131T000000Z.csv")
    );
    let mut r = r;
    let mut bytes = 0usize;
    let mut rows = 0i64;
    let mut partial = Vec::new();
    let mut first_rows = Vec::new();
    let mut last_row = String::new();
    while let Some(piece) = r.chunk().await.expect("the export finishes") {
        bytes += piece.len();
        partial.extend_from_slice(&piece);
        let end = partial
            .iter()
            .rposition(|b| *b == b'\n')
            .map_or(0, |p| p + 1);
        for line in partial[..end]
            .split(|b| *b == b'\n')
            .filter(|l| !l.is_empty())
        {
            let line = std::str::from_utf8(line).unwrap();
            if rows < 62 {
                first_rows.push(line.to_string());
            }
            last_row = line.to_string();
            rows += 1;
        }
        partial.drain(..end);
    }
    let after = peak_kb(child.id());
    child.kill().unwrap();
    child.wait().unwrap();

    assert_eq!(rows, n + 1, "the header and every sample");
    assert_eq!(
        first_rows[0],
        "time_utc,time_local,device,tag,value,unit,quality"
    );
    assert_eq!(
        first_rows[1],
        "2026-01-01T00:00:00.000Z,2026-01-01 01:00:00.000,oven,temp,,°C,no_answer"
    );
    assert_eq!(
        first_rows[61],
        "2026-01-01T00:01:00.000Z,2026-01-01 01:01:00.000,oven,temp,186,°C,good"
    );
    assert_eq!(
        last_row,
        format!(
            "2026-01-30T23:59:59.000Z,2026-01-31 00:59:59.000,oven,temp,{},°C,good",
            180.0 + (((n - 1) % 977) as f64) / 10.0
        )
    );
    let grew_kb = after.saturating_sub(before);
    eprintln!("exported {bytes} bytes; server peak memory grew {grew_kb} kB");
    assert!(bytes > 150_000_000);
    assert!(
        (grew_kb as usize) * 1024 < bytes / 10,
        "the server's peak memory grew by {grew_kb} kB for a {bytes}-byte export: it is not streaming"
    );
}
