//! The tag report (issue 11) on fixed seeded samples: the figures per hour and per
//! production day are the minimum, maximum and mean of the good samples (bad ones are
//! not figures), read back from the PDF with pdftotext and from the XLSX with calamine;
//! the alarms raised in the range on the tags' machines are listed, others are not.

use calamine::{Data, Reader, Xlsx};
use plantlog::auth::audit::Actor;
use plantlog::config;
use plantlog::sample::{Quality, Sample};
use plantlog::sim::demo;
use plantlog::store::{DataDir, Db, StoreError};

use super::report::pdftotext;

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

/// The demo plant's configuration (Europe/Berlin), no history; the samples of two
/// press-1 tags and three alarms. Returns the two tags as device/tag.
fn seeded(dir: &std::path::Path) -> (String, String) {
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
    let pick = |unit: &str| {
        plant
            .tags()
            .find(|t| {
                t.tag.machine.as_deref().or(t.device.machine.as_deref()) == Some("press-1")
                    && t.tag.unit == unit
            })
            .map(|t| (t.id, format!("{}/{}", t.device.key, t.tag.name)))
            .unwrap_or_else(|| panic!("press-1 has a tag in {unit}"))
    };
    let (temp, temp_name) = pick("°C");
    let (amps, amps_name) = pick("A");
    // Berlin is UTC+1 on 2 March 2026: 06:00 local is 05:00 UTC.
    let samples = vec![
        Sample::good(temp, ms("2026-03-02T05:00:00Z"), 10.0),
        Sample::good(temp, ms("2026-03-02T05:20:00Z"), 20.0),
        Sample::good(temp, ms("2026-03-02T05:40:00Z"), 30.0),
        Sample::good(temp, ms("2026-03-02T06:10:00Z"), 5.0),
        Sample::bad(temp, ms("2026-03-02T06:30:00Z"), Quality::NoAnswer),
        Sample::good(temp, ms("2026-03-02T06:50:00Z"), 6.0),
        // Before the range: not counted.
        Sample::good(temp, ms("2026-03-02T04:59:59Z"), 99.0),
        Sample::good(amps, ms("2026-03-02T05:05:00Z"), 12.5),
        Sample::good(amps, ms("2026-03-02T05:06:00Z"), 13.25),
    ];
    db.sql(|c| {
        plantlog::store::raw::insert(c, &samples)?;
        for (key, machine, at) in [
            ("oil-hot", "press-1", "2026-03-02T05:30:00Z"),
            ("other", "press-2", "2026-03-02T05:31:00Z"),
            ("late", "press-1", "2026-03-03T05:31:00Z"),
        ] {
            c.execute(
                "INSERT INTO alarms (key, rule, kind, name, priority, roles, machine, raised_at)
                 VALUES (?1, ?1, 'high', ?2, 'high', 'admin', ?3, ?4)",
                rusqlite::params![key, format!("Alarm {key}"), machine, ms(at)],
            )?;
            c.execute(
                "INSERT INTO alarm_events (alarm_id, at, what, by) VALUES (?1, ?2, 'raised', 'plantlog')",
                rusqlite::params![c.last_insert_rowid(), ms(at)],
            )?;
        }
        Ok(())
    })
    .unwrap();
    (temp_name, amps_name)
}

fn row(text: &str, cells: &[&str]) -> bool {
    text.lines().any(|l| {
        let words: Vec<&str> = l.split_whitespace().collect();
        words.windows(cells.len()).any(|w| w == cells)
    })
}

#[test]
fn the_tag_report_has_min_max_and_mean_of_the_good_samples_and_the_alarms() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let (temp, amps) = seeded(&data);
    let tags = format!("{temp},{amps}");
    let pdf = tmp.path().join("tags.pdf");
    let range = [
        "--from",
        "2026-03-02T05:00:00Z",
        "--to",
        "2026-03-02T07:00:00Z",
    ];
    let mut args = vec!["report", "tag", "--tags", &tags, "--step", "hour"];
    args.extend(range);
    let out_pdf = pdf.display().to_string();
    let mut a = args.clone();
    a.extend(["--format", "pdf", "-o", &out_pdf]);
    let printed = plantlog(&a, &data);
    assert!(printed.contains("tags-chart1.png"), "{printed}");
    assert!(tmp.path().join("tags-chart2.png").is_file());
    let text = pdftotext(&pdf);
    assert!(text.contains("Tag report"), "{text}");
    // Hour, samples, min, max, mean.
    assert!(
        row(
            &text,
            &["2026-03-02", "06:00", "3", "10.00", "30.00", "20.00"]
        ),
        "{text}"
    );
    assert!(
        row(&text, &["2026-03-02", "07:00", "2", "5.00", "6.00", "5.50"]),
        "{text}"
    );
    assert!(
        row(
            &text,
            &["2026-03-02", "06:00", "2", "12.50", "13.25", "12.88"]
        ),
        "{text}"
    );
    assert!(row(&text, &["2026-03-02", "07:00", "0"]), "{text}");
    assert!(text.contains("Alarm oil-hot"), "{text}");
    assert!(
        !text.contains("Alarm other"),
        "press-2's alarm is not on press-1's tags"
    );
    assert!(
        !text.contains("Alarm late"),
        "an alarm after the range is not in it"
    );

    // The XLSX: one sheet per tag, real numbers.
    let xlsx = tmp.path().join("tags.xlsx");
    let out_xlsx = xlsx.display().to_string();
    let mut a = args.clone();
    a.extend(["--format", "xlsx", "-o", &out_xlsx]);
    plantlog(&a, &data);
    let mut book: Xlsx<_> = calamine::open_workbook(&xlsx).unwrap();
    let names = book.sheet_names();
    let sheet = names
        .iter()
        .find(|n| n.starts_with("1 "))
        .unwrap_or_else(|| panic!("{names:?}"))
        .clone();
    let r = book.worksheet_range(&sheet).unwrap();
    let rows: Vec<Vec<Data>> = r.rows().map(|r| r.to_vec()).collect();
    assert_eq!(rows[0][2], Data::String("Min (°C)".into()));
    assert_eq!(rows[1][0], Data::String("2026-03-02 06:00".into()));
    assert_eq!(
        rows[1][1..],
        [
            Data::Float(3.0),
            Data::Float(10.0),
            Data::Float(30.0),
            Data::Float(20.0)
        ]
    );
    assert_eq!(
        rows[2][1..],
        [
            Data::Float(2.0),
            Data::Float(5.0),
            Data::Float(6.0),
            Data::Float(5.5)
        ]
    );

    // By production day (06:00 to 06:00): the five good samples of the day.
    let csv = tmp.path().join("tags.csv");
    let out_csv = csv.display().to_string();
    plantlog(
        &[
            "report",
            "tag",
            "--tags",
            &temp,
            "--step",
            "day",
            "--from",
            "2026-03-02",
            "--to",
            "2026-03-03",
            "--format",
            "csv",
            "--no-bom",
            "-o",
            &out_csv,
        ],
        &data,
    );
    let text = std::fs::read_to_string(&csv).unwrap();
    assert!(text.contains("2026-03-02,5,5.00,30.00,14.20"), "{text}");
}
