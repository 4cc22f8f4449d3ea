//! Bounded work (issue 8): a stop that finishes whatever clients do (hole 5), password
//! hashing that a login flood cannot multiply (hole 6), a connection limit per client
//! (hole 10). (Hole 8's turn-taking of commissioning jobs and polls is tested on the
//! line's scheduler itself, src/collector/bus.rs.)

use std::io::{Read, Write};
use std::time::{Duration, Instant};

use plantlog::auth::Role;
use serde_json::json;

use crate::util::{TestPlant, anonymous};

#[cfg(unix)]
#[test]
fn hole5_a_stop_finishes_while_a_slow_client_hangs_on() {
    use std::io::BufRead;
    let dir = tempfile::tempdir().unwrap();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_plantlog"))
        .args(["demo", "--port", "0", "--data-dir"])
        .arg(dir.path())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = std::io::BufReader::new(child.stdout.take().unwrap()).lines();
    let url = lines
        .by_ref()
        .map_while(Result::ok)
        .find_map(|l| l.split("running at http://").nth(1).map(str::to_string))
        .expect("the demo prints its address");
    std::thread::spawn(move || for _ in lines {});
    let addr = url.trim_end_matches('/').to_string();
    // A client that sends half a request and waits, and one mid-way through a long read.
    let mut slow = std::net::TcpStream::connect(&addr).unwrap();
    slow.write_all(b"GET /api/overview HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        .unwrap();
    let mut idle = std::net::TcpStream::connect(&addr).unwrap();
    idle.write_all(b"GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        .unwrap();
    let mut buf = [0u8; 512];
    let _ = idle.read(&mut buf).unwrap();
    let killed = std::process::Command::new("kill")
        .arg("-TERM")
        .arg(child.id().to_string())
        .status()
        .unwrap();
    assert!(killed.success());
    // A guard against hanging, not a measurement: the stop takes about 3 s.
    let start = Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break Some(s);
        }
        if start.elapsed() > Duration::from_secs(30) {
            break None;
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    if status.is_none() {
        let _ = child.kill();
    }
    assert!(
        status.is_some_and(|s| s.success()),
        "plantlog did not stop on SIGTERM with a slow client connected: {status:?}"
    );
    drop(slow);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hole5_a_request_s_work_is_cancelled_with_it() {
    let plant = TestPlant::start().await;
    let core = plant.demo.running.core.clone();
    let (token, guard) = core.request_work();
    assert!(!token.is_cancelled());
    drop(guard); // the request future was dropped: the client left, or its time ran out
    assert!(token.is_cancelled(), "the blocking reader sees the stop");
    plant.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hole6_a_login_flood_hashes_a_few_passwords_at_a_time() {
    let plant = TestPlant::start().await;
    // The flood comes from another address than the real user below (127.0.0.2 is this
    // PC too), so the per-address limit, which a slow machine lets the flood reach, does
    // not decide whether the user gets in.
    crate::util::crypto();
    let flood = reqwest::Client::builder()
        .local_address(std::net::IpAddr::from([127, 0, 0, 2]))
        .default_headers(crate::util::script_headers())
        .build()
        .unwrap();
    let mut tasks = Vec::new();
    for i in 0..40 {
        let url = plant.url("/api/login");
        let flood = flood.clone();
        tasks.push(tokio::spawn(async move {
            flood
                .post(url)
                .json(&json!({"username": format!("flood-{i}"), "password": format!("guess {i} guess guess")}))
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }));
    }
    let mut statuses = Vec::new();
    for t in tasks {
        statuses.push(t.await.unwrap());
    }
    assert!(
        statuses.iter().all(|s| matches!(s, 401 | 429)),
        "{statuses:?}"
    );
    let at_once = std::thread::available_parallelism().map_or(2, |n| n.get()) / 2;
    let peak = plant.demo.running.core.hashing_peak();
    assert!(
        peak >= 1 && peak <= at_once.max(1),
        "{peak} hashes ran at once"
    );
    // A real user still gets in.
    plant.client(Role::Supervisor).await;
    plant.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hole10_one_client_cannot_hold_every_connection() {
    let plant = TestPlant::start().await;
    let addr = plant.demo.running.local_addr;
    let over = tokio::task::spawn_blocking(move || {
        let conns: Vec<std::net::TcpStream> = (0..80)
            .map(|_| std::net::TcpStream::connect(addr).unwrap())
            .collect();
        std::thread::sleep(Duration::from_millis(500));
        let mut held = Vec::new();
        let mut closed_at_once = 0;
        for mut s in conns {
            s.set_read_timeout(Some(Duration::from_millis(100)))
                .unwrap();
            let mut b = [0u8; 1];
            // Refused connections were closed at once (0 bytes); held ones wait for a
            // request until the header deadline.
            match s.read(&mut b) {
                Ok(0) => closed_at_once += 1,
                _ => held.push(s),
            }
        }
        (closed_at_once, held)
    })
    .await
    .unwrap();
    assert_eq!(over.0, 80 - plantlog::api::server::MAX_PER_CLIENT);
    drop(over.1);
    // The slots come back when the connections close.
    crate::util::wait_for(Duration::from_secs(10), "a free connection", || async {
        anonymous()
            .get(plant.url("/api/health"))
            .send()
            .await
            .ok()
            .filter(|r| r.status() == 200)
    })
    .await;
    plant.stop().await;
}
