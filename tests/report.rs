//! Reports (issue 11): on the demo plant's simulated history, `plantlog report
//! production` writes a PDF (by day, and by month as the acceptance asks) whose figures
//! are those of `plantlog production report` for the same range (read back with pdftotext), an XLSX whose cells hold the same numbers
//! (read back with calamine), and a shift report PDF with each shift's machines.

use std::process::{Command, Output};

use calamine::{Data, Reader, Xlsx};
use plantlog::auth::audit::Actor;
use plantlog::config;
use plantlog::production::calendar::Calendar;
use plantlog::sim::demo;
use plantlog::store::{DataDir, Db, StoreError};
use serde_json::Value;

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

pub(crate) fn pdftotext(p: &std::path::Path) -> String {
    let out = Command::new("pdftotext")
        .arg("-layout")
        .arg(p)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is installed");
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap()
}

/// A data folder with the demo plant and `days` of its simulated history up to now,
/// stops explained by the simulated operators. Returns the range of the last whole
/// production days in it.
pub(crate) fn demo_plant(dir: &std::path::Path, days: i64) -> (i64, i64) {
    let db = Db::open(&DataDir::create(dir).unwrap().database()).unwrap();
    let cfg = demo::plant_config(
        |_| std::net::SocketAddr::from(([127, 0, 0, 1], 1502)),
        "Europe/Berlin",
    );
    db.with(|c| {
        Ok::<_, StoreError>(config::import(
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
        .with(|c| Ok::<_, StoreError>(config::load_plant(c)))
        .unwrap()
        .unwrap();
    let now = plantlog::sample::now_ms();
    let start = now - days * 86_400_000;
    demo::generate_history(&db, &plant, &demo::specs(), start, now).unwrap();
    plantlog::sim::operators::setup(&db, &demo::ideal_cycles(), start).unwrap();
    plantlog::sim::operators::explain_history(&db, &plant, start, now, 7).unwrap();
    let cal = Calendar::new(&plant.config);
    let today = cal.day_of(now);
    let to = cal.day_start(today);
    let from = cal.day_start(today.yesterday().unwrap().yesterday().unwrap());
    (from, to)
}

fn pct(v: &Value) -> String {
    match v.as_f64() {
        Some(f) => format!("{:.1} %", f * 100.0),
        None => String::new(),
    }
}

fn hours(v: &Value) -> String {
    format!("{:.2}", v.as_f64().unwrap() / 3600.0)
}

/// The cells of a figures row as the report writes them.
fn figure_texts(r: &Value) -> Vec<String> {
    let stops: i64 = r["down_by_reason"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["count"].as_i64().unwrap())
        .sum();
    vec![
        hours(&r["planned_s"]),
        hours(&r["run_s"]),
        hours(&r["down_s"]),
        hours(&r["no_data_s"]),
        stops.to_string(),
        r["parts_total"].to_string(),
        r["parts_good"].to_string(),
        r["parts_scrap"].to_string(),
        pct(&r["availability"]),
        pct(&r["performance"]),
        pct(&r["quality"]),
        pct(&r["oee"]),
    ]
}

/// Whether a line of `text` reads `cells` in order, separated by spaces only.
fn has_row(text: &str, cells: &[String]) -> bool {
    let want: Vec<&str> = cells.iter().flat_map(|c| c.split_whitespace()).collect();
    text.lines()
        .any(|l| l.split_whitespace().collect::<Vec<_>>() == want)
}

/// Issue 11's acceptance: the production report's PDF has the figures of `plantlog
/// production report` for the same range, machine by machine and for the plant; the
/// XLSX has them as numbers.
#[test]
fn the_production_report_pdf_and_xlsx_have_the_production_engines_figures() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let (from, to) = demo_plant(&data, 3);
    let (f, t) = (from.to_string(), to.to_string());
    let json = ok(
        plantlog(
            &[
                "production",
                "report",
                "--from",
                &f,
                "--to",
                &t,
                "--by",
                "day",
                "--format",
                "json",
            ],
            &data,
        ),
        "production report",
    );
    let engine: Value = serde_json::from_str(&json).unwrap();
    let pdf = dir.path().join("month.pdf");
    ok(
        plantlog(
            &[
                "report",
                "production",
                "--from",
                &f,
                "--to",
                &t,
                "--by",
                "day",
                "--format",
                "pdf",
                "-o",
                pdf.to_str().unwrap(),
            ],
            &data,
        ),
        "report production",
    );
    let text = pdftotext(&pdf);
    let rows = engine["rows"].as_array().unwrap();
    assert_eq!(
        rows.len(),
        2 * 6,
        "two days of the demo's six machines with figures"
    );
    let mut checked = 0;
    for r in rows {
        let mut cells = vec![
            r["machine_name"].as_str().unwrap().to_string(),
            r["period"]["key"].as_str().unwrap().to_string(),
        ];
        cells.extend(figure_texts(r));
        assert!(has_row(&text, &cells), "{cells:?} not in\n{text}");
        checked += 1;
    }
    for r in engine["plant"].as_array().unwrap() {
        let mut cells = vec![r["period"]["key"].as_str().unwrap().to_string()];
        cells.extend(figure_texts(r));
        assert!(has_row(&text, &cells), "{cells:?} not in\n{text}");
        checked += 1;
    }
    assert_eq!(checked, 14);
    assert!(text.contains("Downtime by reason (Pareto)"), "{text}");
    assert!(text.contains("Europe/Berlin"));
    // The charts beside it.
    for n in [1, 2] {
        let png = std::fs::read(dir.path().join(format!("month-chart{n}.png"))).unwrap();
        assert_eq!(&png[1..4], b"PNG");
    }

    // The month report the acceptance names: `plantlog report production --format pdf`
    // with its default period (the month) against `plantlog production report --by
    // month` for the same range.
    let json = ok(
        plantlog(
            &[
                "production",
                "report",
                "--from",
                &f,
                "--to",
                &t,
                "--by",
                "month",
                "--format",
                "json",
            ],
            &data,
        ),
        "production report by month",
    );
    let month: Value = serde_json::from_str(&json).unwrap();
    let month_pdf = dir.path().join("by-month.pdf");
    ok(
        plantlog(
            &[
                "report",
                "production",
                "--from",
                &f,
                "--to",
                &t,
                "--format",
                "pdf",
                "-o",
                month_pdf.to_str().unwrap(),
            ],
            &data,
        ),
        "report production by month",
    );
    let month_text = pdftotext(&month_pdf);
    assert!(month_text.contains("by month"), "{month_text}");
    let month_rows = month["rows"].as_array().unwrap();
    assert!(
        (6..=12).contains(&month_rows.len()),
        "the six machines, in one month or two: {}",
        month_rows.len()
    );
    for r in month_rows {
        let mut cells = vec![
            r["machine_name"].as_str().unwrap().to_string(),
            r["period"]["key"].as_str().unwrap().to_string(),
        ];
        cells.extend(figure_texts(r));
        assert!(
            has_row(&month_text, &cells),
            "{cells:?} not in\n{month_text}"
        );
    }
    for r in month["plant"].as_array().unwrap() {
        let mut cells = vec![r["period"]["key"].as_str().unwrap().to_string()];
        cells.extend(figure_texts(r));
        assert!(
            has_row(&month_text, &cells),
            "{cells:?} not in\n{month_text}"
        );
    }

    // XLSX: the same figures as numbers.
    let xlsx = dir.path().join("month.xlsx");
    ok(
        plantlog(
            &[
                "report",
                "production",
                "--from",
                &f,
                "--to",
                &t,
                "--by",
                "day",
                "--format",
                "xlsx",
                "-o",
                xlsx.to_str().unwrap(),
            ],
            &data,
        ),
        "report production xlsx",
    );
    let mut wb: Xlsx<_> = calamine::open_workbook(&xlsx).unwrap();
    let m = wb.worksheet_range("Machines").unwrap();
    assert_eq!(m.get_value((0, 3)), Some(&Data::String("Run (h)".into())));
    for (i, r) in rows.iter().enumerate() {
        let row = i as u32 + 1;
        assert_eq!(
            m.get_value((row, 0)),
            Some(&Data::String(r["machine_name"].as_str().unwrap().into()))
        );
        // serde_json's default float parser may land one unit in the last place off
        // (without its float_roundtrip feature): equal to within one ulp.
        let close = |cell: Option<&Data>, want: f64| match cell {
            Some(Data::Float(v)) => (v - want).abs() <= f64::EPSILON * want.abs(),
            _ => false,
        };
        assert!(
            close(m.get_value((row, 3)), r["run_s"].as_f64().unwrap() / 3600.0),
            "{:?}",
            m.get_value((row, 3))
        );
        assert_eq!(
            m.get_value((row, 8)),
            Some(&Data::Float(r["parts_good"].as_i64().unwrap() as f64))
        );
        match r["oee"].as_f64() {
            Some(oee) => assert!(close(m.get_value((row, 13)), oee), "{oee}"),
            None => assert_eq!(m.get_value((row, 13)), None),
        }
    }

    // The shift report of the same days: every shift's machines with their figures.
    let shift = dir.path().join("shift.pdf");
    ok(
        plantlog(
            &[
                "report",
                "shift",
                "--from",
                &f,
                "--to",
                &t,
                "-o",
                shift.to_str().unwrap(),
            ],
            &data,
        ),
        "report shift",
    );
    let text = pdftotext(&shift);
    let json = ok(
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
            &data,
        ),
        "production report by shift",
    );
    let engine: Value = serde_json::from_str(&json).unwrap();
    let mut shifts = 0;
    for r in engine["rows"].as_array().unwrap() {
        if r["period"]["shift"].is_null() {
            continue;
        }
        let mut cells = vec![r["machine_name"].as_str().unwrap().to_string()];
        cells.extend(figure_texts(r));
        assert!(has_row(&text, &cells), "{cells:?} not in\n{text}");
        shifts += 1;
    }
    assert!(shifts >= 6 * 4, "{shifts} machine-shifts checked");
    assert!(text.contains("Machine states"));

    // The same shift report in German: title, headers, states and decimal commas.
    let de = dir.path().join("schicht.pdf");
    let args = |lang: &'static str, kind: &'static str, out: &std::path::Path| {
        let mut v: Vec<String> = ["--lang", lang, "report", kind, "--from", &f, "--to", &t]
            .iter()
            .map(|s| s.to_string())
            .collect();
        v.extend(["-o".to_string(), out.to_str().unwrap().to_string()]);
        v
    };
    let run = |v: Vec<String>| {
        let v: Vec<&str> = v.iter().map(String::as_str).collect();
        plantlog(&v, &data)
    };
    ok(run(args("de", "shift", &de)), "report shift in German");
    let text = pdftotext(&de);
    for want in [
        "Schichtbericht",
        "Maschine",
        "Lauf (h)",
        "Ausschuss",
        "Maschinenzustände",
        "Seite 1 von",
    ] {
        assert!(text.contains(want), "{want} not in\n{text}");
    }
    assert!(
        regex::Regex::new(r"\b\d+,\d{2}\b").unwrap().is_match(&text),
        "hours with a decimal comma in\n{text}"
    );
    // And the production report in Chinese, in the PC's CJK font.
    let zh = dir.path().join("zh.pdf");
    let out = run(args("zh", "production", &zh));
    if plantlog::report::fonts::cjk().is_some() {
        ok(out, "report production in Chinese");
        let text = pdftotext(&zh);
        for want in ["生产报告", "设备", "运行 (小时)", "合格", "第 1 页"] {
            assert!(text.contains(want), "{want} not in\n{text}");
        }
    } else {
        assert!(!out.status.success());
        assert!(String::from_utf8_lossy(&out.stderr).contains("PLANTLOG_CJK_FONT"));
    }
}

/// Issue 11's permissions: operators run no report and write nothing to a USB stick
/// until the admin allows it in the security settings; then they may, at once, and
/// taking the grant back takes the permission back.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn operators_run_reports_and_write_to_sticks_only_when_the_admin_allows() {
    use plantlog::auth::Role;
    let plant = crate::util::TestPlant::start().await;
    let admin = plant.client(Role::Admin).await;
    let op = plant.client(Role::Operator).await;
    let now = plantlog::sample::now_ms();
    let report = plant.url(&format!(
        "/api/reports/file?kind=production&format=csv&from={}&to={now}",
        now - 3_600_000
    ));
    let tag_report = plant.url(&format!(
        "/api/reports/energy?format=csv&from={}&to={now}",
        now - 3_600_000
    ));
    let status = |c: &reqwest::Client, url: String| {
        let c = c.clone();
        async move { c.get(url).send().await.unwrap().status().as_u16() }
    };
    let exports = plant.url("/api/exports");
    let drives = plant.url("/api/removable/drives");
    assert_eq!(status(&op, report.clone()).await, 403);
    assert_eq!(status(&op, tag_report.clone()).await, 403);
    assert_eq!(status(&op, exports.clone()).await, 403);
    assert_eq!(status(&op, drives.clone()).await, 403);
    // Supervisors run reports by their role; only the admin writes to sticks.
    let sup = plant.client(Role::Supervisor).await;
    assert_eq!(status(&sup, report.clone()).await, 200);
    assert_eq!(status(&sup, exports.clone()).await, 403);

    let mut s = plant.get_json(&admin, "/api/security").await["settings"].clone();
    assert_eq!(s["report_roles"], serde_json::json!([]));
    assert_eq!(s["removable_roles"], serde_json::json!(["admin"]));
    s["report_roles"] = serde_json::json!(["operator"]);
    s["removable_roles"] = serde_json::json!(["operator"]);
    let r = admin
        .put(plant.url("/api/security"))
        .json(&s)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let v: Value = r.json().await.unwrap();
    assert_eq!(
        v["settings"]["removable_roles"],
        serde_json::json!(["admin", "operator"]),
        "the admin always writes to sticks"
    );
    // The operator's session has the grants now.
    let me = plant.get_json(&op, "/api/me").await;
    let perms = me["permissions"].to_string();
    for p in ["run_reports", "run_data_reports", "write_removable"] {
        assert!(perms.contains(p), "{p} in {perms}");
    }
    assert_eq!(status(&op, report.clone()).await, 200);
    assert_eq!(status(&op, tag_report.clone()).await, 200);
    assert_eq!(status(&op, exports.clone()).await, 200);
    assert_eq!(status(&op, drives.clone()).await, 200);
    assert_eq!(
        status(&sup, exports.clone()).await,
        403,
        "only those granted"
    );
    // The change is in the audit log, in words.
    let log = plant
        .get_json(&admin, "/api/audit?limit=20")
        .await
        .to_string();
    assert!(
        log.contains("reports also run by nobody -> operator"),
        "{log}"
    );
    assert!(
        log.contains("removable drives written by admin -> admin,operator"),
        "{log}"
    );
    // Taken back.
    s["report_roles"] = serde_json::json!([]);
    s["removable_roles"] = serde_json::json!(["admin"]);
    let r = admin
        .put(plant.url("/api/security"))
        .json(&s)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(status(&op, report).await, 403);
    assert_eq!(status(&op, exports).await, 403);
    plant.stop().await;
}
