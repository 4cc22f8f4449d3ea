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

use serde::Serialize;

/// The words of a part that is not set up.
pub const NOT_CONFIGURED: &str = "not configured";

/// The one statement about connections, and what the product is built to keep true.
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
    /// `retention`, `backups`, `leaves`.
    pub key: String,
    pub title: String,
    pub facts: Vec<Fact>,
}

/// One fact, in words, with the items behind it and where it is changed.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Fact {
    /// Stable key within its section (for tests and tools).
    pub key: String,
    pub label: String,
    /// The fact now; "not configured" when its part is not set up.
    pub value: String,
    /// The things behind the fact (devices, users, purges, ...), one line each.
    pub items: Vec<String>,
    /// Where it is changed: a page of the UI ("#/storage"), or a command; "" when it is
    /// not something one changes.
    pub change: String,
}

impl Fact {
    pub fn new(key: &str, label: &str, value: impl Into<String>, change: &str) -> Fact {
        Fact {
            key: key.into(),
            label: label.into(),
            value: value.into(),
            items: Vec::new(),
            change: change.into(),
        }
    }

    pub fn with_items(mut self, items: Vec<String>) -> Fact {
        self.items = items;
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

/// A UTC time in words, "2026-11-29 00:49 UTC"; "never" for none.
pub fn when(ms: Option<i64>) -> String {
    match ms.and_then(|ms| jiff::Timestamp::from_millisecond(ms).ok()) {
        Some(t) => t.strftime("%Y-%m-%d %H:%M UTC").to_string(),
        None => "never".into(),
    }
}

/// A size in words: bytes, KB, MB, GB (1024-based).
pub fn size(bytes: u64) -> String {
    const UNITS: [&str; 5] = ["bytes", "KB", "MB", "GB", "TB"];
    let mut v = bytes as f64;
    let mut u = 0;
    while v >= 1024.0 && u < UNITS.len() - 1 {
        v /= 1024.0;
        u += 1;
    }
    if u == 0 {
        format!("{bytes} bytes")
    } else {
        format!("{v:.1} {}", UNITS[u])
    }
}

/// A duration in words, to the largest sensible unit.
pub fn span(ms: i64) -> String {
    let s = ms.max(0) / 1000;
    if s < 120 {
        format!("{s} s")
    } else if s < 7200 {
        format!("{} min", s / 60)
    } else if s < 2 * 86_400 {
        format!("{} h", s / 3600)
    } else {
        format!("{} days", s / 86_400)
    }
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
    }
}
