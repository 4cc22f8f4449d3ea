//! The plant model: site, shifts, machines, devices, tags. Parsed from TOML with every
//! mistake reported at once, stored in SQLite as versioned configurations with stable
//! ids for what samples refer to, and exported back to TOML.
//!
//! Nothing here talks to devices or starts tasks; the collector and the API read the
//! [`Plant`] this module loads.

pub mod alarm_rules;
mod diff;
pub mod merge;
mod model;
mod parse;
mod plant;
mod store;
pub mod templates;
mod validate;

pub use diff::changes;
pub use model::*;
/// Pieces of the parser other documents of the same kind use (quality's master data).
pub(crate) use parse::{item as read_item, line_col, unknown_key};
pub use parse::{parse, toml_of_json};
pub use plant::{Plant, TagRef};
pub use store::{
    Base, Conflict, ImportError, ImportOutcome, VersionInfo, current_source, current_version,
    export, import, load_plant, stored_poll_ms, versions,
};
pub use validate::parse_hhmm;

use serde::Serialize;

/// One mistake in a configuration, with where it is and what would fix it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Problem {
    /// Where: `device "press-1-plc", tag "count", field "address"`.
    pub place: String,
    /// What is wrong and what to do about it, in English.
    pub message: String,
    /// The message's stable code (`errors.config.<code>` in the catalogues), so the
    /// command line says it in the reader's language; empty for a mistake without one.
    #[serde(skip)]
    pub code: &'static str,
    /// The values the message names, by name.
    #[serde(skip)]
    pub params: serde_json::Map<String, serde_json::Value>,
}

impl Problem {
    /// A mistake said in English only (a message of a library, kept as it is).
    pub fn new(place: impl Into<String>, message: impl Into<String>) -> Problem {
        Problem {
            place: place.into(),
            message: message.into(),
            code: "",
            params: serde_json::Map::new(),
        }
    }

    /// A mistake by its code: the English message is `errors-config-<code>` of the
    /// catalogue with `params`, the same words the other languages translate.
    pub fn coded<V: Into<serde_json::Value>>(
        place: impl Into<String>,
        code: &'static str,
        params: impl IntoIterator<Item = (&'static str, V)>,
    ) -> Problem {
        let params: serde_json::Map<String, serde_json::Value> = params
            .into_iter()
            .map(|(k, v)| (k.to_string(), v.into()))
            .collect();
        let message =
            crate::i18n::errors::by_code(crate::i18n::Lang::En, &format!("config-{code}"), &params)
                .unwrap_or_else(|| format!("config-{code}"));
        Problem {
            place: place.into(),
            message,
            code,
            params,
        }
    }
}

/// `problem!(place, "code")`, `problem!(place, "code", name = value, ...)`: a mistake
/// by its code ([`Problem::coded`]).
#[macro_export]
macro_rules! problem {
    ($place:expr, $code:expr) => {
        $crate::config::Problem::coded::<serde_json::Value>($place, $code, [])
    };
    ($place:expr, $code:expr, $($k:ident = $v:expr),+ $(,)?) => {
        $crate::config::Problem::coded::<serde_json::Value>(
            $place,
            $code,
            [$((stringify!($k), serde_json::Value::from($v))),+],
        )
    };
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.place, self.message)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The configuration was rejected whole; every problem found is listed.
    #[error("the configuration was not imported; {} to fix:\n{}", count(.0.len()), list(.0))]
    Invalid(Vec<Problem>),
}

fn count(n: usize) -> String {
    if n == 1 {
        "1 mistake".to_string()
    } else {
        format!("{n} mistakes")
    }
}

fn list(problems: &[Problem]) -> String {
    problems
        .iter()
        .map(|p| format!("  - {p}"))
        .collect::<Vec<_>>()
        .join("\n")
}
