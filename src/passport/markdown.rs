//! The passport as a Markdown document for an auditor.

use std::fmt::Write;

use super::{Passport, fact_label, section_title, when_in};
use crate::i18n::{Lang, t};
use crate::tr;

/// Escapes what Markdown would read as markup in a table cell or list line.
fn text(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('|', "\\|")
        .replace('*', "\\*")
        .replace('_', "\\_")
        .replace('\n', " ")
}

/// The whole passport in `lang`: a heading per question, a table of the facts with
/// where each is changed, and the items behind them as lists.
pub fn markdown(p: &Passport, lang: Lang) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# {}\n",
        tr!(lang, "passport-doc-title", plant = text(&p.plant))
    );
    let _ = writeln!(
        out,
        "{}\n",
        tr!(
            lang,
            "passport-doc-read_at",
            time = when_in(lang, Some(p.generated_ms))
        )
    );
    for s in &p.sections {
        let _ = writeln!(out, "## {}\n", text(&section_title(lang, s)));
        let _ = writeln!(
            out,
            "| {} | {} | {} |",
            t(lang, "passport-doc-fact"),
            t(lang, "passport-doc-now"),
            t(lang, "passport-doc-changed_at")
        );
        let _ = writeln!(out, "|---|---|---|");
        for f in &s.facts {
            let _ = writeln!(
                out,
                "| {} | {} | {} |",
                text(&fact_label(lang, s, f)),
                text(&f.msg.say(lang)),
                if f.change.is_empty() {
                    "-".to_string()
                } else {
                    format!("`{}`", f.change)
                }
            );
        }
        out.push('\n');
        for f in s.facts.iter().filter(|f| !f.item_msgs.is_empty()) {
            let _ = writeln!(out, "{}:\n", text(&fact_label(lang, s, f)));
            for i in &f.item_msgs {
                let _ = writeln!(out, "- {}", text(&i.say(lang)));
            }
            out.push('\n');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::{Fact, Section, m, text as data};
    use super::*;

    fn passport() -> Passport {
        Passport {
            plant: "Demo | plant".into(),
            generated_ms: 0,
            sections: vec![Section {
                key: "collected".into(),
                title: "What is collected".into(),
                facts: vec![
                    Fact::new(
                        "devices",
                        "Devices",
                        m("count").count("n", 3),
                        "#/configuration",
                    )
                    .with_items(vec![data("press_1 (a|b)")]),
                    Fact::new("quality", "Quality check entries", m("not_configured"), ""),
                ],
            }],
        }
    }

    #[test]
    fn every_fact_and_item_is_in_the_document_escaped() {
        let md = markdown(&passport(), Lang::En);
        assert!(md.starts_with("# Data passport: Demo \\| plant\n"), "{md}");
        assert!(md.contains("## What is collected"));
        assert!(md.contains("| Devices | 3 | `#/configuration` |"), "{md}");
        assert!(md.contains("- press\\_1 (a\\|b)"), "{md}");
        assert!(md.contains("1970-01-01 00:00 UTC"));
    }

    #[test]
    fn the_document_speaks_the_readers_language() {
        let md = markdown(&passport(), Lang::De);
        assert!(md.starts_with("# Datenpass: Demo \\| plant\n"), "{md}");
        assert!(md.contains("## Was erfasst wird"), "{md}");
        assert!(md.contains("| Geräte | 3 | `#/configuration` |"), "{md}");
        assert!(md.contains("| nicht eingerichtet |"), "{md}");
        assert!(md.contains("01.01.1970 00:00 UTC"), "{md}");
        // the data stays as it is
        assert!(md.contains("- press\\_1 (a\\|b)"), "{md}");
        let zh = markdown(&passport(), Lang::Zh);
        assert!(zh.contains("未配置"), "{zh}");
        assert!(!zh.contains("passport-"), "{zh}");
    }
}
