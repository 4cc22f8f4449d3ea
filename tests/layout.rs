//! The layout rules of docs/ARCHITECTURE.md, checked on the source: no room imports a
//! room that imports it back; the collector only emits (it imports none of the rooms
//! that listen to it); handlers hold no SQL and check no roles; only the router adds
//! routes, each from the endpoint table with its access rule.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// Every .rs file under `dir`, recursively.
fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(files(&p));
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
    out.sort();
    out
}

/// The source without its `#[cfg(test)]` modules and comments (tests may reach
/// anywhere); a test module in a file of its own (`tests.rs`, `tests_*.rs`, declared
/// under `#[cfg(test)]`) is none of it.
fn code(p: &Path) -> String {
    let name = p.file_name().unwrap().to_string_lossy();
    if name == "tests.rs" || name.starts_with("tests_") {
        return String::new();
    }
    let text = std::fs::read_to_string(p).unwrap();
    let text = match text.find("#[cfg(test)]\nmod ") {
        Some(i) => &text[..i],
        None => &text[..],
    };
    text.lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The room (top-level module under src/) a file belongs to.
fn room(p: &Path) -> String {
    let rel = p.strip_prefix(src()).unwrap();
    let first = rel
        .components()
        .next()
        .unwrap()
        .as_os_str()
        .to_string_lossy();
    first.trim_end_matches(".rs").to_string()
}

/// Which rooms each room imports through `crate::room`.
fn imports() -> BTreeMap<String, BTreeSet<String>> {
    let re = regex::Regex::new(r"crate::([a-z_]+)").unwrap();
    let mut map: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for f in files(&src()) {
        let r = room(&f);
        if r == "main" || r == "cli" || r == "lib" {
            continue;
        }
        let c = code(&f);
        for cap in re.captures_iter(&c) {
            let to = cap[1].to_string();
            if to != r {
                map.entry(r.clone()).or_default().insert(to);
            }
        }
    }
    map
}

#[test]
fn no_room_imports_a_room_that_imports_it_back() {
    let map = imports();
    let mut pairs = Vec::new();
    for (a, tos) in &map {
        for b in tos {
            if a < b && map.get(b).is_some_and(|t| t.contains(a)) {
                pairs.push(format!("{a} <-> {b}"));
            }
        }
    }
    assert!(pairs.is_empty(), "rooms that import each other: {pairs:?}");
}

#[test]
fn store_codec_and_rollup_do_not_import_each_other() {
    let codec_files = files(&src().join("store/codec"));
    assert!(!codec_files.is_empty(), "store/codec/ holds the codec");
    for f in &codec_files {
        let c = code(f);
        for forbidden in ["rollup", "minutes"] {
            assert!(
                !c.contains(forbidden),
                "{} imports {forbidden}: the codec stays below the rollups",
                f.display()
            );
        }
    }
    let rollup = code(&src().join("store/rollup.rs"));
    assert!(rollup.contains("codec"));
    for f in files(&src().join("store/minutes")) {
        assert!(
            code(&f).contains("codec"),
            "{} encodes with the codec",
            f.display()
        );
    }
}

#[test]
fn the_collector_only_emits() {
    for f in files(&src().join("collector")) {
        let c = code(&f);
        for forbidden in [
            "crate::store",
            "crate::production",
            "crate::live",
            "crate::app",
            "crate::core",
            "crate::api",
            "crate::sim",
        ] {
            assert!(
                !c.contains(forbidden),
                "{} imports {forbidden}",
                f.display()
            );
        }
    }
}

#[test]
fn handlers_hold_no_sql_and_check_no_roles() {
    let sql =
        regex::Regex::new(r#"(?i)"\s*(SELECT|INSERT|UPDATE|DELETE|CREATE|PRAGMA)\s"#).unwrap();
    for f in files(&src().join("api")) {
        let c = code(&f);
        assert!(!sql.is_match(&c), "SQL in {}", f.display());
        for forbidden in ["rusqlite", ".db()", ".require(", ".can(", "Permission::"] {
            if f.ends_with("api/mod.rs") && forbidden == "Permission::" {
                continue; // the endpoint table names each endpoint's permission
            }
            if f.ends_with("api/access.rs") && forbidden == ".can(" {
                continue; // the guard applies the table's rules
            }
            assert!(!c.contains(forbidden), "{} uses {forbidden}", f.display());
        }
    }
}

#[test]
fn only_the_router_adds_routes() {
    let mut routes = Vec::new();
    for f in files(&src()) {
        let c = code(&f);
        for (i, _) in c.match_indices(".route(") {
            routes.push(format!("{} at byte {i}", f.display()));
        }
        for (i, _) in c.match_indices(".nest(") {
            routes.push(format!("{} nests at byte {i}", f.display()));
        }
    }
    // The one loop over the endpoint table, and the one nest of the API under /api.
    assert_eq!(
        routes.len(),
        2,
        "routes added outside the endpoint table: {routes:?}"
    );
    assert!(
        routes.iter().all(|r| r.contains("api/mod.rs")),
        "{routes:?}"
    );
    let router = code(&src().join("api/mod.rs"));
    assert!(router.contains("(e.handler)().route_layer(guard)"));
}
