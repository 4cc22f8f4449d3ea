//! The data passport (issue 17, item 1) through the API: each group of facts is read,
//! the live state is changed the way the plant changes it, and the passport is read
//! again and must say the new state. Admin and management read it; an operator is
//! refused.

use std::time::Duration;

use plantlog::auth::Role;
use plantlog::core::LanView;
use plantlog::sample::{Sample, now_ms};
use serde_json::{Value, json};

use crate::util::{TestPlant, wait_for};

const DAY: i64 = 86_400_000;

async fn passport(plant: &TestPlant, c: &reqwest::Client) -> Value {
    plant.get_json(c, "/api/passport").await
}

fn fact<'a>(p: &'a Value, section: &str, key: &str) -> &'a Value {
    p["sections"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["key"] == section)
        .unwrap_or_else(|| panic!("section {section}: {p}"))["facts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["key"] == key)
        .unwrap_or_else(|| panic!("fact {section}.{key}: {p}"))
}

fn value(p: &Value, section: &str, key: &str) -> String {
    fact(p, section, key)["value"].as_str().unwrap().to_string()
}

fn number(p: &Value, section: &str, key: &str) -> i64 {
    value(p, section, key)
        .parse()
        .unwrap_or_else(|_| panic!("{section}.{key} is a count: {}", value(p, section, key)))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn collected_and_stored_follow_the_configuration_and_what_is_entered() {
    let plant = TestPlant::start().await;
    let admin = plant.client(Role::Admin).await;
    let core = plant.demo.running.core.clone();
    let before = passport(&plant, &admin).await;

    // Every fact says where it is changed, and the counts are the running plant's.
    let cfg = core.plant();
    assert_eq!(
        number(&before, "collected", "devices"),
        cfg.config.devices.len() as i64
    );
    assert_eq!(
        number(&before, "collected", "tags"),
        cfg.tags().count() as i64
    );
    assert_eq!(
        fact(&before, "collected", "devices")["change"],
        "#/configuration"
    );
    let first = &cfg.config.devices[0];
    assert!(
        fact(&before, "collected", "devices")["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i.as_str().unwrap().contains(&first.key)),
        "{before}"
    );
    let storage = plant.get_json(&admin, "/api/storage").await;
    assert_eq!(
        value(&before, "stored", "database"),
        storage["database_path"].as_str().unwrap()
    );
    assert_eq!(value(&before, "collected", "quality"), "not configured");

    // A device added to the configuration: one more device and its tags.
    let r = admin
        .get(plant.url("/api/config/model"))
        .send()
        .await
        .unwrap();
    let version: i64 = r.headers()["x-config-version"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    let mut model: Value = r.json().await.unwrap();
    let mut extra = model["devices"][0].clone();
    extra["key"] = json!("passport-meter");
    extra["name"] = json!("Passport meter");
    extra["machine"] = Value::Null;
    extra["host"] = json!("127.0.0.1");
    extra["port"] = json!(1);
    let mut tag = extra["tags"][0].clone();
    tag["role"] = Value::Null;
    tag["machine"] = Value::Null;
    tag["name"] = json!("power");
    tag["unit"] = json!("kW");
    extra["tags"] = json!([tag]);
    model["devices"].as_array_mut().unwrap().push(extra);
    let r = admin
        .put(plant.url(&format!("/api/config/model?base={version}")))
        .json(&model)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());

    // Scrap entered by a supervisor.
    let supervisor = plant.client(Role::Supervisor).await;
    let r = supervisor
        .post(plant.url("/api/production/scrap"))
        .json(&json!({"machine": "press-1", "parts": 2}))
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success(), "{}", r.text().await.unwrap());

    // Samples stored two days ago: the growth measured over the last 7 days grows.
    let tagid = core.plant().tag_id("press-1-plc", "temperature").unwrap();
    let t0 = (now_ms() - 2 * DAY) / 600_000 * 600_000;
    let old: Vec<Sample> = (0..1440)
        .map(|i| Sample::good(tagid, t0 + i * 60_000, 40.0 + (i % 7) as f64))
        .collect();
    core.db()
        .sql(|c| plantlog::store::backfill::backfill(c, old))
        .unwrap();

    let after = passport(&plant, &admin).await;
    assert_eq!(
        number(&after, "collected", "devices"),
        number(&before, "collected", "devices") + 1
    );
    assert_eq!(
        number(&after, "collected", "tags"),
        number(&before, "collected", "tags") + 1
    );
    assert!(
        fact(&after, "collected", "tags")["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i.as_str().unwrap().starts_with("passport-meter/power: kW")),
        "{after}"
    );
    assert!(number(&after, "collected", "scrap") > number(&before, "collected", "scrap"));
    assert_ne!(
        value(&after, "stored", "growth"),
        value(&before, "stored", "growth")
    );
    assert!(value(&after, "stored", "growth").contains("per day"));
    assert!(value(&after, "stored", "days_left").ends_with("days"));
    plant.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn access_and_protection_follow_logins_lan_and_the_mfa_policy() {
    let plant = TestPlant::start().await;
    let admin = plant.client(Role::Admin).await;
    let core = plant.demo.running.core.clone();
    let quality_line = |p: &Value| -> String {
        fact(p, "access", "users")["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i.as_str().unwrap().to_string())
            .find(|i| i.contains("(quality)"))
            .unwrap_or_else(|| panic!("the quality user is listed: {p}"))
    };
    let before = passport(&plant, &admin).await;
    assert!(
        quality_line(&before).contains("last login never"),
        "{}",
        quality_line(&before)
    );
    assert!(value(&before, "access", "lan").starts_with("off"));
    assert!(value(&before, "protection", "tls").starts_with("not in use"));
    assert!(!value(&before, "protection", "mfa").contains("Management"));
    assert!(value(&before, "protection", "audit_chain").starts_with("intact"));
    assert!(value(&before, "protection", "backup_encryption").starts_with("not configured"));

    // The quality user logs in.
    let _quality = plant.client(Role::Quality).await;
    // LAN access switched on (as `plantlog run --lan` does at start).
    let was = core.lan();
    core.set_lan(
        LanView {
            lan: true,
            listen: "0.0.0.0:8443".into(),
            urls: vec!["https://plant-pc:8443".into()],
            certificate: None,
        },
        None,
    );
    // Management must use a second factor from now on.
    let mut settings = plant.get_json(&admin, "/api/security").await["settings"].clone();
    settings["mfa_roles"] = json!(["admin", "management"]);
    let r = admin
        .put(plant.url("/api/security"))
        .json(&settings)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());

    // Backups encrypted from now on.
    let r = admin
        .put(plant.url("/api/backups/encryption"))
        .json(&json!({"on": true}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());

    let after = passport(&plant, &admin).await;
    let encryption = value(&after, "protection", "backup_encryption");
    assert!(encryption.starts_with("on (age, to age1"), "{encryption}");
    // here no Secret Service runs: the key is in memory, and the passport says so
    // (under scripts/test-keyring it is in the keyring)
    assert!(
        encryption.contains("in memory only") || encryption.contains("in the OS keyring"),
        "{encryption}"
    );
    assert!(
        !quality_line(&after).contains("last login never"),
        "{}",
        quality_line(&after)
    );
    assert_eq!(
        value(&after, "access", "lan"),
        "on, listening on 0.0.0.0:8443"
    );
    assert_eq!(
        fact(&after, "access", "lan")["items"],
        json!(["https://plant-pc:8443"])
    );
    assert_eq!(
        value(&after, "protection", "tls"),
        "LAN access on, no certificate yet"
    );
    assert!(value(&after, "protection", "mfa").contains("Management"));
    assert!(
        number_prefix(&value(&after, "collected", "logins"))
            > number_prefix(&value(&before, "collected", "logins"))
    );
    core.set_lan(was, None);
    plant.stop().await;
}

fn number_prefix(s: &str) -> i64 {
    s.split_whitespace().next().unwrap().parse().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn queues_backups_and_retention_follow_the_live_state() {
    let plant = TestPlant::start().await;
    let admin = plant.client(Role::Admin).await;
    let core = plant.demo.running.core.clone();
    let before = passport(&plant, &admin).await;
    assert_eq!(value(&before, "outage", "mail_queue"), "not configured");
    assert_eq!(value(&before, "outage", "sync_queue"), "not configured");
    assert_eq!(value(&before, "backups", "targets"), "not configured");
    assert_eq!(value(&before, "backups", "drill"), "not configured");
    assert!(value(&before, "leaves", "sync").starts_with("off"));
    assert!(value(&before, "leaves", "nothing_else").contains("no network connection other than"));

    // An SMTP server that does not answer, and a mail queued: it waits.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = closed.local_addr().unwrap().port();
    drop(closed);
    let r = admin
        .put(plant.url("/api/mail/settings"))
        .json(
            &json!({"host": "127.0.0.1", "port": port, "security": "none",
                      "sender": "Plantlog <plantlog@plant.example>"}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    core.db()
        .sql(|c| {
            plantlog::mail::queue::enqueue(
                c,
                &plantlog::mail::queue::NewMail {
                    kind: "alarm",
                    alarm_id: None,
                    to: vec!["ann.admin@plant.example".into()],
                    subject: "Press 1 too hot".into(),
                    body: "...".into(),
                },
                now_ms() - 120_000,
                "plant.example",
            )
        })
        .unwrap();

    // A backup target.
    let dir = tempfile::tempdir().unwrap();
    let keep = json!({"hourly": 24, "daily": 7, "weekly": 4, "monthly": 12});
    let r = admin
        .post(plant.url("/api/backups/targets"))
        .json(
            &json!({"name": "Office share", "path": dir.path(), "schedule": "daily 02:00",
                      "keep": keep, "enabled": true}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());

    // A shorter raw retention, confirmed.
    let r = admin
        .put(plant.url("/api/storage"))
        .json(
            &json!({"raw_days": 90, "minute_days": 730, "hour_days": null,
                      "audit_days": 1095, "archive": true, "disk_warn_mb": 1024,
                      "confirm": true}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());

    let after = wait_for(Duration::from_secs(10), "the mail waits", || async {
        let p = passport(&plant, &admin).await;
        value(&p, "outage", "mail_queue")
            .starts_with("1 waiting")
            .then_some(p)
    })
    .await;
    let mail = value(&after, "outage", "mail_queue");
    assert!(mail.contains("the oldest 2 min behind"), "{mail}");
    assert_eq!(
        value(&after, "leaves", "mail"),
        format!("to the SMTP server 127.0.0.1:{port}")
    );
    assert_eq!(value(&after, "backups", "targets"), "1");
    assert!(
        fact(&after, "backups", "targets")["items"][0]
            .as_str()
            .unwrap()
            .starts_with("Office share: "),
        "{after}"
    );
    assert_eq!(value(&after, "backups", "last_good"), "none yet");
    assert_eq!(value(&after, "retention", "raw"), "90 days");
    assert_eq!(value(&after, "retention", "audit"), "1095 days");
    assert_eq!(fact(&after, "retention", "raw")["change"], "#/storage");
    plant.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn management_reads_it_as_a_document_and_an_operator_is_refused() {
    let plant = TestPlant::start().await;
    let management = plant.client(Role::Management).await;
    let p = passport(&plant, &management).await;
    let r = management
        .get(plant.url("/api/passport.md"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert!(
        r.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("attachment; filename=\"plantlog-data-passport-")
    );
    let md = r.text().await.unwrap();
    assert!(md.starts_with("# Data passport: "), "{md}");
    for s in p["sections"].as_array().unwrap() {
        assert!(md.contains(&format!("## {}", s["title"].as_str().unwrap())));
    }
    let db = value(&p, "stored", "database").replace('_', "\\_");
    assert!(md.contains(&db), "{md}");

    // A German manager gets it in German: every answer through the catalogue, the data
    // (the database file's path) as it is.
    let r = management
        .patch(plant.url("/api/me/preferences"))
        .json(&json!({"language": "de"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let de = management
        .get(plant.url("/api/passport.md"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(de.starts_with("# Datenpass: "), "{de}");
    assert!(de.contains("## Was erfasst wird"), "{de}");
    assert!(
        de.contains("| Qualitätsprüfungen | nicht eingerichtet | - |"),
        "{de}"
    );
    assert!(de.contains(&db), "{de}");
    assert!(
        !de.contains("passport-") && !de.contains("not configured"),
        "{de}"
    );

    let operator = plant.client(Role::Operator).await;
    for path in ["/api/passport", "/api/passport.md"] {
        let r = operator.get(plant.url(path)).send().await.unwrap();
        assert_eq!(r.status(), 403, "{path}");
    }
    plant.stop().await;
}

/// The full export started from the passport page's API runs to "done" with its
/// progress, and the passport's "Last full export" names it afterwards.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_export_through_the_api_shows_as_the_last_export() {
    let plant = TestPlant::start().await;
    let admin = plant.client(Role::Admin).await;
    let before = passport(&plant, &admin).await;
    assert_eq!(value(&before, "ownership", "last_export"), "none yet");
    let dir = tempfile::tempdir().unwrap();
    let to = dir.path().join("out");
    let r = admin
        .post(plant.url("/api/takeout"))
        .json(&json!({"to": to.display().to_string()}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap_or_default());
    let job = wait_for(Duration::from_secs(120), "the export to finish", || async {
        let v = plant.get_json(&admin, "/api/takeout").await;
        (v["job"]["state"] != "running").then_some(v["job"].clone())
    })
    .await;
    assert_eq!(job["state"], "done", "{job}");
    assert_eq!(job["progress"]["phase"], "done");
    assert!(job["outcome"]["sample_rows"].as_i64().unwrap() > 0, "{job}");
    assert!(to.join("SHA256SUMS").exists() && to.join("schema.md").exists());
    let after = passport(&plant, &admin).await;
    let last = value(&after, "ownership", "last_export");
    assert!(
        last.contains(&to.display().to_string()) && last.contains("admin"),
        "{last}"
    );
    // Not for an operator.
    let op = plant.client(Role::Operator).await;
    let r = op.get(plant.url("/api/takeout")).send().await.unwrap();
    assert_eq!(r.status(), 403);
    plant.stop().await;
}

/// The passport as a PDF for an auditor (drawn by the report engine): read back with
/// pdftotext, every section and every fact with its live value is in it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_pdf_for_an_auditor_holds_every_fact_of_the_live_passport() {
    let plant = TestPlant::start().await;
    let management = plant.client(Role::Management).await;
    let r = management
        .get(plant.url("/api/passport.pdf"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "application/pdf");
    assert!(
        r.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .ends_with(".pdf\"")
    );
    let bytes = r.bytes().await.unwrap();
    let p = passport(&plant, &management).await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("passport.pdf");
    std::fs::write(&file, &bytes).unwrap();
    // Lines wrap in the PDF: compare with every run of white space as one space.
    let flat = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let text = flat(&crate::report::pdftotext(&file));
    assert!(text.contains("Data passport"), "{text}");
    let mut facts = 0;
    for s in p["sections"].as_array().unwrap() {
        assert!(text.contains(&flat(s["title"].as_str().unwrap())), "{s}");
        for f in s["facts"].as_array().unwrap() {
            let label = f["label"].as_str().unwrap();
            let value = f["value"].as_str().unwrap();
            // Counts and states that move while the demo runs (samples, sizes,
            // growth) are checked by their label only.
            let line = flat(&format!("{label}: {value}"));
            if value.chars().any(|c| c.is_ascii_digit()) {
                assert!(
                    text.contains(&flat(&format!("{label}:"))),
                    "{label} in {text}"
                );
            } else {
                assert!(text.contains(&line), "{line} in {text}");
            }
            facts += 1;
        }
    }
    assert!(facts > 20, "{facts} facts");
    assert!(
        text.contains(plant.demo.running.core.db().path().to_str().unwrap())
            || text.contains("plantlog.db")
    );
    let operator = plant.client(Role::Operator).await;
    let r = operator
        .get(plant.url("/api/passport.pdf"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    plant.stop().await;
}
