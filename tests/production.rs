//! Production (issue 10): a week of the demo plant recorded through the live engine
//! and replayed with `plantlog import samples` + `import events` gives the live
//! engine's figures; operators see their machines and explain stops, the supervisor
//! sees them explained; an andon display's token opens its board until revoked; bad
//! import files are refused whole with every bad line listed.

use std::collections::{BTreeMap, HashSet};
use std::process::{Command, Output};

use plantlog::auth::Role;
use plantlog::auth::audit::Actor;
use plantlog::config;
use plantlog::production::calendar::{By, Calendar};
use plantlog::production::records::{self, ReasonKind};
use plantlog::production::{Production, compute, query};
use plantlog::sample::{Quality, Sample};
use plantlog::sim::demo;
use plantlog::store::{DataDir, Db};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::util::{TestPlant, anonymous};

fn plantlog(args: &[&str], dir: &std::path::Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_plantlog"))
        .args(args)
        .arg("--data-dir")
        .arg(dir)
        .output()
        .unwrap()
}

fn ok(out: Output, what: &str) -> String {
    assert!(
        out.status.success(),
        "{what}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// A made-up address per demo device (the simulation here needs no server).
fn addr(key: &str) -> std::net::SocketAddr {
    let port = 1502 + demo::specs().iter().position(|s| s.key == key).unwrap_or(0) as u16;
    std::net::SocketAddr::from(([127, 0, 0, 1], port))
}

fn ms(s: &str) -> i64 {
    s.parse::<jiff::Timestamp>().unwrap().as_millisecond()
}

/// Issue 10's acceptance: the report of a recorded week replayed with `import samples`
/// and `import events` equals the report the live engine computed for the same week. The
/// week holds the change to summer time, a device outage, a time Plantlog did not run,
/// an ideal cycle change in the middle of a minute, a planned stop, and operators
/// explaining stops and entering scrap at each shift's end.
#[test]
fn a_replayed_week_reports_what_the_live_engine_computed() {
    let a = tempfile::tempdir().unwrap();
    let db = Db::open(&DataDir::create(a.path()).unwrap().database()).unwrap();
    let cfg = demo::plant_config(addr, "Europe/Berlin");
    db.with(|c| {
        Ok::<_, plantlog::store::StoreError>(config::import(
            c,
            &cfg,
            &config::export(&cfg),
            config::Base::Any,
            &Actor::command_line(),
        ))
    })
    .unwrap()
    .unwrap();
    let plant = db
        .with(|c| Ok::<_, plantlog::store::StoreError>(config::load_plant(c)))
        .unwrap()
        .unwrap();
    // Monday 23 March 2026 06:00 CET to Monday 30 March 06:00 CEST.
    let (from, to) = (ms("2026-03-23T05:00:00Z"), ms("2026-03-30T04:00:00Z"));
    plantlog::sim::operators::setup(&db, &demo::ideal_cycles(), from).unwrap();
    let ids = db.sql(|c| records::machine_ids(c)).unwrap();
    db.sql(|c| {
        let tree = records::reasons(c)?;
        let pm = tree
            .find(ReasonKind::Downtime, "Planned/Maintenance")
            .unwrap()
            .id;
        records::set_ideal_cycle(
            c,
            ids["press-1"],
            ms("2026-03-25T09:00:30.500Z"),
            2500,
            "new die",
            "sup",
            from,
        )?;
        records::add_planned_stop(
            c,
            Some(ids["cnc-1"]),
            ms("2026-03-26T09:00:00Z"),
            ms("2026-03-26T10:00:00Z"),
            pm,
            "",
            "sup",
            from,
        )
    })
    .unwrap();

    let calendar = Calendar::new(&plant.config);
    let shifts = calendar.periods(By::Shift, from, to);
    assert_eq!(shifts.len(), 21);
    let machines: Vec<_> = plant
        .config
        .machines
        .iter()
        .filter(|m| m.line.is_some())
        .cloned()
        .collect();
    let wanted: HashSet<i64> = machines
        .iter()
        .flat_map(|m| plantlog::production::timeline::Recipe::of(&plant, m).tags())
        .collect();
    let press2: HashSet<i64> = plant.machine_tags("press-2").map(|t| t.id).collect();
    let mut live = Production::new(&plant, from);
    let gap = ms("2026-03-25T01:00:00Z")..ms("2026-03-25T01:20:00Z");
    let mut restarted = false;
    let mut next = 0;
    let mut computed_live: BTreeMap<(String, String), Value> = BTreeMap::new();
    let mut explained = 0;
    let mut tap = |ts: i64, batch: &mut Vec<Sample>| {
        // At each shift's end: operators explain the shift's stops, the inspector
        // enters scrap, and the live engine's figures of the shift are taken.
        while next < shifts.len() && ts >= shifts[next].end_ms {
            let p = &shifts[next];
            db.sql(|c| {
                let tree = records::reasons(c)?;
                for m in &machines {
                    let id = ids[&m.key];
                    let (recipe, data) = live.snapshot(&m.key, p.end_ms).unwrap();
                    let recs =
                        records::load(c, id, &m.key, data.timeline.start, p.start_ms, p.end_ms)?;
                    let cpt = compute::compute(
                        &calendar,
                        &tree,
                        &recipe,
                        &data,
                        &recs,
                        std::slice::from_ref(p),
                    );
                    for (k, s) in cpt.stops.iter().enumerate() {
                        if s.needs_reason()
                            && s.start >= p.start_ms
                            && s.end.is_some()
                            && (s.start / 1000 + k as i64) % 7 != 0
                        {
                            let r = tree
                                .sorted()
                                .into_iter()
                                .filter(|r| r.kind == ReasonKind::Downtime)
                                .nth((s.start / 1000 % 12) as usize)
                                .map(|r| r.id);
                            records::set_stop_reason(c, id, s.start, r, "", "operator", p.end_ms)?;
                            explained += 1;
                        }
                    }
                    let parts = cpt.periods[0].parts;
                    if parts > 100 {
                        let burr = tree.find(ReasonKind::Scrap, "Scrap/Burr").map(|r| r.id);
                        records::add_scrap(
                            c,
                            id,
                            p.end_ms - 60_000,
                            parts / 97,
                            burr,
                            "",
                            "quality",
                            p.end_ms,
                        )?;
                    }
                    let recs =
                        records::load(c, id, &m.key, data.timeline.start, p.start_ms, p.end_ms)?;
                    let (rows, _) = query::machine_rows(
                        &calendar,
                        &tree,
                        m,
                        &recipe,
                        &data,
                        &recs,
                        std::slice::from_ref(p),
                    );
                    computed_live.insert(
                        (m.key.clone(), p.key.clone()),
                        serde_json::to_value(&rows[0].figures).unwrap(),
                    );
                }
                Ok(())
            })
            .unwrap();
            next += 1;
        }
        batch.retain(|s| wanted.contains(&s.tag_id));
        // Press 2's PLC does not answer for five minutes on Tuesday.
        if (ms("2026-03-24T09:00:00Z")..ms("2026-03-24T09:05:00Z")).contains(&ts) {
            for s in batch.iter_mut().filter(|s| press2.contains(&s.tag_id)) {
                *s = Sample::bad(s.tag_id, s.ts, Quality::NoAnswer);
            }
        }
        // Plantlog is not running for twenty minutes on Wednesday night: started again, it
        // seeds its live engine from what was stored, and stores (and sees) its start
        // marker, as app::start does.
        if gap.contains(&ts) {
            batch.clear();
        } else if ts >= gap.end && !restarted {
            restarted = true;
            live = Production::new(&plant, ts);
            db.with(|c| {
                live.seed(c, &plant, ts)
                    .map_err(plantlog::store::StoreError::from)
            })
            .unwrap();
            let markers: Vec<Sample> = wanted
                .iter()
                .map(|&id| Sample::bad(id, ts - 1, Quality::Stale))
                .collect();
            live.update(&markers);
            db.sql(|c| plantlog::store::backfill::backfill(c, markers))
                .unwrap();
        }
        live.update(batch);
    };
    let specs = demo::specs();
    demo::simulate(&db, &plant, &specs, from, to + 1000, &mut tap).unwrap();
    assert_eq!(next, shifts.len(), "every shift's end was reached");
    assert!(restarted);
    assert!(explained > 50, "{explained} stops explained");

    // The recorded week, as files.
    let mut samples = String::from("time,tag,value,quality\n");
    let mut n = 0;
    for id in &wanted {
        let t = plant.tag(*id).unwrap();
        for s in db
            .sql(|c| plantlog::store::raw::read(c, *id, from - 3_600_000, to + 1000))
            .unwrap()
        {
            n += 1;
            let v = s.value().map_or(String::new(), |v| v.to_string());
            samples.push_str(&format!(
                "{},{}/{},{v},{}\n",
                s.ts,
                t.device.key,
                t.tag.name,
                s.quality.name()
            ));
        }
    }
    assert!(n > 100_000, "{n} samples");
    drop(db);
    let files = tempfile::tempdir().unwrap();
    let samples_csv = files.path().join("samples.csv");
    std::fs::write(&samples_csv, samples).unwrap();
    let events_csv = files.path().join("events.csv");
    let (f, t) = (from.to_string(), to.to_string());
    ok(
        plantlog(
            &[
                "production",
                "events",
                "--from",
                &f,
                "--to",
                &t,
                "-o",
                events_csv.to_str().unwrap(),
            ],
            a.path(),
        ),
        "export events",
    );
    let plant_toml = files.path().join("plant.toml");
    ok(
        plantlog(
            &["config", "export", "-o", plant_toml.to_str().unwrap()],
            a.path(),
        ),
        "export config",
    );

    // Replayed into a new data folder.
    let b = tempfile::tempdir().unwrap();
    ok(
        plantlog(
            &["config", "import", plant_toml.to_str().unwrap()],
            b.path(),
        ),
        "import config",
    );
    let out = ok(
        plantlog(
            &["import", "samples", samples_csv.to_str().unwrap()],
            b.path(),
        ),
        "import samples",
    );
    assert!(out.contains(&format!("Imported {n} samples")), "{out}");
    ok(
        plantlog(
            &["import", "events", events_csv.to_str().unwrap()],
            b.path(),
        ),
        "import events",
    );
    let report = ok(
        plantlog(
            &[
                "production",
                "report",
                "--from",
                &f,
                "--to",
                &t,
                "--by",
                "shift",
                "--format",
                "json",
            ],
            b.path(),
        ),
        "report",
    );
    let report: Value = serde_json::from_str(&report).unwrap();
    let rows = report["rows"].as_array().unwrap();
    assert_eq!(rows.len(), machines.len() * shifts.len());
    let mut compared = 0;
    for row in rows {
        let key = (
            row["machine"].as_str().unwrap().to_string(),
            row["period"]["key"].as_str().unwrap().to_string(),
        );
        let mut replayed = row.clone();
        for k in ["machine", "machine_name", "line", "period"] {
            replayed.as_object_mut().unwrap().remove(k);
        }
        // Reasons are compared by name: their ids are each database's own.
        let mut live = computed_live[&key].clone();
        for v in [&mut replayed, &mut live] {
            for d in v["down_by_reason"].as_array_mut().unwrap() {
                d.as_object_mut().unwrap().remove("reason_id");
            }
        }
        // The ratios are quotients of the times and parts compared exactly below; the
        // report's text has them exactly, but serde_json reads a float back to within
        // one unit in the last place (without its float_roundtrip feature).
        for ratio in ["availability", "performance", "quality", "oee"] {
            let (a, b) = (replayed[ratio].as_f64(), live[ratio].as_f64());
            match (a, b) {
                (Some(a), Some(b)) => assert!(
                    (a - b).abs() <= 2.0 * f64::EPSILON * a.abs().max(1.0),
                    "{key:?} {ratio}: {a} {b}\nreplayed: {}\nlive: {}",
                    replayed["how"],
                    live["how"]
                ),
                (a, b) => assert_eq!(a, b, "{key:?} {ratio}"),
            }
            replayed.as_object_mut().unwrap().remove(ratio);
            live.as_object_mut().unwrap().remove(ratio);
        }
        assert_eq!(replayed, live, "{key:?}");
        compared += 1;
    }
    assert_eq!(compared, 6 * 21);
    // The week had what it was meant to have.
    let night = rows
        .iter()
        .find(|r| r["machine"] == "press-1" && r["period"]["key"] == "2026-03-28 Night")
        .unwrap();
    assert_eq!(
        night["shift_s"],
        7.0 * 3600.0,
        "the night the clocks went forward"
    );
    let outage = rows
        .iter()
        .find(|r| r["machine"] == "press-2" && r["period"]["key"] == "2026-03-24 Early")
        .unwrap();
    assert!(
        outage["no_data_s"].as_f64().unwrap() >= 300.0 - 1.0,
        "{}",
        outage["how"]["no_data"]
    );
    let wed = rows
        .iter()
        .find(|r| r["machine"] == "press-1" && r["period"]["key"] == "2026-03-25 Early")
        .unwrap();
    assert!(
        wed["how"]["performance"]
            .as_str()
            .unwrap()
            .contains("2.5 s ×"),
        "{}",
        wed["how"]["performance"]
    );
    let thu = rows
        .iter()
        .find(|r| r["machine"] == "cnc-1" && r["period"]["key"] == "2026-03-26 Early")
        .unwrap();
    assert!(thu["planned_stop_s"].as_f64().unwrap() >= 3600.0, "{thu}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_operator_explains_a_stop_on_their_machine_and_the_supervisor_sees_it() {
    let plant = TestPlant::start().await;
    let op = plant.client(Role::Operator).await;
    let sup = plant.client(Role::Supervisor).await;

    // The operator's report has their machines only.
    let r = plant.get_json(&op, "/api/production/report?by=day").await;
    let mine: HashSet<&str> = r["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["machine"].as_str().unwrap())
        .collect();
    assert_eq!(mine, HashSet::from(["press-1", "press-2", "pack-1"]));
    let denied = op
        .get(plant.url("/api/production/machines/cnc-1"))
        .send()
        .await
        .unwrap();
    assert_eq!(denied.status(), StatusCode::FORBIDDEN);
    let body: Value = denied.json().await.unwrap();
    assert_eq!(body["code"], "not_assigned");

    // A stop to explain: the last one of the simulated past waits for the operator.
    let (machine, stop, reasons) = {
        let mut found = None;
        for key in ["press-1", "press-2", "pack-1"] {
            let v = plant
                .get_json(&op, &format!("/api/production/machines/{key}"))
                .await;
            if let Some(s) = v["machine"]["to_explain"].as_array().unwrap().first() {
                found = Some((key.to_string(), s.clone(), v["reasons"].clone()));
                break;
            }
        }
        found.expect("a stop to explain on the operator's machines")
    };
    let jam = reasons
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == "Jam")
        .unwrap()["id"]
        .clone();
    let start = stop["start_ms"].as_i64().unwrap();
    let r = op
        .put(plant.url("/api/production/stop-reasons"))
        .json(
            &json!({"machine": machine, "at_ms": start, "reason_id": jam, "comment": "die stuck"}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());

    let view = plant.get_json(&sup, "/api/production/shift").await;
    let m = view["machines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["key"] == machine.as_str())
        .unwrap();
    let s = m["stops"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["start_ms"] == start)
        .unwrap();
    assert_eq!(s["needs_reason"], false);
    assert_eq!(s["segments"][0]["reason"], "Mechanical / Jam");
    assert_eq!(s["segments"][0]["entered_by"], "operator");
    assert_eq!(s["segments"][0]["comment"], "die stuck");

    // Split it: the second half was waiting for material.
    if let Some(end) = s["end_ms"].as_i64() {
        let mid = start + (end - start) / 2;
        let wait = reasons
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["name"] == "Waiting for material")
            .unwrap()["id"]
            .clone();
        let r = op
            .put(plant.url("/api/production/stop-reasons"))
            .json(&json!({"machine": machine, "at_ms": mid, "reason_id": wait}))
            .send()
            .await
            .unwrap();
        let v: Value = r.json().await.unwrap();
        assert_eq!(v["segments"].as_array().unwrap().len(), 2, "{v}");
        assert_eq!(
            v["segments"][1]["reason"],
            "Material / Waiting for material"
        );
    }
    // Not a stop: refused with the reason.
    let r = op
        .put(plant.url("/api/production/stop-reasons"))
        .json(&json!({"machine": machine, "at_ms": 1000, "reason_id": jam}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    assert_eq!(r.json::<Value>().await.unwrap()["code"], "not_a_stop");

    let admin = plant.client(Role::Admin).await;
    let audit = plant.get_json(&admin, "/api/audit?limit=50").await;
    // The reason and (when the stop had ended) the split, each audited; the audit lists
    // the newest first, so the reason is looked for, not taken as the first entry.
    let entries: Vec<&Value> = audit
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == "stop.reason")
        .collect();
    assert!(
        entries.iter().all(|e| e["actor"] == "operator"),
        "{entries:?}"
    );
    assert!(
        entries
            .iter()
            .any(|e| e["detail"].as_str().unwrap().contains("Mechanical / Jam")),
        "{entries:?}"
    );
    if s["end_ms"].as_i64().is_some() {
        assert!(
            entries
                .iter()
                .any(|e| e["detail"].as_str().unwrap().contains(" split at ")),
            "{entries:?}"
        );
    }
    plant.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_display_token_opens_its_board_until_it_is_revoked() {
    let plant = TestPlant::start().await;
    let admin = plant.client(Role::Admin).await;
    let r = admin
        .post(plant.url("/api/displays"))
        .json(&json!({"name": "Press hall TV", "machines": ["press-1", "press-2"], "cycle_s": 0}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let created: Value = r.json().await.unwrap();
    let token = created["token"].as_str().unwrap().to_string();
    let id = created["display"]["id"].as_i64().unwrap();

    let tv = anonymous();
    let board = |t: String| {
        let tv = tv.clone();
        let url = plant.url("/api/display/board");
        async move {
            tv.get(url)
                .header("x-display-token", t)
                .send()
                .await
                .unwrap()
        }
    };
    let r = board(token.clone()).await;
    assert_eq!(r.status(), 200);
    let b: Value = r.json().await.unwrap();
    let keys: Vec<&str> = b["machines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["key"].as_str().unwrap())
        .collect();
    assert_eq!(keys, ["press-1", "press-2"], "only what the admin allowed");
    assert_eq!(b["title"], "Press hall TV");
    // The token opens the board and nothing else.
    let r = tv
        .get(plant.url("/api/overview"))
        .header("x-display-token", &token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    assert_eq!(board("wrong".into()).await.status(), 401);

    let r = admin
        .post(plant.url(&format!("/api/displays/{id}/revoke")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    let r = board(token).await;
    assert_eq!(r.status(), 401);
    assert_eq!(r.json::<Value>().await.unwrap()["code"], "display_revoked");
    let audit = plant.get_json(&admin, "/api/audit?limit=50").await;
    let actions: Vec<&str> = audit
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    for a in ["display.create", "display.use", "display.revoke"] {
        assert!(actions.contains(&a), "{a} in {actions:?}");
    }
    plant.stop().await;
}

#[test]
fn bad_import_files_are_refused_whole_with_every_bad_line_listed() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = demo::plant_config(addr, "UTC");
    let toml = dir.path().join("plant.toml");
    std::fs::write(&toml, config::export(&cfg)).unwrap();
    ok(
        plantlog(&["config", "import", toml.to_str().unwrap()], dir.path()),
        "config",
    );
    let file = dir.path().join("s.csv");
    std::fs::write(
        &file,
        "time,tag,value,quality\n\
         2026-03-02T06:00:00+01:00,press-1-plc/count,100,good\n\
         yesterday,press-1-plc/count,101,good\n\
         1772427601000,press-9-plc/count,102,good\n\
         1772427602000,press-1-plc/count,,no_answer\n\
         1772427603000,press-1-plc/count,7,no_answer\n\
         1772427604000,press-1-plc/count,abc,good\n",
    )
    .unwrap();
    let out = plantlog(&["import", "samples", file.to_str().unwrap()], dir.path());
    assert!(!out.status.success());
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("4 mistakes"), "{err}");
    for line in ["line 3", "line 4", "line 6", "line 7"] {
        assert!(err.contains(line), "{line}: {err}");
    }
    // Nothing was stored.
    let db = Db::open(&DataDir::create(dir.path()).unwrap().database()).unwrap();
    assert!(!db.sql(|c| plantlog::store::raw::any(c)).unwrap());
    drop(db);

    let events = dir.path().join("e.csv");
    std::fs::write(
        &events,
        "kind,machine,time,end,reason,value,comment,by\n\
         reason,,,,Mechanical/Jam,unplanned,,\n\
         stop_reason,press-1,2026-03-02T06:10:00Z,,Mechanical/Jam,,,op\n\
         stop_reason,press-1,2026-03-02T06:20:00Z,,Mechanical/Nope,,,op\n\
         planned_stop,press-1,2026-03-02T08:00:00Z,2026-03-02T07:00:00Z,Mechanical/Jam,,,\n\
         scrap,press-1,2026-03-02T09:00:00Z,,,-3,,\n\
         ideal_cycle,press-1,2026-03-02T06:00:00Z,,,2.4,,\n\
         coffee,press-1,2026-03-02T06:00:00Z,,,,,\n",
    )
    .unwrap();
    let out = plantlog(&["import", "events", events.to_str().unwrap()], dir.path());
    assert!(!out.status.success());
    let err = String::from_utf8(out.stderr).unwrap();
    for line in ["line 4", "line 5", "line 6", "line 8"] {
        assert!(err.contains(line), "{line}: {err}");
    }
    assert!(!err.contains("line 7"), "{err}");
    let db = Db::open(&DataDir::create(dir.path()).unwrap().database()).unwrap();
    let n: i64 = db
        .sql(|c| c.query_row("SELECT count(*) FROM reasons", [], |r| r.get(0)))
        .unwrap();
    assert_eq!(n, 0, "nothing of a refused file is stored");
}
