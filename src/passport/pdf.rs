//! The passport as a PDF for an auditor, drawn by the report engine (src/report): the
//! passport becomes a report document (a section per question, a paragraph per fact
//! with where it is changed, the items behind it) in the reader's language, and the
//! engine renders it with its embedded fonts.

use crate::i18n::{Lang, t};
use crate::report::{self, Doc, Format, Item, Kind, Options, RenderError, Section};
use crate::tr;

use super::{Passport, fact_label, section_title};

/// The report document of the passport in `lang`.
pub fn doc(p: &Passport, generated_by: &str, lang: Lang) -> Doc {
    let sections = p
        .sections
        .iter()
        .map(|s| {
            let mut items = Vec::new();
            for f in &s.facts {
                let label = fact_label(lang, s, f);
                let value = f.msg.say(lang);
                items.push(Item::Text(if f.change.is_empty() {
                    tr!(lang, "passport-doc-line", label = label, value = value)
                } else {
                    tr!(
                        lang,
                        "passport-doc-line_changed",
                        label = label,
                        value = value,
                        change = f.change.clone()
                    )
                }));
                for i in &f.item_msgs {
                    items.push(Item::Text(format!("    - {}", i.say(lang))));
                }
            }
            Section {
                title: section_title(lang, s),
                items,
            }
        })
        .collect();
    Doc {
        kind: Kind::Production,
        title: t(lang, "passport-doc-pdf_title"),
        plant: tr!(lang, "passport-doc-pdf_plant", plant = p.plant.clone()),
        from_ms: p.generated_ms,
        to_ms: p.generated_ms,
        timezone: "UTC".into(),
        generated_by: generated_by.into(),
        generated_at_ms: p.generated_ms,
        lang,
        sections,
    }
}

/// The passport as PDF bytes (A4) in `lang`.
pub fn pdf(p: &Passport, generated_by: &str, lang: Lang) -> Result<Vec<u8>, RenderError> {
    report::render(
        &doc(p, generated_by, lang),
        Format::Pdf,
        &Options::default(),
    )
}
