//! Killing Plantlog with SIGKILL and starting it again: it resumes on the same
//! database without error, and the trend shows the outage as a gap.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use serde_json::{Value, json};

use crate::util::anonymous;

/// Starts `plantlog demo` on `dir`; returns the child, its URL and the supervisor's
/// password read from its output.
pub fn start_demo(dir: &std::path::Path) -> (Child, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_plantlog"))
        .args(["demo", "--port", "0", "--data-dir"])
        .arg(dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let mut lines = BufReader::new(stdout).lines();
    let mut url = None;
    let mut password = None;
    for line in lines.by_ref() {
        let line = line.unwrap();
        if let Some(u) = line.split_whitespace().find(|w| w.starts_with("http://")) {
            url = Some(u.trim_end_matches('/').to_string());
        }
        let words: Vec<&str> = line.split_whitespace().collect();
        if words.len() == 3 && words[0] == "supervisor" {
            password = Some(words[2].to_string());
        }
        if line.starts_with("Stop with") {
            break;
        }
    }
    // Keep draining so the child never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines {});
    (
        child,
        url.expect("the demo prints its URL"),
        password.expect("the demo prints the supervisor's password"),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigkill_and_restart_leaves_a_gap_not_a_line() {
    let dir = tempfile::tempdir().unwrap();
    let (mut first, _, _) = start_demo(dir.path());
    tokio::time::sleep(Duration::from_secs(5)).await;
    first.kill().unwrap(); // SIGKILL
    first.wait().unwrap();
    let killed_at = plantlog::sample::now_ms();
    tokio::time::sleep(Duration::from_secs(5)).await;

    let (mut second, url, password) = start_demo(dir.path());
    tokio::time::sleep(Duration::from_secs(5)).await;
    assert!(
        second.try_wait().unwrap().is_none(),
        "the second run keeps running"
    );

    let c = anonymous();
    let r = c
        .post(format!("{url}/api/login"))
        .json(&json!({"username": "supervisor", "password": password}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let m: Value = c
        .get(format!("{url}/api/machines/press-1"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let tag = m["tags"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["name"] == "temperature")
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    // The second run stores on its own schedule (a busy machine starts it slowly): wait,
    // up to a limit, until it has stored two values after the kill.
    let mut waited = 0;
    let (t, v, before, after) = loop {
        let h: Value = c
            .get(format!(
                "{url}/api/tags/{tag}/history?from={}&to={}&points=2000",
                killed_at - 60_000,
                plantlog::sample::now_ms()
            ))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let t: Vec<i64> = h["t"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_i64().unwrap())
            .collect();
        let v: Vec<Value> = h["v"].as_array().unwrap().clone();
        let before = t
            .iter()
            .zip(&v)
            .filter(|(ts, val)| **ts < killed_at && val.is_number())
            .count();
        let after = t
            .iter()
            .zip(&v)
            .filter(|(ts, val)| **ts > killed_at && val.is_number())
            .count();
        if after >= 2 || waited >= 30 {
            break (t, v, before, after);
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
        waited += 1;
    };
    assert!(
        before >= 2 && after >= 2,
        "data on both sides: {before} {after}"
    );
    // Between the last value of the first run and the first of the second, a null.
    let last_before = t
        .iter()
        .zip(&v)
        .rposition(|(ts, val)| *ts < killed_at && val.is_number())
        .unwrap();
    let first_after = t
        .iter()
        .zip(&v)
        .position(|(ts, val)| *ts > killed_at && val.is_number())
        .unwrap();
    assert!(
        v[last_before + 1..first_after].iter().any(Value::is_null),
        "a gap between the runs: {:?}",
        &v[last_before..=first_after]
    );
    // The part counter goes on from where it was, rather than jumping: the shift's
    // count does not leap at a restart.
    let csv = c
        .get(format!(
            "{url}/api/export/samples.csv?tags=press-1-plc/count&from={}&to={}",
            killed_at - 3_600_000,
            plantlog::sample::now_ms()
        ))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let counts: Vec<(String, f64)> = csv
        .lines()
        .skip(1)
        .filter_map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            Some((f[0].to_string(), f[4].parse().ok()?))
        })
        .collect();
    let killed = jiff::Timestamp::from_millisecond(killed_at)
        .unwrap()
        .to_string();
    let before = counts
        .iter()
        .rfind(|(t, _)| *t < killed)
        .expect("counts before")
        .1;
    let after = counts
        .iter()
        .find(|(t, _)| *t > killed)
        .expect("counts after")
        .1;
    assert!(
        after >= before && after - before < 50.0,
        "the counter went from {before} to {after} over a restart"
    );
    second.kill().unwrap();
    second.wait().unwrap();
}
