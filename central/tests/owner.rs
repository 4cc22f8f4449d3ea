//! The owner's page, against a throwaway PostgreSQL cluster: the binary serves it only
//! with an owner's password, only for that password, and it lists every site with the
//! numbers the database holds (batches applied, refused, each stream's position and
//! rows) and production, scrap and energy by day computed from the hour rollups.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use plantlog_central::pgtest::PgCluster;
use plantlog_central::wire::{Batch, Record, RollupCols, StreamBatch, TagInfo};
use sha2::{Digest, Sha256};

const PASSWORD: &str = "owner of three plants";

fn central(url: &str) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_plantlog-central"));
    c.arg("--database").arg(url);
    c
}

fn add_site(url: &str, name: &str) -> String {
    let out = central(url).args(["site", "add", name]).output().unwrap();
    assert!(out.status.success());
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .last()
        .unwrap()
        .trim()
        .to_string()
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

fn serve(url: &str, password_file: Option<&std::path::Path>) -> Server {
    let mut c = central(url);
    c.args(["serve", "--listen", "127.0.0.1:0"])
        .env_remove("PLANTLOG_CENTRAL_OWNER_PASSWORD_FILE")
        .stdout(Stdio::piped());
    if let Some(p) = password_file {
        c.arg("--owner-password-file").arg(p);
    }
    let mut child = c.spawn().unwrap();
    let mut line = String::new();
    let mut out = BufReader::new(child.stdout.take().unwrap());
    out.read_line(&mut line).unwrap();
    // The server prints more lines: read them, so its stdout stays open.
    std::thread::spawn(move || for _ in out.lines() {});
    let base = line
        .split_whitespace()
        .find(|w| w.starts_with("http://"))
        .unwrap_or_else(|| panic!("no address in {line:?}"))
        .trim_end_matches('/')
        .to_string();
    Server { child, base }
}

fn client() -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::new()
}

async fn post(c: &reqwest::Client, url: String, token: &str, json: Vec<u8>) -> (u16, String) {
    let body = zstd::bulk::compress(&json, 3).unwrap();
    let r = c
        .post(url)
        .bearer_auth(token)
        .header("Plantlog-Checksum", hex::encode(Sha256::digest(&body)))
        .header("Content-Encoding", "zstd")
        .header("Content-Type", "application/json")
        .body(body)
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

fn raw(site: &str, seq: i64, from: i64, n: i64) -> Vec<u8> {
    let ts: Vec<i64> = (0..n).map(|i| from + i * 1000).collect();
    serde_json::to_vec(&Batch {
        site: site.into(),
        seq,
        from_ts: from,
        to_ts: from + n * 1000,
        tags: vec![TagInfo {
            id: 1,
            device: "meter".into(),
            name: "power".into(),
            unit: "kW".into(),
        }],
        tag: vec![1; n as usize],
        value: ts.iter().map(|&t| Some(t as f64)).collect(),
        text: vec![None; n as usize],
        quality: vec![0; n as usize],
        ts,
    })
    .unwrap()
}

/// Hour rollups of a part counter (tag 1) and an energy meter (tag 2): per hour the
/// first and last reading.
fn hours(rows: &[(i64, i64, f64, f64)]) -> RollupCols {
    let mut c = RollupCols::default();
    for &(tag, t, first, last) in rows {
        c.tag.push(tag);
        c.t.push(t);
        c.first_ts.push(Some(t));
        c.first.push(Some(first));
        c.last_ts.push(Some(t + 3_599_000));
        c.last.push(Some(last));
        c.min_ts.push(Some(t));
        c.min.push(Some(first));
        c.max_ts.push(Some(t + 3_599_000));
        c.max.push(Some(last));
        c.sum.push(first + last);
        c.twa_sum.push(0.0);
        c.twa_ms.push(3_600_000);
        c.good.push(2);
        c.bad.push(0);
    }
    c
}

/// The text of the cells of the table row marked `data-site=site data-stream=stream`.
fn cells(page: &str, marker: &str) -> Vec<String> {
    let start = page
        .find(marker)
        .unwrap_or_else(|| panic!("no {marker} in the page:\n{page}"));
    let row = &page[start..start + page[start..].find("</tr>").unwrap()];
    row.split("<td")
        .skip(1)
        .map(|c| {
            let inner = &c[c.find('>').unwrap() + 1..];
            let inner = &inner[..inner.find("</td>").unwrap_or(inner.len())];
            // Tags dropped.
            let mut out = String::new();
            let mut tag = false;
            for ch in inner.chars() {
                match ch {
                    '<' => tag = true,
                    '>' => tag = false,
                    _ if !tag => out.push(ch),
                    _ => {}
                }
            }
            out
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_owners_page_lists_the_sites_with_their_numbers_for_the_password_only() {
    let pg = PgCluster::start().await.unwrap();
    let url = pg.url("plantlog");
    let a = add_site(&url, "plant-a");
    let b = add_site(&url, "plant-b");
    let _c = add_site(&url, "plant-c");
    let dir = tempfile::tempdir().unwrap();
    let pw = dir.path().join("owner.txt");
    std::fs::write(&pw, format!("{PASSWORD}\n")).unwrap();

    // Without a password file the page is off.
    let off = serve(&url, None);
    let c = client();
    let r = c.get(format!("{}/", off.base)).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 404);
    drop(off);

    // A password shorter than 12 characters is refused at the start.
    let short = dir.path().join("short.txt");
    std::fs::write(&short, "abc\n").unwrap();
    let out = central(&url)
        .args(["serve", "--listen", "127.0.0.1:0", "--owner-password-file"])
        .arg(&short)
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("at least 12 characters"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let server = serve(&url, Some(&pw));
    let base = &server.base;

    // Site A: two raw batches applied, then batch 2 again with other contents (refused).
    let t0 = 1_700_000_000_000;
    for (seq, from, n) in [(1, t0, 100), (2, t0 + 100_000, 50)] {
        let (s, text) = post(
            &c,
            format!("{base}/api/v1/sites/plant-a/batches"),
            &a,
            raw("plant-a", seq, from, n),
        )
        .await;
        assert_eq!(s, 200, "{text}");
    }
    let (s, _) = post(
        &c,
        format!("{base}/api/v1/sites/plant-a/batches"),
        &a,
        raw("plant-a", 2, t0 + 100_000, 49),
    )
    .await;
    assert_eq!(s, 409);

    // Site B: the hour rollups of a part counter and an energy meter over three hours of
    // yesterday (UTC), and an audit batch and a production batch with scrap.
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64;
    let day = (now / 86_400_000 - 1) * 86_400_000;
    let h = |i: i64| day + i * 3_600_000;
    // Counter: 100 -> 160 in hour 8, 165 -> 200 in hour 9 (5 parts between the hours),
    // reset to 0 -> 20 in hour 10 (the step down counts nothing): 60 + 5 + 35 + 20 = 120.
    // Meter: 1000.0 -> 1010.5, 1010.5 -> 1022.0, hour 11 (after a gap) 1030 -> 1031:
    // 10.5 + 11.5 + 1 = 23 (the gap between hours 9 and 11 is not an hour's step).
    let hrs = hours(&[
        (1, h(8), 100.0, 160.0),
        (1, h(9), 165.0, 200.0),
        (1, h(10), 0.0, 20.0),
        (2, h(8), 1000.0, 1010.5),
        (2, h(9), 1010.5, 1022.0),
        (2, h(11), 1030.0, 1031.0),
    ]);
    let rollups = StreamBatch {
        site: "plant-b".into(),
        stream: "rollups".into(),
        seq: 1,
        from_pos: 0,
        to_pos: h(12),
        tags: vec![
            TagInfo {
                id: 1,
                device: "press-plc".into(),
                name: "count".into(),
                unit: "parts".into(),
            },
            TagInfo {
                id: 2,
                device: "main-meter".into(),
                name: "energy".into(),
                unit: "kWh".into(),
            },
        ],
        minutes: Some(RollupCols::default()),
        hours: Some(hrs),
        records: vec![],
    };
    let (s, text) = post(
        &c,
        format!("{base}/api/v1/sites/plant-b/streams/rollups/batches"),
        &b,
        serde_json::to_vec(&rollups).unwrap(),
    )
    .await;
    assert_eq!(s, 200, "{text}");
    let production = StreamBatch {
        site: "plant-b".into(),
        stream: "production".into(),
        seq: 1,
        from_pos: 0,
        to_pos: h(13),
        tags: vec![],
        minutes: None,
        hours: None,
        records: vec![
            Record {
                kind: "scrap".into(),
                key: "1".into(),
                at: h(12),
                data: serde_json::json!({"machine": "press", "ts": h(9) + 60_000, "parts": 7}),
            },
            Record {
                kind: "scrap".into(),
                key: "2".into(),
                at: h(12),
                data: serde_json::json!({"machine": "press", "ts": h(10), "parts": 4}),
            },
        ],
    };
    let (s, text) = post(
        &c,
        format!("{base}/api/v1/sites/plant-b/streams/production/batches"),
        &b,
        serde_json::to_vec(&production).unwrap(),
    )
    .await;
    assert_eq!(s, 200, "{text}");
    for seq in 1..=2 {
        let audit = StreamBatch {
            site: "plant-b".into(),
            stream: "audit".into(),
            seq,
            from_pos: (seq - 1) * 10 + 1,
            to_pos: seq * 10 + 1,
            tags: vec![],
            minutes: None,
            hours: None,
            records: (0..10)
                .map(|i| Record {
                    kind: "audit".into(),
                    key: ((seq - 1) * 10 + 1 + i).to_string(),
                    at: t0 + i,
                    data: serde_json::json!({"action": "test"}),
                })
                .collect(),
        };
        let (s, text) = post(
            &c,
            format!("{base}/api/v1/sites/plant-b/streams/audit/batches"),
            &b,
            serde_json::to_vec(&audit).unwrap(),
        )
        .await;
        assert_eq!(s, 200, "{text}");
    }

    // No password, a wrong one: 401 with the Basic challenge; nothing of the sites shown.
    let r = c.get(format!("{base}/")).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 401);
    assert!(
        r.headers()
            .get("www-authenticate")
            .unwrap()
            .to_str()
            .unwrap()
            .starts_with("Basic")
    );
    let r = c
        .get(format!("{base}/"))
        .basic_auth("owner", Some("owner of three plant"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 401);
    assert!(!r.text().await.unwrap().contains("plant-a"));
    // A site's token is not the owner's password.
    let r = c
        .get(format!("{base}/"))
        .basic_auth("owner", Some(&a))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 401);

    let r = c
        .get(format!("{base}/"))
        .basic_auth("anyone", Some(PASSWORD))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    let page = r.text().await.unwrap();
    assert!(page.contains("3 sites"), "{page}");

    // Site A: 2 batches applied, 1 refused (its reason shown), raw batch no. 2, 150 samples.
    let row = cells(&page, "data-site=\"plant-a\" data-stream=\"raw\"");
    assert_eq!(row[0], "plant-a");
    assert_eq!(row[2], "2", "{row:?}");
    assert!(row[3].starts_with('1'), "{row:?}");
    assert!(
        row[3].contains("batch 2 sent again with other contents"),
        "{row:?}"
    );
    assert!(row[4].starts_with("1 valid"), "{row:?}");
    assert_eq!(row[5], "raw");
    assert_eq!(row[6], "2");
    assert_eq!(row[7], "complete to 2023-11-14 22:15:50");
    assert_eq!(row[8], "150");

    // Site B: 4 stream batches, none refused; per stream its number, position and rows.
    let row = cells(&page, "data-site=\"plant-b\" data-stream=\"audit\"");
    assert_eq!(
        [&row[..4], &row[5..7]].concat(),
        ["plant-b", row[1].as_str(), "4", "0", "audit", "2"]
    );
    assert_eq!(row[7], "up to no. 20");
    assert_eq!(row[8], "20");
    let row = cells(&page, "data-site=\"plant-b\" data-stream=\"rollups\"");
    assert_eq!(row[..2], ["rollups".to_string(), "1".to_string()]);
    assert!(row[2].starts_with("hours before "), "{row:?}");
    assert_eq!(row[3], "6");
    assert!(!page.contains("data-site=\"plant-b\" data-stream=\"raw\""));
    // Site C: nothing yet.
    let row = cells(&page, "data-site=\"plant-c\"");
    assert_eq!(row[1], "never");
    assert_eq!(row[7], "nothing received yet");

    // By day: plant-b's yesterday: 120 parts, 11 scrap, 23.0 kWh.
    let days = &page[page.find("id=\"days\"").expect("the days table")..];
    // The newest day first: plant-b's yesterday is the only one.
    let start = days.find("<tr><td>").unwrap() + 8;
    let yesterday = days[start..start + 10].to_string();
    assert_eq!(yesterday, plantlog_central::owner::utc(day)[..10]);
    let row = cells(days, &format!("<tr><td>{yesterday}"));
    assert_eq!(row, [yesterday.as_str(), "plant-b", "120", "11", "23.0"]);
}

/// The form token of a site's rotation form in the page.
fn form_token(page: &str, site: &str) -> String {
    let form = &page[page
        .find(&format!("action=\"/sites/{site}/rotate\""))
        .unwrap_or_else(|| panic!("no rotation form for {site}:\n{page}"))..];
    let field = "name=\"form_token\" value=\"";
    let v = &form[form.find(field).unwrap() + field.len()..];
    v[..v.find('"').unwrap()].to_string()
}

async fn position(c: &reqwest::Client, base: &str, site: &str, token: &str) -> u16 {
    c.get(format!("{base}/api/v1/sites/{site}/position"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

/// Issue 14: the owner rotates a site's token from the page; the new token is shown
/// once and works at once, the old one works for the grace period given; the form
/// cannot be sent from another page (no form token, another site's, another origin) or
/// without the password.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_owner_rotates_a_token_from_the_page_and_only_from_it() {
    let pg = PgCluster::start().await.unwrap();
    let url = pg.url("plantlog");
    let a = add_site(&url, "plant-a");
    let b = add_site(&url, "plant-b");
    let dir = tempfile::tempdir().unwrap();
    let pw = dir.path().join("owner.txt");
    std::fs::write(&pw, PASSWORD).unwrap();
    let server = serve(&url, Some(&pw));
    let base = &server.base;
    let c = client();
    let page = c
        .get(format!("{base}/"))
        .basic_auth("owner", Some(PASSWORD))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let token_a = form_token(&page, "plant-a");
    let token_b = form_token(&page, "plant-b");
    assert_ne!(token_a, token_b);
    let send = |form: Vec<(&'static str, String)>,
                password: Option<&'static str>,
                origin: Option<String>| {
        let mut r = c.post(format!("{base}/sites/plant-a/rotate")).form(&form);
        if let Some(p) = password {
            r = r.basic_auth("owner", Some(p));
        }
        if let Some(o) = origin {
            r = r.header("Origin", o);
        }
        r.send()
    };
    let grace = |t: &str, h: &str| {
        vec![
            ("form_token", t.to_string()),
            ("grace_hours", h.to_string()),
        ]
    };

    // Refused: without the password; without the page's form token or with another
    // site's; from another origin; a grace period that is not a number of hours.
    let r = send(grace(&token_a, "1"), None, None).await.unwrap();
    assert_eq!(r.status().as_u16(), 401);
    for (form, origin) in [
        (grace("", "1"), None),
        (grace(&token_b, "1"), None),
        (
            grace(&token_a, "1"),
            Some("http://evil.example".to_string()),
        ),
    ] {
        let r = send(form, Some(PASSWORD), origin).await.unwrap();
        assert_eq!(r.status().as_u16(), 403);
        assert!(r.text().await.unwrap().contains("owner's page"));
    }
    let r = send(grace(&token_a, "a day"), Some(PASSWORD), None)
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 400);
    assert!(r.text().await.unwrap().contains("from 0 to 2160"));
    assert_eq!(position(&c, base, "plant-a", &a).await, 200);

    // From the page (its own origin): a new token, shown once; the old one stays valid
    // for the grace period; the page says so.
    let origin = Some(base.clone());
    let r = send(grace(&token_a, "1"), Some(PASSWORD), origin)
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    assert_eq!(r.headers()["cache-control"], "no-store");
    let shown = r.text().await.unwrap();
    let new = &shown[shown.find("id=\"token\">").unwrap() + "id=\"token\">".len()..];
    let new = new[..new.find('<').unwrap()].to_string();
    assert_eq!(new.len(), a.len(), "{shown}");
    assert_eq!(position(&c, base, "plant-a", &new).await, 200);
    assert_eq!(position(&c, base, "plant-a", &a).await, 200);
    assert_eq!(position(&c, base, "plant-b", &new).await, 403);
    assert_eq!(position(&c, base, "plant-b", &b).await, 200);
    let page = c
        .get(format!("{base}/"))
        .basic_auth("owner", Some(PASSWORD))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let row = cells(&page, "data-site=\"plant-a\"");
    assert!(row[4].starts_with("2 validan old one ends "), "{row:?}");

    // A rotation with no grace: the old tokens are refused at once.
    let r = send(grace(&token_a, "0"), Some(PASSWORD), None)
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    assert_eq!(position(&c, base, "plant-a", &a).await, 401);
    assert_eq!(position(&c, base, "plant-a", &new).await, 401);
}
