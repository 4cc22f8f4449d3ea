//! The central server's own tests, against a throwaway PostgreSQL cluster: the
//! migrations, a batch applied once however often it is sent, the order of sequence
//! numbers, and a site's token confined to its site. The binary itself serves the
//! batches here; the plant's side is tested end to end in the root package
//! (tests/sync.rs).

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use plantlog_central::pgtest::PgCluster;
use plantlog_central::wire::{Ack, Batch, Refusal, TagInfo};
use sha2::{Digest, Sha256};

fn central(url: &str) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_plantlog-central"));
    c.arg("--database").arg(url);
    c
}

fn must(c: &mut Command) -> String {
    let out = c.output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(
        out.status.success(),
        "{c:?}: {text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    text
}

fn add_site(url: &str, name: &str) -> String {
    let out = must(central(url).args(["site", "add", name]));
    out.lines().last().unwrap().trim().to_string()
}

struct Server {
    child: Child,
    base: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve(url: &str) -> Server {
    let mut child = central(url)
        .args(["serve", "--listen", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let base = line
        .split_whitespace()
        .find(|w| w.starts_with("http://"))
        .unwrap_or_else(|| panic!("no address in {line:?}"))
        .trim_end_matches('/')
        .to_string();
    Server { child, base }
}

fn batch(site: &str, seq: i64, from: i64, n: i64) -> Batch {
    let ts: Vec<i64> = (0..n).map(|i| from + i * 1000).collect();
    Batch {
        site: site.into(),
        seq,
        from_ts: from,
        to_ts: from + n * 1000,
        tags: vec![TagInfo {
            id: 7,
            device: "meter".into(),
            name: "power".into(),
            unit: "kW".into(),
        }],
        tag: vec![7; n as usize],
        value: ts.iter().map(|&t| Some(t as f64 / 1000.0)).collect(),
        text: vec![None; n as usize],
        quality: vec![0; n as usize],
        ts,
    }
}

/// An HTTP client. The workspace builds reqwest without a default TLS provider (the
/// plant's own code installs ring); here it is installed the same way, so the client
/// builds whichever features the build unified.
fn client() -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::new()
}

fn body(b: &Batch) -> Vec<u8> {
    zstd::bulk::compress(&serde_json::to_vec(b).unwrap(), 3).unwrap()
}

async fn send(
    c: &reqwest::Client,
    base: &str,
    site: &str,
    token: &str,
    body: Vec<u8>,
) -> (u16, String) {
    let r = c
        .post(format!("{base}/api/v1/sites/{site}/batches"))
        .bearer_auth(token)
        .header("Plantlog-Checksum", hex::encode(Sha256::digest(&body)))
        .header("Content-Encoding", "zstd")
        .body(body)
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn batches_apply_once_in_order_and_only_for_their_site() {
    let pg = PgCluster::start().await.unwrap();
    let url = pg.url("plantlog");
    let a = add_site(&url, "plant-a");
    let b = add_site(&url, "plant-b");
    assert_ne!(a, b);
    assert_eq!(a.len(), 64, "{a}");
    let server = serve(&url);
    let c = client();
    let base = &server.base;

    // The first batch is applied: 100 new samples.
    let first = body(&batch("plant-a", 1, 1_700_000_000_000, 100));
    let (status, text) = send(&c, base, "plant-a", &a, first.clone()).await;
    assert_eq!(status, 200, "{text}");
    let ack: Ack = serde_json::from_str(&text).unwrap();
    assert_eq!(
        (ack.acked_seq, ack.new_samples, ack.replay),
        (1, 100, false)
    );
    assert_eq!(ack.acked_to_ts, 1_700_000_100_000);

    // Sent again (its answer lost): the same answer, marked a replay, nothing added.
    let (status, text) = send(&c, base, "plant-a", &a, first.clone()).await;
    assert_eq!(status, 200, "{text}");
    let again: Ack = serde_json::from_str(&text).unwrap();
    assert_eq!(
        (again.acked_seq, again.new_samples, again.replay),
        (1, 100, true)
    );

    // The same sequence number with other contents is refused.
    let other = body(&batch("plant-a", 1, 1_700_000_000_000, 99));
    let (status, text) = send(&c, base, "plant-a", &a, other).await;
    assert_eq!(status, 409, "{text}");
    let refusal: Refusal = serde_json::from_str(&text).unwrap();
    assert_eq!(refusal.code, "sequence_conflict");

    // A gap is refused with the number expected.
    let (status, text) = send(
        &c,
        base,
        "plant-a",
        &a,
        body(&batch("plant-a", 3, 1_700_000_200_000, 5)),
    )
    .await;
    assert_eq!(status, 409, "{text}");
    let refusal: Refusal = serde_json::from_str(&text).unwrap();
    assert_eq!(refusal.expected_seq, Some(2));

    // Site A's token cannot write site B, nor read its position; no token, no entry.
    let (status, text) = send(
        &c,
        base,
        "plant-b",
        &a,
        body(&batch("plant-b", 1, 1_700_000_000_000, 10)),
    )
    .await;
    assert_eq!(status, 403, "{text}");
    let r = c
        .get(format!("{base}/api/v1/sites/plant-b/position"))
        .bearer_auth(&a)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 403);
    let (status, _) = send(&c, base, "plant-a", "0".repeat(64).as_str(), first.clone()).await;
    assert_eq!(status, 401);
    // A batch naming another site inside, sent with A's token to A, is refused too.
    let (status, text) = send(
        &c,
        base,
        "plant-a",
        &a,
        body(&batch("plant-b", 2, 1_700_000_200_000, 5)),
    )
    .await;
    assert_eq!(status, 400, "{text}");
    // A damaged body is refused before it is read.
    let mut damaged = body(&batch("plant-a", 2, 1_700_000_200_000, 5));
    let sum = hex::encode(Sha256::digest(&damaged));
    let last = damaged.len() - 1;
    damaged[last] ^= 1;
    let r = c
        .post(format!("{base}/api/v1/sites/plant-a/batches"))
        .bearer_auth(&a)
        .header("Plantlog-Checksum", sum)
        .body(damaged)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 400);

    // B writes its own site; A's rows stay A's.
    let (status, text) = send(
        &c,
        base,
        "plant-b",
        &b,
        body(&batch("plant-b", 1, 1_700_000_000_000, 10)),
    )
    .await;
    assert_eq!(status, 200, "{text}");
    let db = pg.connect("plantlog").await.unwrap();
    let rows = db
        .query(
            "SELECT s.name, count(*), count(DISTINCT x.ts), min(x.value), max(x.value)
             FROM samples x JOIN sites s ON s.id = x.site_id GROUP BY s.name ORDER BY s.name",
            &[],
        )
        .await
        .unwrap();
    let got: Vec<(String, i64, i64, f64, f64)> = rows
        .iter()
        .map(|r| (r.get(0), r.get(1), r.get(2), r.get(3), r.get(4)))
        .collect();
    assert_eq!(
        got,
        vec![
            (
                "plant-a".to_string(),
                100,
                100,
                1_700_000_000.0,
                1_700_000_099.0
            ),
            (
                "plant-b".to_string(),
                10,
                10,
                1_700_000_000.0,
                1_700_000_009.0
            ),
        ]
    );
    let named: i64 = db
        .query_one(
            "SELECT count(*) FROM samples_named WHERE site = 'plant-a' AND tag = 'power' AND unit = 'kW'",
            &[],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(named, 100);
    let listed = must(central(&url).args(["site", "list"]));
    assert!(listed.contains("plant-a\tbatch 1\tsamples 100"), "{listed}");
    drop(server);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn migrations_apply_once_with_servers_starting_together() {
    let pg = PgCluster::start().await.unwrap();
    let url = pg.url("plantlog");
    let pools: Vec<_> = (0..3)
        .map(|_| plantlog_central::db::pool(&url, 2).unwrap())
        .collect();
    let handles: Vec<_> = pools
        .into_iter()
        .map(|p| tokio::spawn(async move { plantlog_central::db::migrate(&p).await }))
        .collect();
    for h in handles {
        assert_eq!(h.await.unwrap().unwrap(), 5);
    }
    let db = pg.connect("plantlog").await.unwrap();
    let versions: i64 = db
        .query_one("SELECT count(*) FROM schema_version", &[])
        .await
        .unwrap()
        .get(0);
    assert_eq!(versions, 5, "each of the five migrations applied once");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_servers_receiving_the_same_batch_at_once_apply_it_once() {
    let pg = PgCluster::start().await.unwrap();
    let url = pg.url("plantlog");
    let token = add_site(&url, "plant-a");
    let one = serve(&url);
    let two = serve(&url);
    let c = client();
    for seq in 1..=5 {
        let b = body(&batch(
            "plant-a",
            seq,
            1_700_000_000_000 + seq * 1_000_000,
            500,
        ));
        let (a, b) = tokio::join!(
            send(&c, &one.base, "plant-a", &token, b.clone()),
            send(&c, &two.base, "plant-a", &token, b),
        );
        assert_eq!((a.0, b.0), (200, 200), "{a:?} {b:?}");
        let acks: Vec<Ack> = [a.1, b.1]
            .iter()
            .map(|t| serde_json::from_str(t).unwrap())
            .collect();
        assert!(
            acks.iter()
                .all(|k| k.acked_seq == seq && k.new_samples == 500)
        );
        assert_eq!(
            acks.iter().filter(|k| k.replay).count(),
            1,
            "one applied it, the other answered it as a replay: {acks:?}"
        );
    }
    let db = pg.connect("plantlog").await.unwrap();
    let n: i64 = db
        .query_one("SELECT count(*) FROM samples", &[])
        .await
        .unwrap()
        .get(0);
    assert_eq!(n, 2500);
}

/// A site's token is rotated: the new one works at once, the old one until its grace
/// period ends, then it is refused (401); the rotation is an event.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rotated_token_stays_valid_for_its_grace_period_only() {
    let pg = PgCluster::start().await.unwrap();
    let url = pg.url("plantlog");
    let old = add_site(&url, "plant-a");
    let other = add_site(&url, "plant-b");
    let server = serve(&url);
    let c = client();
    let base = server.base.clone();
    let position = |token: String| {
        let c = c.clone();
        let base = base.clone();
        async move {
            c.get(format!("{base}/api/v1/sites/plant-a/position"))
                .bearer_auth(token)
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }
    };
    assert_eq!(position(old.clone()).await, 200);
    // Three seconds' grace.
    let out = must(central(&url).args(["site", "rotate", "plant-a", "--grace-hours", "0.000834"]));
    let new = out.lines().last().unwrap().trim().to_string();
    assert_eq!(new.len(), 64, "{out}");
    assert_ne!(new, old);
    let rotated = std::time::Instant::now();
    assert_eq!(position(new.clone()).await, 200);
    assert_eq!(position(old.clone()).await, 200);
    // A batch with the old token still goes through within the grace period.
    let (status, text) = send(
        &c,
        &base,
        "plant-a",
        &old,
        body(&batch("plant-a", 1, 1_700_000_000_000, 10)),
    )
    .await;
    assert_eq!(status, 200, "{text}");
    assert!(rotated.elapsed() < std::time::Duration::from_secs(3));
    tokio::time::sleep(std::time::Duration::from_millis(3_300).saturating_sub(rotated.elapsed()))
        .await;
    assert_eq!(position(old.clone()).await, 401);
    let (status, _) = send(
        &c,
        &base,
        "plant-a",
        &old,
        body(&batch("plant-a", 2, 1_700_000_010_000, 10)),
    )
    .await;
    assert_eq!(status, 401);
    assert_eq!(position(new.clone()).await, 200);
    // The other site's token is untouched.
    let r = c
        .get(format!("{base}/api/v1/sites/plant-b/position"))
        .bearer_auth(&other)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    // The rotation is recorded.
    let client = pg.connect("plantlog").await.unwrap();
    let kinds: Vec<String> = client
        .query("SELECT kind FROM events WHERE kind = 'token rotated'", &[])
        .await
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(kinds, ["token rotated"]);
    // A grace period out of range is refused.
    let out = central(&url)
        .args(["site", "rotate", "plant-a", "--grace-hours", "-1"])
        .output()
        .unwrap();
    assert!(!out.status.success());
}
