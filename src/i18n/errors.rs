//! The core's errors in the reader's language, for the command line: said by their
//! stable code and params from `locales/<lang>/errors.ftl`, which is made from the UI's
//! catalogues (`ui/src/i18n/errors` and every area's `errors`), so the command line
//! and the UI say an error the same way. A configuration's mistakes are said by their
//! code (`errors-config-<code>`) with their place (`errors-place-…`).
//!
//! English keeps the core's own message (it names every detail and scripts read it);
//! another language says the catalogue's words, and the English message where the
//! catalogue has no words for the code yet or its words need a param the error lacks
//! (as the UI's `errorText` does).

use serde_json::{Map, Value};

use super::{FluentArgs, FluentValue, Lang, try_tr};
use crate::config::Problem;

/// The values an error's message names, by name (the API's `params`).
pub type Params = Map<String, Value>;

/// Codes whose English message carries the detail a person needs and that come without
/// params: the English message is said for them (the UI's `DETAILED` in
/// ui/src/lib/api.ts; a test keeps the two lists equal).
const DETAILED: &[&str] = &[
    "weak_password",
    "invalid_username",
    "bad_retention",
    "confirm_required",
    "audit_floor",
    "bad_setting",
    "bad_vendor",
    "bad_certificate",
    "confirm_text_required",
    "too_many_attempts",
    "line_busy",
];

fn args(params: &Params) -> FluentArgs<'static> {
    let mut a = FluentArgs::with_capacity(params.len());
    for (k, v) in params {
        let v: FluentValue<'static> = match v {
            Value::Number(n) => match n.as_i64() {
                Some(i) => i.into(),
                None => n.as_f64().unwrap_or(0.0).into(),
            },
            Value::String(s) => s.clone().into(),
            Value::Bool(b) => b.to_string().into(),
            other => other.to_string().into(),
        };
        a.set(k.clone(), v);
    }
    a
}

/// `errors-<code>` with `params` in `lang` (English where `lang` lacks it); None when no
/// catalogue has the code or its words need a param that is not given.
pub fn by_code(lang: Lang, code: &str, params: &Params) -> Option<String> {
    try_tr(lang, &format!("errors-{code}"), &args(params))
}

/// An error with `code` and `params` in `lang`; `english` (the core's message) in
/// English and where the catalogue cannot say it.
pub fn say(lang: Lang, code: &str, params: &Params, english: &str) -> String {
    if lang == Lang::En || (params.is_empty() && DETAILED.contains(&code)) {
        return english.to_string();
    }
    by_code(lang, code, params).unwrap_or_else(|| english.to_string())
}

/// The kinds of place a configuration mistake names, as the parser and the checks write
/// them, and the message of each.
const KINDS: &[(&str, &str)] = &[
    ("alarm settings", "alarm_settings"),
    ("serial line", "serial_line"),
    ("site", "site"),
    ("shift", "shift"),
    ("machine", "machine"),
    ("device", "device"),
    ("tag", "tag"),
    ("state", "state"),
    ("holiday", "holiday"),
    ("alarm", "alarm"),
    ("bit", "bit"),
    ("item", "item"),
    ("field", "field"),
    ("line", "line"),
    ("column", "column"),
    ("file", "file"),
    ("row", "row"),
    ("product", "product"),
    ("material", "material"),
    ("break", "break"),
    ("escalation", "escalation"),
    ("value", "value"),
    ("plan", "plan"),
    ("characteristic", "characteristic"),
];

/// One part of a place: `device "press-1-plc"`, `shift #2`, `line 3`, `site`; None for
/// a part of another form (said as it is).
fn place_part(lang: Lang, part: &str) -> Option<String> {
    let (kind, id) = KINDS
        .iter()
        .filter(|(k, _)| part.starts_with(k))
        .max_by_key(|(k, _)| k.len())?;
    let rest = &part[kind.len()..];
    let word = try_tr(lang, &format!("errors-place-{id}"), &FluentArgs::new())?;
    let mut a = FluentArgs::new();
    a.set("kind", word.clone());
    let frame = if rest.is_empty() {
        return Some(word);
    } else if let Some(name) = rest.strip_prefix(" \"").and_then(|r| r.strip_suffix('"')) {
        a.set("name", name.to_string());
        "errors-place-named"
    } else if let Some(n) = rest.strip_prefix(" #").filter(|n| n.parse::<u64>().is_ok()) {
        a.set("n", n.to_string());
        "errors-place-index"
    } else if let Some(n) = rest.strip_prefix(' ').filter(|n| n.parse::<u64>().is_ok()) {
        a.set("n", n.to_string());
        "errors-place-number"
    } else {
        return None;
    };
    try_tr(lang, frame, &a)
}

/// Splits a place at its ", " outside quotes.
fn place_parts(place: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let (mut start, mut quoted) = (0, false);
    let bytes = place.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => quoted = !quoted,
            b',' if !quoted && bytes.get(i + 1) == Some(&b' ') => {
                parts.push(&place[start..i]);
                start = i + 2;
                i += 1;
            }
            _ => {}
        }
        i += 1;
    }
    parts.push(&place[start..]);
    parts
}

/// Where a configuration mistake is, in `lang`: `Gerät „press-1-plc“, Tag „count“, Feld
/// „address“`. Parts of a form it does not know are said as they are.
pub fn place(lang: Lang, place: &str) -> String {
    if lang == Lang::En || place.is_empty() {
        return place.to_string();
    }
    let sep = try_tr(lang, "errors-place-sep", &FluentArgs::new()).unwrap_or(", ".into());
    place_parts(place)
        .into_iter()
        .map(|p| place_part(lang, p).unwrap_or_else(|| p.to_string()))
        .collect::<Vec<_>>()
        .join(&sep)
}

/// A mistake's message in `lang`: by its code, else its English message.
pub fn problem_message(lang: Lang, p: &Problem) -> String {
    if lang == Lang::En || p.code.is_empty() {
        return p.message.clone();
    }
    by_code(lang, &format!("config-{}", p.code), &p.params).unwrap_or_else(|| p.message.clone())
}

/// "place: message" in `lang`.
pub fn problem(lang: Lang, p: &Problem) -> String {
    if p.place.is_empty() {
        return problem_message(lang, p);
    }
    let mut a = FluentArgs::new();
    a.set("place", place(lang, &p.place));
    a.set("message", problem_message(lang, p));
    try_tr(lang, "errors-config-line", &a).unwrap_or_else(|| format!("{}: {}", p.place, p.message))
}

/// The heading (`errors-config-<head>` with the count) and every mistake on a line of
/// its own.
fn problem_list(lang: Lang, head: &str, problems: &[Problem]) -> String {
    let mut a = FluentArgs::new();
    a.set("count", problems.len());
    let mut out = try_tr(lang, &format!("errors-config-{head}"), &a).unwrap_or_default();
    for p in problems {
        out.push_str("\n  - ");
        out.push_str(&problem(lang, p));
    }
    out
}

/// A configuration rejected whole, every mistake with its place, in `lang`.
pub fn config_problems(lang: Lang, problems: &[Problem]) -> String {
    problem_list(lang, "rejected", problems)
}

/// An error of the core in `lang`, by its code and params.
pub fn core(lang: Lang, e: &crate::core::Error) -> String {
    use crate::core::Error;
    let english = e.to_string();
    if lang == Lang::En {
        return english;
    }
    let mut params = Params::new();
    let code = match e {
        Error::Config(problems) => return config_problems(lang, problems),
        Error::File(problems) => return problem_list(lang, "file_rejected", problems),
        Error::Unauthenticated { code, .. }
        | Error::Forbidden { code, .. }
        | Error::TooMany { code, .. } => *code,
        Error::NotFound(what) => {
            params.insert("what".into(), (*what).into());
            "not_found"
        }
        Error::NotAssigned(_) => "not_assigned",
        Error::Invalid { code, field, .. } => {
            if let Some(f) = field {
                params.insert("field".into(), (*f).into());
            }
            *code
        }
        Error::Refused {
            code,
            field,
            params: p,
            ..
        } => {
            params = p.clone();
            if let Some(f) = field {
                params.insert("field".into(), (*f).into());
            }
            *code
        }
        Error::ConfigConflict(c) => {
            params.insert("base".into(), c.base.into());
            "config_conflict"
        }
        Error::ConfirmRequired { .. } => "confirm_required",
        Error::User(u) => return user(lang, u),
        Error::Stopped => "stopped",
        Error::Internal(detail) => {
            params.insert("detail".into(), detail.clone().into());
            "cli_internal"
        }
    };
    say(lang, code, &params, &english)
}

/// A refused change of a user in `lang`.
pub fn user(lang: Lang, u: &crate::auth::users::UserError) -> String {
    use crate::auth::users::UserError;
    let mut params = Params::new();
    match u {
        UserError::WeakPassword(w) => {
            params.insert("reason".into(), w.reason.into());
            if let Some(n) = w.chars {
                params.insert("chars".into(), n.into());
            }
            if let Some(word) = &w.word {
                params.insert("word".into(), word.as_str().into());
            }
        }
        UserError::UsernameTaken(name) | UserError::InvalidUsername(name) => {
            params.insert("username".into(), name.as_str().into());
        }
        UserError::NotFound => {
            params.insert("what".into(), "user".into());
        }
        UserError::Sqlite(_) | UserError::Store(_) => {
            params.insert("detail".into(), u.to_string().into());
            return say(lang, "cli_internal", &params, &u.to_string());
        }
        _ => {}
    }
    say(lang, u.code(), &params, &u.to_string())
}

/// An error of the store (opening the data folder's database, its lock) in `lang`.
pub fn store(lang: Lang, e: &crate::store::StoreError) -> String {
    use crate::store::StoreError;
    let mut params = Params::new();
    let code = match e {
        StoreError::Open { path, source } => {
            params.insert("path".into(), path.display().to_string().into());
            params.insert("detail".into(), source.to_string().into());
            "db_open"
        }
        StoreError::Migrate { path, source } => {
            params.insert("path".into(), path.display().to_string().into());
            params.insert("detail".into(), source.to_string().into());
            "db_migrate"
        }
        StoreError::TooNew {
            path,
            found,
            known,
            version,
        } => {
            params.insert("path".into(), path.display().to_string().into());
            params.insert("found".into(), (*found).into());
            params.insert("known".into(), (*known).into());
            params.insert("version".into(), (*version).into());
            "db_too_new"
        }
        StoreError::Sqlite(_) | StoreError::TaskGone => {
            params.insert("detail".into(), e.to_string().into());
            "cli_internal"
        }
    };
    say(lang, code, &params, &e.to_string())
}

/// The data folder's lock refused in `lang`.
pub fn lock(lang: Lang, e: &crate::store::LockError) -> String {
    use crate::store::LockError;
    let mut params = Params::new();
    let code = match e {
        LockError::Held { dir, holder } => {
            params.insert("dir".into(), dir.display().to_string().into());
            params.insert("holder".into(), holder.clone().into());
            "folder_in_use"
        }
        LockError::Io { path, source } => {
            params.insert("path".into(), path.display().to_string().into());
            params.insert("detail".into(), source.to_string().into());
            "lock_file"
        }
    };
    say(lang, code, &params, &e.to_string())
}

/// An error the core's rooms return, said in `lang` when it is of a kind that has a
/// code; None for any other error (its own message is said).
pub fn known(lang: Lang, e: &(dyn std::error::Error + 'static)) -> Option<String> {
    if let Some(e) = e.downcast_ref::<crate::core::Error>() {
        return Some(core(lang, e));
    }
    if let Some(crate::config::ConfigError::Invalid(problems)) =
        e.downcast_ref::<crate::config::ConfigError>()
    {
        return Some(if lang == Lang::En {
            e.to_string()
        } else {
            config_problems(lang, problems)
        });
    }
    if let Some(u) = e.downcast_ref::<crate::auth::users::UserError>() {
        return Some(user(lang, u));
    }
    if let Some(s) = e.downcast_ref::<crate::store::StoreError>() {
        return Some(store(lang, s));
    }
    if let Some(l) = e.downcast_ref::<crate::store::LockError>() {
        return Some(lock(lang, l));
    }
    if let Some(crate::quality::master::MasterError::Invalid(problems)) =
        e.downcast_ref::<crate::quality::master::MasterError>()
    {
        return Some(if lang == Lang::En {
            e.to_string()
        } else {
            problem_list(lang, "master_rejected", problems)
        });
    }
    if let Some(s) = e.downcast_ref::<crate::os::service::ServiceError>() {
        return service(lang, s);
    }
    if let Some(t) = e.downcast_ref::<crate::takeout::TakeoutError>() {
        return takeout(lang, t);
    }
    None
}

/// The service refused in `lang`; None for an error of the OS (said as it is).
fn service(lang: Lang, e: &crate::os::service::ServiceError) -> Option<String> {
    use crate::os::service::ServiceError;
    let mut params = Params::new();
    let code = match e {
        ServiceError::NotInstalled => "service_not_installed",
        ServiceError::NotAdmin { .. } => {
            let os = if cfg!(windows) { "windows" } else { "other" };
            params.insert("os".into(), os.into());
            "service_not_admin"
        }
        _ => return None,
    };
    Some(say(lang, code, &params, &e.to_string()))
}

/// A full export refused or stopped in `lang`; None for the others (said as they are).
fn takeout(lang: Lang, e: &crate::takeout::TakeoutError) -> Option<String> {
    use crate::takeout::TakeoutError;
    let mut params = Params::new();
    let code = match e {
        TakeoutError::NotEmpty(folder) => {
            params.insert("folder".into(), folder.as_str().into());
            "takeout_not_empty"
        }
        TakeoutError::Mismatch(file) => {
            params.insert("file".into(), file.as_str().into());
            "takeout_mismatch"
        }
        TakeoutError::Cancelled => "takeout_cancelled",
        _ => return None,
    };
    Some(say(lang, code, &params, &e.to_string()))
}

#[cfg(test)]
mod tests {

    #[test]
    fn the_detailed_codes_are_the_uis() {
        let api = include_str!("../../ui/src/lib/api.ts");
        let start = api
            .find("const DETAILED = new Set(")
            .expect("DETAILED in api.ts");
        let list = api[start..]
            .split('\'')
            .nth(1)
            .expect("DETAILED's quoted list");
        let mut ui: Vec<&str> = list.split(' ').collect();
        let mut ours = DETAILED.to_vec();
        ui.sort_unstable();
        ours.sort_unstable();
        assert_eq!(ours, ui, "errors::DETAILED and the UI's DETAILED differ");
    }

    use super::*;

    /// The second top-level argument of every `problem!(…)` in `src`: the code.
    fn problem_codes(src: &str) -> Vec<String> {
        let mut codes = Vec::new();
        for (start, _) in src.match_indices("problem!(") {
            let body = &src[start + "problem!(".len()..];
            let (mut depth, mut in_str, mut escaped) = (0i32, false, false);
            let mut args = vec![String::new()];
            for c in body.chars() {
                if in_str {
                    args.last_mut().unwrap().push(c);
                    match (escaped, c) {
                        (true, _) => escaped = false,
                        (false, '\\') => escaped = true,
                        (false, '"') => in_str = false,
                        _ => {}
                    }
                    continue;
                }
                match c {
                    '"' => in_str = true,
                    '(' | '[' | '{' => depth += 1,
                    ')' | ']' | '}' if depth == 0 => break,
                    ')' | ']' | '}' => depth -= 1,
                    ',' if depth == 0 => {
                        args.push(String::new());
                        continue;
                    }
                    _ => {}
                }
                args.last_mut().unwrap().push(c);
            }
            if let Some(code) = args.get(1) {
                let code = code.trim();
                if let Some(c) = code.strip_prefix('"').and_then(|c| c.strip_suffix('"')) {
                    codes.push(c.to_string());
                }
            }
        }
        codes
    }

    fn sources(dir: &std::path::Path, out: &mut Vec<(std::path::PathBuf, String)>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                sources(&p, out);
            } else if p.extension().is_some_and(|x| x == "rs") {
                out.push((p.clone(), std::fs::read_to_string(&p).unwrap()));
            }
        }
    }

    /// Every code a mistake is made with, and every code this module says an error by,
    /// has its words in every shipped language's own catalogue (not English standing in).
    #[test]
    fn every_error_code_has_words_in_every_language() {
        let mut files = Vec::new();
        sources(
            &std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src"),
            &mut files,
        );
        let mut ids = std::collections::BTreeSet::new();
        for (path, src) in &files {
            if path.ends_with("config/mod.rs") || path.ends_with("i18n/errors.rs") {
                continue; // the macro's own definition, this test's examples
            }
            for code in problem_codes(src) {
                ids.insert(format!("errors-config-{code}"));
            }
        }
        assert!(ids.len() > 100, "only {} mistake codes found", ids.len());
        let own = include_str!("errors.rs");
        let arm = regex::Regex::new(r#"(?m)^\s+"([a-z_]+)"$|say\(lang, "([a-z_]+)""#).unwrap();
        let mut said = 0;
        for c in arm.captures_iter(own) {
            let code = c.get(1).or(c.get(2)).unwrap().as_str();
            ids.insert(format!("errors-{code}"));
            said += 1;
        }
        assert!(said >= 8, "only {said} codes found in errors.rs");
        for (_, id) in KINDS {
            ids.insert(format!("errors-place-{id}"));
        }
        for id in ["named", "index", "number", "sep"] {
            ids.insert(format!("errors-place-{id}"));
        }
        let mut missing = Vec::new();
        for lang in Lang::ALL {
            for id in &ids {
                if !crate::i18n::has(lang, id) {
                    missing.push(format!("{lang}: {id}"));
                }
            }
        }
        assert!(missing.is_empty(), "no words for: {missing:#?}");
    }

    #[test]
    fn the_checker_finds_the_code_of_a_problem() {
        let src = r#"p.push(crate::problem!(format!("{a}, b"), "one", x = f(1, 2)));
            p.push(crate::problem!("site", "two"));"#;
        assert_eq!(problem_codes(src), ["one", "two"]);
    }

    const TWO_MISTAKES: &str = r#"
[site]
name = "Werk"
timezone = "Europe/Atlantis"

[[machines]]
key = "press-1"
name = "Press 1"

[[devices]]
key = "plc"
protocol = "modbus-tcp"
host = "10.0.0.2"
machine = "press-9"
"#;

    fn two_mistakes() -> Vec<Problem> {
        match crate::config::parse(TWO_MISTAKES) {
            Err(crate::config::ConfigError::Invalid(p)) => p,
            Ok(_) => panic!("the configuration was taken"),
        }
    }

    /// English keeps the words it had; German and Chinese say the place and the
    /// mistake in their words, names as they are.
    #[test]
    fn a_configuration_s_mistakes_are_said_in_the_language() {
        let p = two_mistakes();
        assert_eq!(p.len(), 2, "{p:?}");
        assert_eq!(p[0].code, "unknown_zone");
        assert_eq!(
            p[0].message,
            "\"Europe/Atlantis\" is not a known time zone; use an IANA name such as \"Europe/Berlin\" or \"America/Chicago\""
        );
        assert_eq!(p[1].code, "no_machine");
        let de = config_problems(Lang::De, &p);
        assert!(
            de.starts_with("die Konfiguration wurde nicht importiert; 2 Fehler zu beheben:"),
            "{de}"
        );
        assert!(
            de.contains(
                "  - Standort, Feld „timezone“: „Europe/Atlantis“ ist keine bekannte Zeitzone"
            ),
            "{de}"
        );
        assert!(
            de.contains("  - Gerät „plc“, Feld „machine“: es gibt keine Maschine „press-9“"),
            "{de}"
        );
        let zh = config_problems(Lang::Zh, &p);
        assert!(
            zh.contains("站点，字段“timezone”：“Europe/Atlantis”不是已知的时区"),
            "{zh}"
        );
        assert!(
            zh.contains("设备“plc”，字段“machine”：没有机器“press-9”"),
            "{zh}"
        );
        let en = config_problems(Lang::En, &p);
        assert_eq!(
            en,
            crate::config::ConfigError::Invalid(p.clone()).to_string(),
            "English says what the error's own message says"
        );
    }

    /// Products, plans and materials refused: the heading, each place and mistake in
    /// German.
    #[test]
    fn refused_master_data_is_said_in_the_language() {
        let names = crate::quality::master::PlantNames {
            machines: vec!["press-1".into()],
            gauges: Vec::new(),
        };
        let text = "[[products]]\ncode = \"A-1\"\nnme = \"Bracket\"\n\n[[materials]]\ncode = \"steel\"\nname = \"Steel\"\nunit = \"\"\n";
        let e = crate::quality::master::parse(text, &names).unwrap_err();
        let de = known(Lang::De, &e).unwrap();
        assert!(
            de.starts_with(
                "die Produkte, Prüfpläne und Materialien wurden nicht importiert; 3 Fehler"
            ),
            "{de}"
        );
        assert!(
            de.contains(
                "  - Produkt „A-1“, Feld „nme“: unbekannter Schlüssel „nme“; meinten Sie \"name\"?"
            ),
            "{de}"
        );
        assert!(
            de.contains("  - Material „steel“: die Einheit ist leer"),
            "{de}"
        );
        assert_eq!(known(Lang::En, &e).unwrap(), e.to_string());
    }

    #[test]
    fn places_of_every_form_and_unknown_parts_as_they_are() {
        assert_eq!(place(Lang::De, "line 3, column 7"), "Zeile 3, Spalte 7");
        assert_eq!(
            place(Lang::De, "shift #2, break #1"),
            "Schicht Nr. 2, Pause Nr. 1"
        );
        assert_eq!(
            place(Lang::Es, "serial line \"rs485, a\", field \"baud\""),
            "línea serie «rs485, a», campo «baud»"
        );
        assert_eq!(place(Lang::Zh, "alarm settings"), "报警设置");
        assert_eq!(place(Lang::De, "order 4 of 7"), "order 4 of 7");
        assert_eq!(place(Lang::En, "device \"a\""), "device \"a\"");
    }

    #[test]
    fn a_core_error_by_its_code_with_english_where_words_lack_a_param() {
        let e = crate::core::Error::NotFound("machine");
        assert_eq!(core(Lang::De, &e), "Diese Maschine gibt es nicht.");
        assert_eq!(core(Lang::En, &e), "no such machine");
        // Words that need a param the error does not carry: its English message.
        let mut params = Params::new();
        params.insert("reason".into(), "too_short".into());
        let e = crate::core::Error::Refused {
            code: "weak_password",
            message: "too short".into(),
            field: None,
            params,
        };
        assert_eq!(core(Lang::De, &e), "too short");
        let e = crate::core::Error::invalid("no_such_code_anywhere", "as it is");
        assert_eq!(core(Lang::Zh, &e), "as it is");
    }
}
