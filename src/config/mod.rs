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
    /// What is wrong and what to do about it.
    pub message: String,
}

impl Problem {
    pub fn new(place: impl Into<String>, message: impl Into<String>) -> Problem {
        Problem {
            place: place.into(),
            message: message.into(),
        }
    }
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
