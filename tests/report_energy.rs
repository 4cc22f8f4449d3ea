//! The energy report (issue 11) on fixed seeded samples of the demo's main energy meter
//! (its kWh tag moved onto press-1, so that kWh per part has parts): kWh per production
//! day and shift from the counter's readings at the edges, across a counter reset, a
//! stretch of bad samples and a gap in the data; windows whose edge has no reading say
//! so; the peak 15-minute demand with its time; kWh per part from the production
//! engine's parts. Read back with pdftotext, calamine and the CSV.

use calamine::{Data, Reader, Xlsx};
use plantlog::auth::audit::Actor;
use plantlog::config;
use plantlog::sample::{Quality, Sample};
use plantlog::sim::demo;
use plantlog::store::{DataDir, Db, StoreError};

use super::report::pdftotext;

const MIN: i64 = 60_000;

fn ms(s: &str) -> i64 {
    s.parse::<jiff::Timestamp>().unwrap().as_millisecond()
}

fn plantlog(args: &[&str], dir: &std::path::Path) -> String {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_plantlog"))
        .args(args)
        .arg("--data-dir")
        .arg(dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// The demo plant (Europe/Berlin: production days and the Early shift start at 06:00
/// local, 05:00 UTC in March) with its energy meter's kWh tag on press-1.
///
/// The meter, one sample a minute from 2 March 04:50 UTC to 4 March 04:00 UTC: 0.5 kWh
/// a minute (30 kW), except 2.0 kWh a minute from 09:00 to 09:15 UTC on 2 March (120 kW);
/// reset to zero at 10:00 UTC on 2 March; bad (no answer) from 20:30 to 21:30 UTC on
/// 2 March; nothing stored from 08:00 to 09:00 UTC on 3 March. press-1's counter: +1 a
/// minute from 04:50 to 12:59 UTC on 2 March.
fn seeded(dir: &std::path::Path) {
    let db = Db::open(&DataDir::create(dir).unwrap().database()).unwrap();
    let mut cfg = demo::plant_config(
        |_| std::net::SocketAddr::from(([127, 0, 0, 1], 1502)),
        "Europe/Berlin",
    );
    let meter = cfg
        .devices
        .iter_mut()
        .flat_map(|d| d.tags.iter_mut())
        .find(|t| t.unit == "kWh")
        .expect("the demo has a kWh meter");
    meter.machine = Some("press-1".into());
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
    let energy = plant.tags().find(|t| t.tag.unit == "kWh").unwrap().id;
    let count = plant
        .tags()
        .find(|t| {
            t.tag.machine.as_deref().or(t.device.machine.as_deref()) == Some("press-1")
                && t.tag.name == "count"
        })
        .expect("press-1 has a counter")
        .id;
    let start = ms("2026-03-02T04:50:00Z");
    let peak = (ms("2026-03-02T09:00:00Z"), ms("2026-03-02T09:15:00Z"));
    let reset = ms("2026-03-02T10:00:00Z");
    let bad = (ms("2026-03-02T20:30:00Z"), ms("2026-03-02T21:30:00Z"));
    let gap = (ms("2026-03-03T08:00:00Z"), ms("2026-03-03T09:00:00Z"));
    let mut samples = Vec::new();
    let mut value = 1000.0;
    let mut t = start;
    while t <= ms("2026-03-04T04:00:00Z") {
        if t > start {
            value += if t > peak.0 && t <= peak.1 { 2.0 } else { 0.5 };
        }
        if t == reset {
            value = 0.5;
        }
        if t >= bad.0 && t < bad.1 {
            samples.push(Sample::bad(energy, t, Quality::NoAnswer));
        } else if !(t >= gap.0 && t < gap.1) {
            samples.push(Sample::good(energy, t, value));
        }
        if t < ms("2026-03-02T13:00:00Z") {
            samples.push(Sample::good(count, t, ((t - start) / MIN) as f64));
        }
        t += MIN;
    }
    db.sql(|c| plantlog::store::raw::insert(c, &samples))
        .unwrap();
}

fn row(text: &str, cells: &[&str]) -> bool {
    text.lines().any(|l| {
        let words: Vec<&str> = l.split_whitespace().collect();
        words.windows(cells.len()).any(|w| w == cells)
    })
}

#[test]
fn the_energy_report_has_kwh_per_day_and_shift_peak_demand_and_kwh_per_part() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    seeded(&data);
    let range = ["--from", "2026-03-02", "--to", "2026-03-04"];
    let run = |format: &str, out: &std::path::Path, extra: &[&str]| {
        let o = out.display().to_string();
        let mut a = vec!["report", "energy"];
        a.extend(range);
        a.extend(["--format", format, "-o", &o]);
        a.extend(extra);
        plantlog(&a, &data)
    };

    let pdf = tmp.path().join("energy.pdf");
    let printed = run("pdf", &pdf, &[]);
    assert!(printed.contains("energy-chart1.png"), "{printed}");
    let text = pdftotext(&pdf);
    assert!(text.contains("Energy report"), "{text}");
    assert!(text.contains("15-minute interval"), "{text}");
    // Day 1: 1440 min at 0.5 kWh plus 15 min at 1.5 kWh more, across the reset and
    // the bad hour: 742.5 kWh; 480 parts; 1.547 kWh a part; peak 30 kWh in
    // 09:00-09:15 UTC = 120 kW at 10:00 local.
    assert!(
        row(
            &text,
            &[
                "2026-03-02",
                "742.5",
                "480",
                "1.547",
                "120.0",
                "2026-03-02",
                "10:00"
            ]
        ),
        "{text}"
    );
    assert!(
        text.contains("Peak demand: 120.0 kW in the 15-minute interval from 2026-03-02 10:00."),
        "{text}"
    );
    // Day 2 ends an hour after the last reading: no figure, and it says why.
    assert!(
        row(&text, &["2026-03-03", "0", "30.0", "2026-03-03", "06:00"]),
        "{text}"
    );
    assert!(text.contains("not enough data"), "{text}");
    // Shifts: Early of day 1 (8 h at 0.5 plus the peak's 22.5); Early of day 2 bridges
    // the gap (8 h at 0.5, no parts that day); Late of day 2.
    assert!(
        row(&text, &["2026-03-02", "Early", "262.5", "480", "0.547"]),
        "{text}"
    );
    assert!(row(&text, &["2026-03-03", "Early", "240.0", "0"]), "{text}");
    assert!(row(&text, &["2026-03-03", "Late", "240.0", "0"]), "{text}");
    // Late of day 1 ends in the bad hour; its Night starts there: no figures.
    assert!(!row(&text, &["2026-03-02", "Late", "240.0"]), "{text}");

    // The CSV: the same figures, plain.
    let csv = tmp.path().join("energy.csv");
    run("csv", &csv, &["--no-bom"]);
    let c = std::fs::read_to_string(&csv).unwrap();
    assert!(
        c.contains("2026-03-02,742.5,480,1.547,120.0,2026-03-02 10:00,\n"),
        "{c}"
    );
    assert!(
        c.contains(
            "2026-03-03,,0,,30.0,2026-03-03 06:00,not enough data: no good reading in the 60 s up to 2026-03-04 06:00\n"
        ),
        "{c}"
    );
    assert!(
        c.contains(
            "2026-03-02 Late,,0,,not enough data: no good reading in the 60 s up to 2026-03-02 22:00\n"
        ),
        "{c}"
    );
    assert!(
        c.contains(
            "2026-03-02 Night,,0,,not enough data: no good reading in the 60 s up to 2026-03-02 22:00\n"
        ),
        "{c}"
    );
    assert!(c.contains("2026-03-02 Early,262.5,480,0.547,\n"), "{c}");

    // The XLSX: real numbers.
    let xlsx = tmp.path().join("energy.xlsx");
    run("xlsx", &xlsx, &[]);
    let mut book: Xlsx<_> = calamine::open_workbook(&xlsx).unwrap();
    let r = book.worksheet_range("1 days").unwrap();
    let rows: Vec<Vec<Data>> = r.rows().map(|r| r.to_vec()).collect();
    assert_eq!(rows[0][1], Data::String("Energy (kWh)".into()));
    assert_eq!(rows[0][4], Data::String("Peak (kW)".into()));
    assert_eq!(rows[1][0], Data::String("2026-03-02".into()));
    assert_eq!(
        rows[1][1..5],
        [
            Data::Float(742.5),
            Data::Float(480.0),
            Data::Float(742.5 / 480.0),
            Data::Float(120.0)
        ]
    );
    assert_eq!(rows[2][1], Data::Empty);
    let r = book.worksheet_range("1 shifts").unwrap();
    let rows: Vec<Vec<Data>> = r.rows().map(|r| r.to_vec()).collect();
    assert_eq!(rows[1][0], Data::String("2026-03-02 Early".into()));
    assert_eq!(rows[1][1], Data::Float(262.5));
}
