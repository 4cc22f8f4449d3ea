//! The catalogues: every file parses, every language has every message of English with
//! the same variables (and nothing English lacks), and every message the code names
//! exists in English.

use std::collections::{BTreeMap, BTreeSet};

use super::*;

/// A catalogue file's messages: id -> the variables its text names. Messages start at
/// the line's start (`id = ...`), their further lines are indented.
fn messages(src: &str) -> BTreeMap<String, BTreeSet<String>> {
    let var = regex::Regex::new(r"\$([A-Za-z][A-Za-z0-9_-]*)").unwrap();
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut current: Option<String> = None;
    for line in src.lines() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let body = if line.starts_with(char::is_whitespace) {
            line
        } else {
            let (id, rest) = line.split_once('=').expect("a message: id = text");
            let id = id.trim().to_string();
            assert!(!out.contains_key(&id), "message {id} twice");
            out.insert(id.clone(), BTreeSet::new());
            current = Some(id);
            rest
        };
        let id = current.as_ref().expect("a message before its lines");
        let vars = out.get_mut(id).unwrap();
        for c in var.captures_iter(body) {
            vars.insert(c[1].to_string());
        }
    }
    out
}

fn catalogue(lang: Lang) -> BTreeMap<String, BTreeSet<String>> {
    let (_, files) = FILES.iter().find(|(l, _)| *l == lang).unwrap();
    let mut all = BTreeMap::new();
    for src in *files {
        if let Err((_, errors)) = FluentResource::try_new(src.to_string()) {
            panic!("{lang}: the catalogue does not parse: {errors:?}");
        }
        for (id, vars) in messages(src) {
            assert!(all.insert(id.clone(), vars).is_none(), "{lang}: {id} twice");
        }
    }
    all
}

#[test]
fn every_language_has_every_message_with_the_same_variables() {
    let en = catalogue(Lang::En);
    assert!(en.len() > 50, "English has {} messages", en.len());
    for lang in [Lang::De, Lang::Es, Lang::Zh] {
        let other = catalogue(lang);
        let missing: Vec<_> = en.keys().filter(|k| !other.contains_key(*k)).collect();
        assert!(missing.is_empty(), "{lang} lacks {missing:?}");
        let extra: Vec<_> = other.keys().filter(|k| !en.contains_key(*k)).collect();
        assert!(extra.is_empty(), "{lang} has what English lacks: {extra:?}");
        for (id, vars) in &en {
            assert_eq!(
                vars, &other[id],
                "{lang}: {id} names other variables than English"
            );
        }
    }
}

#[test]
fn the_checker_sees_a_missing_message_and_a_renamed_variable() {
    let a = messages(
        "a = One { $n }\nb = Two\n    { $m ->\n        [one] x\n       *[other] y\n    }\n",
    );
    assert_eq!(a["a"], BTreeSet::from(["n".to_string()]));
    assert_eq!(a["b"], BTreeSet::from(["m".to_string()]));
    let b = messages("a = Eins { $count }\n");
    assert!(!b.contains_key("b"));
    assert_ne!(a["a"], b["a"]);
}

/// Every `"report-…"`, `"cli-…"` and `"mail-…"` literal in src/ (outside this test) is a message of
/// English.
#[test]
fn every_message_the_code_names_exists() {
    let en = catalogue(Lang::En);
    let id = regex::Regex::new(r#""((?:report|cli|mail|passport|errors)-[a-z0-9_-]+)""#).unwrap();
    let mut missing = Vec::new();
    let mut seen = 0;
    let mut stack = vec![std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src")];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "rs") && !p.ends_with("i18n/tests.rs") {
                let src = std::fs::read_to_string(&p).unwrap();
                for c in id.captures_iter(&src) {
                    seen += 1;
                    if !en.contains_key(&c[1]) {
                        missing.push(format!("{}: {}", p.display(), &c[1]));
                    }
                }
            }
        }
    }
    assert!(seen > 50, "only {seen} message ids found in the code");
    assert!(missing.is_empty(), "not in locales/en: {missing:#?}");
}

#[test]
fn a_message_is_said_in_the_language_with_english_for_what_it_lacks() {
    assert_eq!(t(Lang::En, "report-shift-title"), "Shift report");
    assert_eq!(t(Lang::De, "report-shift-title"), "Schichtbericht");
    assert_eq!(t(Lang::Zh, "report-shift-title"), "班次报告");
    assert_eq!(
        crate::tr!(Lang::De, "report-page", page = 2, pages = 5),
        "Seite 2 von 5"
    );
    // No bidi isolation marks around arguments.
    assert!(!crate::tr!(Lang::En, "report-page", page = 1, pages = 1).contains('\u{2068}'));
    // Not in any catalogue: the id, so it is seen and fixed.
    assert_eq!(
        t(Lang::De, "report-no-such-message-x"),
        "report-no-such-message-x"
    );
}

#[test]
fn numbers_and_times_follow_the_locale() {
    assert_eq!(Lang::En.num(7.256, 2), "7.26");
    assert_eq!(Lang::De.num(7.256, 2), "7,26");
    assert_eq!(Lang::Es.pct(0.8534), "85,3 %");
    assert_eq!(Lang::Zh.pct(0.8534), "85.3%");
    let tz = jiff::tz::TimeZone::get("Europe/Berlin").unwrap();
    // 2026-03-02 05:00 UTC.
    let ms = 1_772_427_600_000;
    assert_eq!(Lang::En.datetime(ms, &tz), "2026-03-02 06:00");
    assert_eq!(Lang::De.datetime(ms, &tz), "02.03.2026 06:00");
    assert_eq!(Lang::Es.datetime(ms, &tz), "02/03/2026 06:00");
    assert_eq!(Lang::parse("de_AT.UTF-8"), Some(Lang::De));
    assert_eq!(Lang::parse("fr"), None);
}
