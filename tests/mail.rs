//! Alarm e-mail (issue 13) against a real SMTP server (aiosmtpd, tests/peers/smtp_sink.py)
//! and a real Modbus server (pymodbus): the admin sets the server and the password
//! (which goes to the keyring, or its visible in-memory fallback here, and never into the
//! database), a test mail logs in and arrives; then, with the SMTP server down, a real
//! `plantlog run` raises three alarms, their mails wait in the queue, Plantlog is killed
//! with SIGKILL; the server comes back, Plantlog starts again, and the three mails arrive
//! once each, in order, with the Message-IDs they were queued with; a fourth follows,
//! in German once the admin chose German;
//! another kill and restart sends nothing twice.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use rusqlite::{Connection, OpenFlags};
use serde_json::{Value, json};

use crate::peer::{Peer, Plant, SITE, repo};

const PASSWORD: &str = "Kx9-mail-secret-Zq";

fn config(port: u16) -> String {
    let mut s = format!(
        r#"{SITE}
[[machines]]
key = "tanks"
name = "Tank farm"

[[devices]]
key = "plc"
protocol = "modbus-tcp"
host = "127.0.0.1"
port = {port}
unit_id = 1
poll_ms = 200
timeout_ms = 400
machine = "tanks"
tags = [
  {{ name = "a", register = 40011 }},
  {{ name = "b", register = 40012 }},
  {{ name = "c", register = 40013 }},
  {{ name = "d", register = 40014 }},
]
"#
    );
    for t in ["a", "b", "c", "d"] {
        s.push_str(&format!(
            r#"
[[alarms]]
key = "hot-{t}"
name = "Tank {t} hot"
kind = "high"
tag = "plc/{t}"
limit = 50.0
priority = "high"
roles = ["supervisor", "admin"]
action = "Open the cooling valve of tank {t}"
"#
        ));
    }
    s
}

/// The SMTP sink: every accepted message is a JSON line in its file.
struct Sink {
    child: Child,
    out: PathBuf,
}

impl Sink {
    fn start(port: u16, out: &Path, auth: Option<&str>) -> Sink {
        let mut c = Command::new(repo().join("tests/peers/.venv/bin/python"));
        c.arg(repo().join("tests/peers/smtp_sink.py"))
            .arg("--port")
            .arg(port.to_string())
            .arg("--out")
            .arg(out)
            .stdout(Stdio::piped())
            .stderr(Stdio::null());
        if let Some(a) = auth {
            c.arg("--auth").arg(a);
        }
        let mut child = c.spawn().expect("the SMTP sink starts");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        assert!(line.starts_with("READY "), "the sink said {line:?}");
        Sink {
            child,
            out: out.to_path_buf(),
        }
    }

    fn mails(&self) -> Vec<Value> {
        std::fs::read_to_string(&self.out)
            .unwrap_or_default()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    }
}

impl Drop for Sink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// (id, message_id, subject, attempts, sent_at) of every queued mail, oldest first.
type Row = (i64, String, String, u32, Option<i64>);

fn queue(db: &Path) -> Vec<Row> {
    let c = Connection::open_with_flags(db, OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap();
    c.busy_timeout(Duration::from_secs(5)).unwrap();
    let mut stmt = c
        .prepare("SELECT id, message_id, subject, attempts, sent_at FROM mail_queue ORDER BY id")
        .unwrap();
    stmt.query_map([], |r| {
        Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
    })
    .unwrap()
    .collect::<rusqlite::Result<_>>()
    .unwrap()
}

fn wait(limit: Duration, what: &str, mut f: impl FnMut() -> bool) {
    let start = Instant::now();
    while !f() {
        assert!(start.elapsed() < limit, "waited {limit:?} for {what}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn run(data: &Path) -> Child {
    Command::new(env!("CARGO_BIN_EXE_plantlog"))
        .arg("--data-dir")
        .arg(data)
        .args(["run", "--port", "0"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

fn sigkill(mut p: Child) {
    p.kill().unwrap(); // SIGKILL on Unix
    p.wait().unwrap();
}

/// Whether `needle` is anywhere in the database files (the database and its WAL).
fn in_files(data: &Path, needle: &str) -> bool {
    std::fs::read_dir(data)
        .unwrap()
        .flatten()
        .filter(|e| e.path().is_file())
        .any(|e| {
            let bytes = std::fs::read(e.path()).unwrap_or_default();
            bytes.windows(needle.len()).any(|w| w == needle.as_bytes())
        })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn queued_mails_wait_out_the_server_and_a_kill_and_arrive_once_in_order() {
    // Holding registers hold their own address: 40011..40014 read 10..13 (under 50).
    let mut peer = Peer::start(&["--tcp", "127.0.0.1:0", "--unit", "1", "--identity"]);
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let mails = dir.path().join("mails.jsonl");
    let smtp_port = free_port();

    // --- The admin sets the server, the password and their address (in-process).
    let plant = Plant::start_in(&config(peer.port()), &data).await;
    let admin = plant.admin().await;
    let base = plant.base();
    let view: Value = admin
        .get(format!("{base}/api/mail"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(view["settings"], Value::Null);
    let admin_id = view["recipients"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["role"] == "admin")
        .unwrap()["user_id"]
        .as_i64()
        .unwrap();
    let r = admin
        .put(format!("{base}/api/mail/recipients/{admin_id}"))
        .json(&json!({"email": "not an address"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    assert_eq!(r.json::<Value>().await.unwrap()["code"], "bad_email");
    let r = admin
        .put(format!("{base}/api/mail/recipients/{admin_id}"))
        .json(&json!({"email": "ann.admin@plant.example"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);

    // A server that wants a login: the password goes to the keyring (here no Secret
    // Service runs: the in-memory fallback, which says so), and the test mail logs in.
    let auth_port = free_port();
    let auth_mails = dir.path().join("auth.jsonl");
    let auth_sink = Sink::start(
        auth_port,
        &auth_mails,
        Some(&format!("plant-mail:{PASSWORD}")),
    );
    let r = admin
        .put(format!("{base}/api/mail/settings"))
        .json(
            &json!({"host": "127.0.0.1", "port": auth_port, "security": "none",
            "username": "plant-mail", "password": PASSWORD,
            "sender": "Plantlog <plantlog@plant.example>"}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let text = r.text().await.unwrap();
    assert!(!text.contains(PASSWORD));
    let view: Value = serde_json::from_str(&text).unwrap();
    match view["password"].as_str().unwrap() {
        "memory" => assert!(!view["password_note"].as_str().unwrap().is_empty()),
        "keyring" => {}
        other => panic!("the password is kept in {other}"),
    }
    // Under scripts/test-keyring a real Secret Service runs (gnome-keyring): the
    // password must be there, and a new reader (a restarted Plantlog) finds it.
    let account = format!("smtp:plant-mail@127.0.0.1:{auth_port}");
    if std::env::var_os("PLANTLOG_EXPECT_KEYRING").is_some() {
        assert_eq!(view["password"], "keyring", "{view}");
        assert_eq!(
            plantlog::mail::secret::Secrets::default().get(&account),
            Some((PASSWORD.to_string(), plantlog::mail::secret::Kept::Os))
        );
    }
    let r: Value = admin
        .post(format!("{base}/api/mail/test"))
        .json(&json!({"to": "ann.admin@plant.example"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(r["sent"], true, "{r}");
    let got = auth_sink.mails();
    assert_eq!(got.len(), 1);
    assert_eq!(got[0]["login"], "plant-mail");
    assert_eq!(got[0]["subject"], "Plantlog test mail");
    assert_eq!(got[0]["rcpt_tos"], json!(["ann.admin@plant.example"]));
    drop(auth_sink);
    plant.running.core.flush_writer();
    assert!(
        !in_files(&data, PASSWORD),
        "the password is in the data folder"
    );

    // The plant's relay: no login (the password is removed), and it is down.
    let r = admin
        .put(format!("{base}/api/mail/settings"))
        .json(
            &json!({"host": "127.0.0.1", "port": smtp_port, "security": "none",
            "password": "", "sender": "Plantlog <plantlog@plant.example>"}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    // the other server's password is forgotten, in the keyring too
    assert_eq!(
        plantlog::mail::secret::Secrets::default().get(&account),
        None
    );
    let r: Value = admin
        .post(format!("{base}/api/mail/test"))
        .json(&json!({"to": "ann.admin@plant.example"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(r["sent"], false);
    assert!(
        r["message"]
            .as_str()
            .unwrap()
            .starts_with(&format!("127.0.0.1:{smtp_port}: ")),
        "{r}"
    );
    plant.stop().await;
    let db = data.join("plantlog.db");
    assert!(db.exists());
    assert!(queue(&db).is_empty());

    // --- A real `plantlog run`; the SMTP server is down. Three alarms, one after the
    // other: three mails wait, the first tried again and again.
    let p = run(&data);
    for (i, reg) in [10, 11, 12].into_iter().enumerate() {
        peer.command(&format!("set 1 holding {reg} 60"));
        wait(Duration::from_secs(20), "the alarm's mail queued", || {
            queue(&db).len() == i + 1
        });
    }
    wait(Duration::from_secs(20), "a failed try", || {
        queue(&db)[0].3 >= 2
    });
    sigkill(p);
    let waiting = queue(&db);
    let subjects: Vec<&str> = waiting.iter().map(|r| r.2.as_str()).collect();
    assert_eq!(
        subjects,
        [
            "[Plantlog HIGH] Tank a hot (Tank farm)",
            "[Plantlog HIGH] Tank b hot (Tank farm)",
            "[Plantlog HIGH] Tank c hot (Tank farm)"
        ]
    );
    assert!(waiting.iter().all(|r| r.4.is_none()), "{waiting:?}");
    // the mails behind the first were not tried: they keep their order
    assert_eq!((waiting[1].3, waiting[2].3), (0, 0));

    // --- The server is back; Plantlog starts again: the three arrive, in order, once.
    let sink = Sink::start(smtp_port, &mails, None);
    let p = run(&data);
    wait(Duration::from_secs(30), "three mails", || {
        sink.mails().len() >= 3
    });
    let ids: Vec<String> = waiting.iter().map(|r| r.1.clone()).collect();
    let got: Vec<String> = sink
        .mails()
        .iter()
        .map(|m| m["message_id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(got, ids);
    let m = &sink.mails()[0];
    assert_eq!(m["rcpt_tos"], json!(["ann.admin@plant.example"]));
    assert_eq!(m["mail_from"], "plantlog@plant.example");
    let body = m["body"].as_str().unwrap();
    assert!(
        body.contains("What to do: Open the cooling valve of tank a"),
        "{body}"
    );
    assert!(body.contains("Value: 60"), "{body}");

    // The admin chose German meanwhile (as the Account page stores it): a fourth alarm
    // while the server is up is sent at once, after the three, and in German.
    let c = Connection::open(&db).unwrap();
    c.busy_timeout(Duration::from_secs(5)).unwrap();
    c.execute(
        "INSERT INTO user_preferences (user_id, language, updated_at) VALUES (?1, 'de', 0)
         ON CONFLICT (user_id) DO UPDATE SET language = 'de'",
        [admin_id],
    )
    .unwrap();
    drop(c);
    peer.command("set 1 holding 13 60");
    wait(Duration::from_secs(20), "the fourth mail", || {
        sink.mails().len() >= 4
    });
    let fourth = &sink.mails()[3];
    assert_eq!(fourth["subject"], "[Plantlog HOCH] Tank d hot (Tank farm)");
    let body = fourth["body"].as_str().unwrap().replace("\r\n", "\n");
    assert!(
        body.contains("Priorität: hoch\nMaschine: Tank farm\nWert: 60\n"),
        "{body}"
    );
    assert!(
        body.contains("Was zu tun ist: Open the cooling valve of tank d"),
        "{body}"
    );
    let sent = queue(&db);
    assert!(sent.iter().all(|r| r.4.is_some()), "{sent:?}");

    // Killed and started again: the alarms are the same alarms, nothing goes twice.
    sigkill(p);
    let p = run(&data);
    std::thread::sleep(Duration::from_secs(4));
    sigkill(p);
    let got: Vec<String> = sink
        .mails()
        .iter()
        .map(|m| m["message_id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(got.len(), 4);
    assert_eq!(got[..3], ids[..]);
    assert_eq!(queue(&db).len(), 4);
}
