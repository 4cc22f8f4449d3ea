//! The command line: configuration import with every mistake listed, export round
//! trip, the one-process-per-data-folder lock.

use std::process::{Command, Output};

fn plantlog(args: &[&str], dir: &std::path::Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_plantlog"))
        .args(args)
        .arg("--data-dir")
        .arg(dir)
        .output()
        .unwrap()
}

const GOOD: &str = r#"
[site]
name = "Test Plant"
timezone = "Europe/Berlin"

[[shifts]]
name = "Day"
start = "06:00"
end = "18:00"

[[machines]]
key = "press-1"
name = "Press 1"

[[devices]]
key = "press-1-plc"
protocol = "modbus-tcp"
host = "192.168.1.20"
unit_id = 3

[[devices.tags]]
name = "count"
machine = "press-1"
role = "count"
function = "holding"
address = 1
type = "u32"
order = "CDAB"

[[devices.tags]]
name = "temperature"
machine = "press-1"
function = "input"
address = 10
type = "i16"
scale = 0.1
unit = "°C"
"#;

#[test]
fn three_mistakes_one_error_listing_all_three() {
    let dir = tempfile::tempdir().unwrap();
    let bad = GOOD
        .replace("Europe/Berlin", "Europe/Atlantis")
        .replace("address = 10", "address = 70000")
        .replace(
            "machine = \"press-1\"\nrole = \"count\"",
            "machine = \"press-9\"\nrole = \"count\"",
        );
    let file = dir.path().join("bad.toml");
    std::fs::write(&file, bad).unwrap();
    let out = plantlog(&["config", "import", file.to_str().unwrap()], dir.path());
    assert!(!out.status.success());
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("3 mistakes"), "{err}");
    assert!(err.contains("site, field \"timezone\""), "{err}");
    assert!(
        err.contains("device \"press-1-plc\", tag \"temperature\", field \"address\""),
        "{err}"
    );
    assert!(
        err.contains("device \"press-1-plc\", tag \"count\", field \"machine\""),
        "{err}"
    );
    // Nothing was imported.
    let out = plantlog(&["config", "export"], dir.path());
    assert!(!out.status.success());
    assert!(
        String::from_utf8(out.stderr)
            .unwrap()
            .contains("no configuration yet")
    );
}

#[test]
fn import_export_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("plant.toml");
    std::fs::write(&file, GOOD).unwrap();
    let out = plantlog(&["config", "import", file.to_str().unwrap()], dir.path());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let exported = dir.path().join("exported.toml");
    let out = plantlog(
        &["config", "export", "-o", exported.to_str().unwrap()],
        dir.path(),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let a = plantlog::config::parse(GOOD).unwrap();
    let b = plantlog::config::parse(&std::fs::read_to_string(&exported).unwrap()).unwrap();
    assert_eq!(a, b);
    // Importing the export changes nothing.
    let out = plantlog(
        &["config", "import", exported.to_str().unwrap()],
        dir.path(),
    );
    assert!(out.status.success());
    assert!(
        String::from_utf8(out.stdout)
            .unwrap()
            .contains("nothing changed")
    );
}

#[cfg(unix)]
#[test]
fn a_second_process_says_who_holds_the_folder() {
    let dir = tempfile::tempdir().unwrap();
    let (mut first, _, _) = crate::restart::start_demo(dir.path());
    let out = plantlog(&["run", "--port", "0"], dir.path());
    first.kill().unwrap();
    first.wait().unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("another Plantlog process"), "{err}");
    assert!(err.contains(&format!("process {}", first.id())), "{err}");
    assert!(err.contains("plantlog demo"), "{err}");
}

/// The command line speaks the plant's language once it opens the database; `--lang`
/// chooses another; a language Plantlog does not ship is refused with the choices.
#[test]
fn the_command_line_speaks_the_plants_language() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let file = dir.path().join("plant.toml");
    std::fs::write(&file, GOOD).unwrap();
    let text = |o: &Output| {
        format!(
            "{}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        )
    };
    let out = plantlog(
        &["--lang", "de", "config", "import", file.to_str().unwrap()],
        &data,
    );
    assert!(out.status.success(), "{}", text(&out));
    assert!(
        text(&out).contains("als Konfigurationsversion 1 in"),
        "{}",
        text(&out)
    );
    // English until the admin chooses German for the plant.
    let out = plantlog(&["users", "list"], &data);
    assert!(text(&out).contains("No users yet"), "{}", text(&out));
    let db =
        plantlog::store::Db::open(&plantlog::store::DataDir::create(&data).unwrap().database())
            .unwrap();
    db.with(|c| {
        plantlog::auth::prefs::set_default_language(c, "de").unwrap();
        Ok::<_, plantlog::store::StoreError>(())
    })
    .unwrap();
    drop(db);
    let out = plantlog(&["users", "list"], &data);
    assert!(text(&out).contains("Noch keine Benutzer"), "{}", text(&out));
    let out = plantlog(&["users", "reset-password", "nobody"], &data);
    assert!(!out.status.success());
    assert!(
        text(&out).contains("Fehler: es gibt keinen Benutzer „nobody“"),
        "{}",
        text(&out)
    );
    // A command that does not open the database reads the plant's language from it.
    let out = plantlog(&["config", "check", file.to_str().unwrap()], &data);
    assert!(
        text(&out).contains("ist eine gültige Konfiguration"),
        "{}",
        text(&out)
    );
    let out = plantlog(&["audit", "verify"], &data);
    assert!(
        text(&out).contains("Das Audit-Protokoll ist unverändert"),
        "{}",
        text(&out)
    );
    let out = plantlog(&["--lang", "en", "users", "list"], &data);
    assert!(text(&out).contains("No users yet"), "{}", text(&out));
    let out = plantlog(&["--lang", "fr", "users", "list"], &data);
    assert!(!out.status.success());
    assert!(
        text(&out).contains("choose en, de, es or zh"),
        "{}",
        text(&out)
    );
}

/// Issue 18: a configuration rejected whole lists every mistake with its place in the
/// reader's language, German by `--lang`, Chinese by `PLANTLOG_LANG`; names and keys
/// as they are, no English sentence left.
#[test]
fn a_rejected_configuration_is_said_in_german_and_chinese() {
    let dir = tempfile::tempdir().unwrap();
    let bad = GOOD.replace("Europe/Berlin", "Europe/Atlantis").replace(
        "machine = \"press-1\"\nrole = \"count\"",
        "machine = \"press-9\"\nrole = \"count\"",
    );
    let file = dir.path().join("bad.toml");
    std::fs::write(&file, bad).unwrap();
    let data = dir.path().join("data");

    let out = plantlog(
        &["--lang", "de", "config", "check", file.to_str().unwrap()],
        &data,
    );
    assert!(!out.status.success());
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.starts_with("Fehler: die Konfiguration wurde nicht importiert; 2 Fehler zu beheben:\n"),
        "{err}"
    );
    assert!(
        err.contains(
            "\n  - Standort, Feld „timezone“: „Europe/Atlantis“ ist keine bekannte Zeitzone; verwenden Sie einen IANA-Namen"
        ),
        "{err}"
    );
    assert!(
        err.contains(
            "\n  - Gerät „press-1-plc“, Tag „count“, Feld „machine“: es gibt keine Maschine „press-9“; fügen Sie sie unter [[machines]] hinzu"
        ),
        "{err}"
    );
    assert!(
        !err.contains("is not a known") && !err.contains("there is no"),
        "{err}"
    );

    let out = Command::new(env!("CARGO_BIN_EXE_plantlog"))
        .args(["config", "import", file.to_str().unwrap(), "--data-dir"])
        .arg(&data)
        .env("PLANTLOG_LANG", "zh")
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("配置未导入；需要修正 2 处错误："), "{err}");
    assert!(
        err.contains("\n  - 站点，字段“timezone”：“Europe/Atlantis”不是已知的时区"),
        "{err}"
    );
    assert!(
        err.contains("\n  - 设备“press-1-plc”，标签“count”，字段“machine”：没有机器“press-9”"),
        "{err}"
    );
    assert!(
        !err.contains("mistake") && !err.contains("there is no"),
        "{err}"
    );
}
