//! The passport as a Markdown document for an auditor.

use std::fmt::Write;

use super::{Passport, when};

/// Escapes what Markdown would read as markup in a table cell or list line.
fn text(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('|', "\\|")
        .replace('*', "\\*")
        .replace('_', "\\_")
        .replace('\n', " ")
}

/// The whole passport: a heading per question, a table of the facts with where each is
/// changed, and the items behind them as lists.
pub fn markdown(p: &Passport) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# Data passport: {}\n", text(&p.plant));
    let _ = writeln!(
        out,
        "Read from the running Plantlog at {}. Every fact below is its live state at that \
         moment.\n",
        when(Some(p.generated_ms))
    );
    for s in &p.sections {
        let _ = writeln!(out, "## {}\n", text(&s.title));
        let _ = writeln!(out, "| Fact | Now | Changed at |");
        let _ = writeln!(out, "|---|---|---|");
        for f in &s.facts {
            let _ = writeln!(
                out,
                "| {} | {} | {} |",
                text(&f.label),
                text(&f.value),
                if f.change.is_empty() {
                    "-".to_string()
                } else {
                    format!("`{}`", f.change)
                }
            );
        }
        out.push('\n');
        for f in s.facts.iter().filter(|f| !f.items.is_empty()) {
            let _ = writeln!(out, "{}:\n", text(&f.label));
            for i in &f.items {
                let _ = writeln!(out, "- {}", text(i));
            }
            out.push('\n');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::{Fact, Section};
    use super::*;

    #[test]
    fn every_fact_and_item_is_in_the_document_escaped() {
        let p = Passport {
            plant: "Demo | plant".into(),
            generated_ms: 0,
            sections: vec![Section {
                key: "collected".into(),
                title: "What is collected".into(),
                facts: vec![
                    Fact::new("devices", "Devices", "3", "#/configuration")
                        .with_items(vec!["press_1 (a|b)".into()]),
                ],
            }],
        };
        let md = markdown(&p);
        assert!(md.starts_with("# Data passport: Demo \\| plant\n"), "{md}");
        assert!(md.contains("## What is collected"));
        assert!(md.contains("| Devices | 3 | `#/configuration` |"), "{md}");
        assert!(md.contains("- press\\_1 (a\\|b)"), "{md}");
        assert!(md.contains("1970-01-01 00:00 UTC"));
    }
}
