//! The passport as a PDF for an auditor, drawn by the report engine (src/report): the
//! passport becomes a report document (a section per question, a paragraph per fact
//! with where it is changed, the items behind it) and the engine renders it with its
//! embedded fonts.

use crate::report::{self, Doc, Format, Item, Kind, Options, RenderError, Section};

use super::Passport;

/// The report document of the passport.
pub fn doc(p: &Passport, generated_by: &str) -> Doc {
    let sections = p
        .sections
        .iter()
        .map(|s| {
            let mut items = Vec::new();
            for f in &s.facts {
                let change = if f.change.is_empty() {
                    String::new()
                } else {
                    format!(" (changed at {})", f.change)
                };
                items.push(Item::Text(format!("{}: {}{change}", f.label, f.value)));
                for i in &f.items {
                    items.push(Item::Text(format!("    - {i}")));
                }
            }
            Section {
                title: s.title.clone(),
                items,
            }
        })
        .collect();
    Doc {
        kind: Kind::Production,
        title: "Data passport".into(),
        plant: format!(
            "{}: every fact is the running Plantlog's live state at this moment",
            p.plant
        ),
        from_ms: p.generated_ms,
        to_ms: p.generated_ms,
        timezone: "UTC".into(),
        generated_by: generated_by.into(),
        generated_at_ms: p.generated_ms,
        // The data passport is a technical record, in English.
        lang: crate::i18n::Lang::En,
        sections,
    }
}

/// The passport as PDF bytes (A4).
pub fn pdf(p: &Passport, generated_by: &str) -> Result<Vec<u8>, RenderError> {
    report::render(&doc(p, generated_by), Format::Pdf, &Options::default())
}
