//! The data passport (issue 17, item 1): what Plantlog collects, where it is stored, who
//! can reach it, how it is protected, what happens without the internet, how long it is
//! kept, how it is backed up and what leaves the plant, each answered from the live
//! state of the running core when asked, with where it is changed.
//!
//! `gather` reads the core through the same methods the Storage, Security, Access
//! review, Backups, Mail and Sync pages use (and a few counts of its own, `counts`);
//! the model (`Passport`: sections of facts) is plain data; `markdown` writes it as a
//! document for an auditor and `pdf` as a PDF, drawn by the report engine. A part that
//! is not set up says "not configured". This room imports `core`, `report` (to render)
//! and the rooms whose types it reads; nothing imports it but `api`.

mod gather;
mod markdown;
mod pdf;

pub use gather::{GROWTH_WINDOW_DAYS, HOT_ROW_BYTES, gather};
pub use markdown::markdown;
pub use pdf::pdf;

use std::collections::BTreeMap;

use serde::Serialize;

use crate::i18n::{FluentValue, Lang, tr};

/// The words of a part that is not set up (English; the code `not_configured`).
pub const NOT_CONFIGURED: &str = "not configured";

/// The one statement about connections, and what the product is built to keep true
/// (English; the code `nothing_else` says it in each language).
pub const CONNECTIONS: &str = "Plantlog makes no network connection other than to the \
configured devices, the configured SMTP server and the configured central server.";

/// The passport: the sections in the order of the questions, read at `generated_ms`.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Passport {
    /// The plant's name (its configuration's site).
    pub plant: String,
    /// When the facts were read (UTC ms).
    pub generated_ms: i64,
    pub sections: Vec<Section>,
}

/// One question: collected, stored, access, protection, internet outage, retention,
/// backups, what leaves the plant.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Section {
    /// Stable key: `collected`, `stored`, `access`, `protection`, `outage`,
    /// `retention`, `backups`, `leaves`, `ownership`.
    pub key: String,
    /// In English; `passport-section-<key>` in each language.
    pub title: String,
    pub facts: Vec<Fact>,
}

/// One fact, with the items behind it and where it is changed. `msg` and `item_msgs`
/// are the words as a message code with parameters, for the reader's language;
/// `value` and `items` are the same in English (for tools and tests).
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Fact {
    /// Stable key within its section (for tests and tools).
    pub key: String,
    /// In English; `passport-fact-<section>-<key>` in each language.
    pub label: String,
    /// The fact now, in English; "not configured" when its part is not set up.
    pub value: String,
    pub msg: Msg,
    /// The things behind the fact (devices, users, purges, ...), one line each, in
    /// English.
    pub items: Vec<String>,
    pub item_msgs: Vec<Msg>,
    /// Where it is changed: a page of the UI ("#/storage"), or a command; "" when it is
    /// not something one changes.
    pub change: String,
}

/// Words as a message code and its parameters: the UI says them with
/// `passfacts.<code>` of its catalogues, a document with `passport-<code>` of the
/// Fluent catalogues (locales/<lang>/passport.ftl), each in the reader's language.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Msg {
    pub code: String,
    pub params: BTreeMap<String, Param>,
}

/// A parameter of a message, typed so that each language formats it its own way.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(tag = "kind", content = "v", rename_all = "snake_case")]
pub enum Param {
    /// Data said as it is: names, paths, addresses, keys.
    Text(String),
    /// A whole number (messages choose their plural by it).
    Count(i64),
    /// A size in bytes.
    Bytes(u64),
    /// A time (UTC ms); none reads "never".
    Time(Option<i64>),
    /// A duration in ms.
    Span(i64),
    /// Words of their own.
    Msg(Box<Msg>),
    /// A list of words, joined the language's way.
    List(Vec<Msg>),
}

/// The message `code`, to be given its parameters.
pub fn m(code: &str) -> Msg {
    Msg {
        code: code.into(),
        params: BTreeMap::new(),
    }
}

/// Data said as it is: the message `text` with `text`.
pub fn text(s: impl Into<String>) -> Msg {
    m("text").text("text", s)
}

impl Msg {
    fn with(mut self, k: &str, p: Param) -> Msg {
        self.params.insert(k.into(), p);
        self
    }
    pub fn text(self, k: &str, v: impl Into<String>) -> Msg {
        self.with(k, Param::Text(v.into()))
    }
    pub fn count(self, k: &str, n: impl TryInto<i64>) -> Msg {
        self.with(k, Param::Count(n.try_into().unwrap_or(i64::MAX)))
    }
    pub fn bytes(self, k: &str, n: impl TryInto<u64>) -> Msg {
        self.with(k, Param::Bytes(n.try_into().unwrap_or(0)))
    }
    pub fn time(self, k: &str, ms: Option<i64>) -> Msg {
        self.with(k, Param::Time(ms))
    }
    pub fn span(self, k: &str, ms: i64) -> Msg {
        self.with(k, Param::Span(ms))
    }
    pub fn msg(self, k: &str, v: Msg) -> Msg {
        self.with(k, Param::Msg(Box::new(v)))
    }
    pub fn list(self, k: &str, v: Vec<Msg>) -> Msg {
        self.with(k, Param::List(v))
    }
    /// A select argument: one of the message's fixed choices (`yes`, `no`, a state).
    pub fn pick(self, k: &str, v: &str) -> Msg {
        self.text(k, v)
    }

    /// The words in `lang`.
    pub fn say(&self, lang: Lang) -> String {
        let args: Vec<(String, FluentValue<'static>)> = self
            .params
            .iter()
            .map(|(k, p)| {
                let v = match p {
                    Param::Text(s) => FluentValue::from(s.clone()),
                    Param::Count(n) => FluentValue::from(*n),
                    Param::Bytes(b) => FluentValue::from(size_in(lang, *b)),
                    Param::Time(t) => FluentValue::from(when_in(lang, *t)),
                    Param::Span(ms) => FluentValue::from(span_in(lang, *ms)),
                    Param::Msg(m) => FluentValue::from(m.say(lang)),
                    Param::List(l) => FluentValue::from(
                        l.iter().map(|m| m.say(lang)).collect::<Vec<_>>().join(&tr(
                            lang,
                            "passport-list_sep",
                            &[],
                        )),
                    ),
                };
                (k.clone(), v)
            })
            .collect();
        let args: Vec<(&str, FluentValue<'_>)> =
            args.iter().map(|(k, v)| (k.as_str(), v.clone())).collect();
        tr(lang, &format!("passport-{}", self.code), &args)
    }
}

impl Fact {
    /// A fact saying `msg`, in English as `value` too.
    pub fn new(key: &str, label: &str, msg: Msg, change: &str) -> Fact {
        Fact {
            key: key.into(),
            label: label.into(),
            value: msg.say(Lang::En),
            msg,
            items: Vec::new(),
            item_msgs: Vec::new(),
            change: change.into(),
        }
    }

    pub fn with_items(mut self, items: Vec<Msg>) -> Fact {
        self.items = items.iter().map(|i| i.say(Lang::En)).collect();
        self.item_msgs = items;
        self
    }
}

impl Passport {
    /// The section of `key`.
    pub fn section(&self, key: &str) -> Option<&Section> {
        self.sections.iter().find(|s| s.key == key)
    }

    /// The fact `fact` of section `section`.
    pub fn fact(&self, section: &str, fact: &str) -> Option<&Fact> {
        self.section(section)?.facts.iter().find(|f| f.key == fact)
    }
}

/// The language of a passport document made for `actor` (a user's id; None for the
/// command line and the scheduler, which use the plant's).
pub async fn lang_for(
    core: &crate::core::Core,
    actor: Option<i64>,
) -> Result<Lang, crate::core::Error> {
    core.db()
        .run(move |c| Ok::<_, crate::core::Error>(crate::i18n::for_actor(c, actor)))
        .await
}

/// A section's title in `lang`.
pub fn section_title(lang: Lang, s: &Section) -> String {
    tr(lang, &format!("passport-section-{}", s.key), &[])
}

/// A fact's label in `lang`.
pub fn fact_label(lang: Lang, section: &Section, f: &Fact) -> String {
    tr(
        lang,
        &format!("passport-fact-{}-{}", section.key, f.key),
        &[],
    )
}

/// A UTC time in words, "2026-11-29 00:49 UTC"; "never" for none.
pub fn when(ms: Option<i64>) -> String {
    when_in(Lang::En, ms)
}

/// A UTC time as `lang` writes it, "29.11.2026 00:49 UTC"; "never" in `lang` for none.
pub fn when_in(lang: Lang, ms: Option<i64>) -> String {
    match ms.filter(|ms| jiff::Timestamp::from_millisecond(*ms).is_ok()) {
        Some(ms) => tr(
            lang,
            "passport-utc",
            &[(
                "time",
                FluentValue::from(lang.datetime(ms, &jiff::tz::TimeZone::UTC)),
            )],
        ),
        None => tr(lang, "passport-never", &[]),
    }
}

/// A size in words: bytes, KB, MB, GB (1024-based).
pub fn size(bytes: u64) -> String {
    size_in(Lang::En, bytes)
}

/// A size as `lang` writes it: "1.5 KB", "1,5 KB", "512 Byte".
pub fn size_in(lang: Lang, bytes: u64) -> String {
    const UNITS: [&str; 5] = ["bytes", "KB", "MB", "GB", "TB"];
    let mut v = bytes as f64;
    let mut u = 0;
    while v >= 1024.0 && u < UNITS.len() - 1 {
        v /= 1024.0;
        u += 1;
    }
    if u == 0 {
        tr(
            lang,
            "passport-bytes",
            &[("n", FluentValue::from(bytes as i64))],
        )
    } else {
        format!("{} {}", lang.num(v, 1), UNITS[u])
    }
}

/// A duration in words, to the largest sensible unit.
pub fn span(ms: i64) -> String {
    span_in(Lang::En, ms)
}

/// A duration in `lang`, to the largest sensible unit.
pub fn span_in(lang: Lang, ms: i64) -> String {
    let s = ms.max(0) / 1000;
    let (id, n) = if s < 120 {
        ("passport-span_s", s)
    } else if s < 7200 {
        ("passport-span_min", s / 60)
    } else if s < 2 * 86_400 {
        ("passport-span_h", s / 3600)
    } else {
        ("passport-span_days", s / 86_400)
    };
    tr(lang, id, &[("n", FluentValue::from(n))])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_for_sizes_times_and_spans() {
        assert_eq!(size(512), "512 bytes");
        assert_eq!(size(1536), "1.5 KB");
        assert_eq!(size(3 * 1024 * 1024 * 1024), "3.0 GB");
        assert_eq!(when(None), "never");
        assert_eq!(when(Some(0)), "1970-01-01 00:00 UTC");
        assert_eq!(span(90_000), "90 s");
        assert_eq!(span(3 * 3_600_000), "3 h");
        assert_eq!(span(5 * 86_400_000), "5 days");
        assert_eq!(size_in(Lang::De, 1536), "1,5 KB");
        assert_eq!(when_in(Lang::De, Some(0)), "01.01.1970 00:00 UTC");
        assert_eq!(span_in(Lang::De, 5 * 86_400_000), "5 Tage");
        assert_eq!(when_in(Lang::Zh, None), "从未");
    }

    #[test]
    fn a_message_says_its_parameters_in_the_language() {
        let msg = m("poll_rate").count("n", 1).count("ms", 500);
        assert_eq!(msg.say(Lang::En), "1 tag every 500 ms");
        assert_eq!(
            m("poll_rate").count("n", 3).count("ms", 500).say(Lang::En),
            "3 tags every 500 ms"
        );
        let list = m("list").list("items", vec![m("role_admin"), m("vendor_accounts")]);
        assert_eq!(list.say(Lang::En), "Admin, vendor accounts");
        let user = m("user_item")
            .msg("role", m("role_quality"))
            .text("name", "Q")
            .text("username", "quality")
            .time("last", None)
            .pick("mfa", "required")
            .pick("disabled", "yes");
        assert_eq!(
            user.say(Lang::En),
            "Quality: Q (quality): last login never, MFA required, not set up, disabled"
        );
        assert!(
            !user.say(Lang::De).contains("last login"),
            "{}",
            user.say(Lang::De)
        );
        // Data is said as it is in every language.
        assert_eq!(text("press_1").say(Lang::Zh), "press_1");
    }

    /// Every message code the gathering names, the role and sync class words it builds
    /// at run time, and every section title and fact label are in English.
    #[test]
    fn every_code_the_passport_names_is_in_the_catalogue() {
        let src = include_str!("gather.rs");
        let en = |id: &str| crate::i18n::tr(Lang::En, id, &[]) != id;
        let mut missing = Vec::new();
        let code = regex::Regex::new(r#"\bm\("([a-z0-9_]+)"\)"#).unwrap();
        let mut n = 0;
        for c in code.captures_iter(src) {
            n += 1;
            // a message with parameters says its id only when it is missing
            let id = format!("passport-{}", &c[1]);
            if crate::i18n::tr(Lang::En, &id, &[]) == id {
                missing.push(id);
            }
        }
        assert!(n > 60, "{n} codes");
        for r in crate::auth::Role::ALL {
            if !en(&format!("passport-role_{}", r.name())) {
                missing.push(r.name().into());
            }
        }
        for c in ["raw", "rollups", "production", "audit", "config"] {
            if !en(&format!("passport-sync_class_{c}")) {
                missing.push(c.into());
            }
        }
        let section =
            regex::Regex::new(r#"key: "(\w+)"\.into\(\),\s*title: "|Fact::new\(\s*"(\w+)","#)
                .unwrap();
        let mut current = String::new();
        let mut facts = 0;
        for c in section.captures_iter(src) {
            if let Some(s) = c.get(1) {
                current = s.as_str().into();
                if !en(&format!("passport-section-{current}")) {
                    missing.push(current.clone());
                }
            } else {
                facts += 1;
                let id = format!("passport-fact-{current}-{}", &c[2]);
                if !en(&id) {
                    missing.push(id);
                }
            }
        }
        assert!(facts > 40, "{facts} facts");
        assert!(
            missing.is_empty(),
            "not in locales/en/passport.ftl: {missing:#?}"
        );
    }
}
