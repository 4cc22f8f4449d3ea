//! The words of reports, of the command line and of e-mails in the plant's languages: one Fluent
//! catalogue per language (locales/<lang>/*.ftl, embedded in the binary), read by
//! fluent-bundle, with English for a message a language lacks. Numbers and times are
//! formatted here for the language's locale (decimal comma in German and Spanish, the
//! date order of each), so a report and a command speak the same way.
//!
//! The languages are those of the UI (`auth::prefs::LANGUAGES`); the catalogue test
//! fails when a message of English is missing in another language or names other
//! variables, and when the code names a message English lacks.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, AtomicU8, Ordering};

pub use fluent_bundle::FluentArgs;
use fluent_bundle::FluentResource;
pub use fluent_bundle::FluentValue;
use fluent_bundle::concurrent::FluentBundle;

/// A language Plantlog speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Lang {
    #[default]
    En,
    De,
    Es,
    Zh,
}

/// The catalogue files of each language, in the order they are loaded.
const FILES: [(Lang, &[&str]); 4] = [
    (
        Lang::En,
        &[
            include_str!("../../locales/en/report.ftl"),
            include_str!("../../locales/en/cli.ftl"),
            include_str!("../../locales/en/mail.ftl"),
            include_str!("../../locales/en/passport.ftl"),
            include_str!("../../locales/en/errors.ftl"),
        ],
    ),
    (
        Lang::De,
        &[
            include_str!("../../locales/de/report.ftl"),
            include_str!("../../locales/de/cli.ftl"),
            include_str!("../../locales/de/mail.ftl"),
            include_str!("../../locales/de/passport.ftl"),
            include_str!("../../locales/de/errors.ftl"),
        ],
    ),
    (
        Lang::Es,
        &[
            include_str!("../../locales/es/report.ftl"),
            include_str!("../../locales/es/cli.ftl"),
            include_str!("../../locales/es/mail.ftl"),
            include_str!("../../locales/es/passport.ftl"),
            include_str!("../../locales/es/errors.ftl"),
        ],
    ),
    (
        Lang::Zh,
        &[
            include_str!("../../locales/zh/report.ftl"),
            include_str!("../../locales/zh/cli.ftl"),
            include_str!("../../locales/zh/mail.ftl"),
            include_str!("../../locales/zh/passport.ftl"),
            include_str!("../../locales/zh/errors.ftl"),
        ],
    ),
];

impl Lang {
    pub const ALL: [Lang; 4] = [Lang::En, Lang::De, Lang::Es, Lang::Zh];

    /// "de", "de-AT", "de_DE.UTF-8", "DE": German; None for a language Plantlog does
    /// not ship.
    pub fn parse(s: &str) -> Option<Lang> {
        let base = s
            .trim()
            .split(['-', '_', '.'])
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        match base.as_str() {
            "en" => Some(Lang::En),
            "de" => Some(Lang::De),
            "es" => Some(Lang::Es),
            "zh" => Some(Lang::Zh),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::De => "de",
            Lang::Es => "es",
            Lang::Zh => "zh",
        }
    }

    /// The PDF's language tag.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::De => "de-DE",
            Lang::Es => "es-ES",
            Lang::Zh => "zh-CN",
        }
    }

    fn decimal_comma(self) -> bool {
        matches!(self, Lang::De | Lang::Es)
    }

    /// `v` with `decimals` decimals, the locale's decimal separator, no grouping:
    /// "7.25", "7,25".
    pub fn num(self, v: f64, decimals: usize) -> String {
        let s = format!("{v:.decimals$}");
        if self.decimal_comma() {
            s.replace('.', ",")
        } else {
            s
        }
    }

    /// A fraction as a percentage with one decimal: "85.3 %", "85,3 %", "85.3%".
    pub fn pct(self, share: f64) -> String {
        let n = self.num(share * 100.0, 1);
        match self {
            Lang::Zh => format!("{n}%"),
            _ => format!("{n} %"),
        }
    }

    /// A time in `tz` as the locale writes it with the 24-hour clock:
    /// "2026-03-02 06:00" (en, zh), "02.03.2026 06:00" (de), "02/03/2026 06:00" (es).
    pub fn datetime(self, ms: i64, tz: &jiff::tz::TimeZone) -> String {
        let f = match self {
            Lang::En | Lang::Zh => "%Y-%m-%d %H:%M",
            Lang::De => "%d.%m.%Y %H:%M",
            Lang::Es => "%d/%m/%Y %H:%M",
        };
        match jiff::Timestamp::from_millisecond(ms) {
            Ok(t) => t.to_zoned_datetime(tz.clone()).strftime(f).to_string(),
            Err(_) => ms.to_string(),
        }
    }

    /// The clock time alone: "06:00".
    pub fn clock(self, ms: i64, tz: &jiff::tz::TimeZone) -> String {
        match jiff::Timestamp::from_millisecond(ms) {
            Ok(t) => t
                .to_zoned_datetime(tz.clone())
                .strftime("%H:%M")
                .to_string(),
            Err(_) => ms.to_string(),
        }
    }
}

impl std::fmt::Display for Lang {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

fn bundles() -> &'static [FluentBundle<FluentResource>; 4] {
    static B: OnceLock<[FluentBundle<FluentResource>; 4]> = OnceLock::new();
    B.get_or_init(|| {
        FILES.map(|(lang, files)| {
            let id: unic_langid::LanguageIdentifier =
                lang.tag().parse().expect("a valid language tag");
            let mut b = FluentBundle::new_concurrent(vec![id]);
            // No bidi isolation marks: PDFs and terminals show them as boxes.
            b.set_use_isolating(false);
            for src in files {
                // The catalogue test parses every file without errors.
                let res = FluentResource::try_new(src.to_string()).unwrap_or_else(|(r, _)| r);
                let _ = b.add_resource(res);
            }
            b
        })
    })
}

fn bundle(lang: Lang) -> &'static FluentBundle<FluentResource> {
    &bundles()[Lang::ALL.iter().position(|l| *l == lang).unwrap_or(0)]
}

/// An argument of a message.
pub type Arg<'a> = (&'a str, FluentValue<'a>);

/// The message `id` in `lang` with `args`, English when `lang` lacks it, the id itself
/// when English lacks it too (the catalogue test makes sure none does).
pub fn tr(lang: Lang, id: &str, args: &[Arg<'_>]) -> String {
    let fa = (!args.is_empty()).then(|| {
        let mut fa = FluentArgs::with_capacity(args.len());
        for (k, v) in args {
            fa.set(*k, v.clone());
        }
        fa
    });
    for l in [lang, Lang::En] {
        let b = bundle(l);
        if let Some(p) = b.get_message(id).and_then(|m| m.value()) {
            let mut errors = Vec::new();
            return b.format_pattern(p, fa.as_ref(), &mut errors).into_owned();
        }
    }
    id.to_string()
}

/// The message `id` in `lang` (English when `lang` lacks it) with `args`; None when no
/// catalogue has it, or when its words need an argument that is not given (the caller
/// then says its own English message, as the UI does).
pub fn try_tr(lang: Lang, id: &str, args: &FluentArgs<'_>) -> Option<String> {
    for l in [lang, Lang::En] {
        let b = bundle(l);
        if let Some(p) = b.get_message(id).and_then(|m| m.value()) {
            let mut errors = Vec::new();
            let text = b.format_pattern(p, Some(args), &mut errors).into_owned();
            return errors.is_empty().then_some(text);
        }
    }
    None
}

/// Whether `lang`'s own catalogue has the message `id` (without English standing in).
pub fn has(lang: Lang, id: &str) -> bool {
    bundle(lang).has_message(id)
}

/// The message `id` in `lang`, without arguments.
pub fn t(lang: Lang, id: &str) -> String {
    tr(lang, id, &[])
}

/// `tr!(lang, "id", name = value, ...)`: [`tr`] with named arguments.
#[macro_export]
macro_rules! tr {
    ($lang:expr, $id:expr) => {
        $crate::i18n::tr($lang, $id, &[])
    };
    ($lang:expr, $id:expr, $($k:ident = $v:expr),+ $(,)?) => {
        $crate::i18n::tr(
            $lang,
            $id,
            &[$((stringify!($k), $crate::i18n::FluentValue::from($v))),+],
        )
    };
}

/// The command line's language: 0 until chosen, else 1 + its index in [`Lang::ALL`].
static CLI: AtomicU8 = AtomicU8::new(0);
/// Chosen by `--lang` or `PLANTLOG_LANG`: the plant's default does not override it.
static CLI_CHOSEN: AtomicBool = AtomicBool::new(false);

fn set_cli(l: Lang) {
    let i = Lang::ALL.iter().position(|x| *x == l).unwrap_or(0);
    CLI.store(i as u8 + 1, Ordering::Relaxed);
}

/// The language of the command line: `--lang`, else `PLANTLOG_LANG`, else the plant's
/// default once the database is open ([`plant_default`]), else English.
pub fn cli() -> Lang {
    match CLI.load(Ordering::Relaxed) {
        0 => Lang::En,
        i => Lang::ALL[(i as usize - 1).min(3)],
    }
}

/// Chooses the command line's language from `--lang`, else `PLANTLOG_LANG`, before
/// anything is said; an error names a language Plantlog does not ship.
pub fn choose_cli(flag: Option<&str>) -> Result<(), String> {
    let env = std::env::var("PLANTLOG_LANG")
        .ok()
        .filter(|s| !s.trim().is_empty());
    let (given, from) = match (flag, env.as_deref()) {
        (Some(f), _) => (f, "--lang"),
        (None, Some(e)) => (e, "PLANTLOG_LANG"),
        (None, None) => return Ok(()),
    };
    match Lang::parse(given) {
        Some(l) => {
            set_cli(l);
            CLI_CHOSEN.store(true, Ordering::Relaxed);
            Ok(())
        }
        None => Err(format!(
            "{from} \"{given}\" is not a language Plantlog speaks; choose en, de, es or zh"
        )),
    }
}

/// Once the database is open: the command line speaks the plant's default language
/// unless `--lang` or `PLANTLOG_LANG` chose one.
pub fn plant_default(conn: &rusqlite::Connection) {
    if CLI_CHOSEN.load(Ordering::Relaxed) {
        return;
    }
    if let Some(l) = crate::auth::prefs::default_language(conn)
        .ok()
        .and_then(|s| Lang::parse(&s))
    {
        set_cli(l);
    }
}

/// The plant's default language (scheduled reports, the command line).
pub fn plant(conn: &rusqlite::Connection) -> Lang {
    crate::auth::prefs::default_language(conn)
        .ok()
        .and_then(|s| Lang::parse(&s))
        .unwrap_or_default()
}

/// The language of what is made for `actor` (a user's id, or None for the command line
/// and the scheduler): the user's, else the command line's when `--lang` or
/// `PLANTLOG_LANG` chose it, else the plant's default.
pub fn for_actor(conn: &rusqlite::Connection, actor: Option<i64>) -> Lang {
    match actor {
        Some(id) => of_user(conn, id),
        None if CLI_CHOSEN.load(Ordering::Relaxed) => cli(),
        None => plant(conn),
    }
}

/// The language `user` chose, else the plant's default: a report a user asks for is in
/// their language.
pub fn of_user(conn: &rusqlite::Connection, user: i64) -> Lang {
    crate::auth::prefs::load(conn, user)
        .ok()
        .and_then(|p| p.language)
        .and_then(|s| Lang::parse(&s))
        .unwrap_or_else(|| plant(conn))
}

pub mod errors;

#[cfg(test)]
mod tests;
