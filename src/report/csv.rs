//! A report as CSV: UTF-8 with a byte-order mark for Excel (or plain), the delimiter
//! chosen (`;` where the comma is the decimal separator, with decimal commas then).
//! Each table is a block: its name on a line, its header, its rows, an empty line.
//! Numbers are plain (fractions for percentages), times are local "YYYY-MM-DD HH:MM".

use super::{Cell, Doc, Options, RenderError};
use crate::i18n::t;
use crate::tr;

fn number(v: f64, decimals: Option<u8>, comma: bool) -> String {
    let s = match decimals {
        Some(d) => format!("{v:.*}", d as usize),
        None => v.to_string(),
    };
    if comma { s.replace('.', ",") } else { s }
}

/// The report as CSV bytes.
pub fn render(doc: &Doc, opts: &Options) -> Result<Vec<u8>, RenderError> {
    let tz = doc.tz();
    let mut out = Vec::new();
    if opts.bom {
        out.extend_from_slice("\u{feff}".as_bytes());
    }
    let mut w = ::csv::WriterBuilder::new()
        .delimiter(opts.delimiter)
        .flexible(true)
        .from_writer(out);
    w.write_record([doc.title.as_str(), doc.plant.as_str()])?;
    let l = doc.lang;
    // Times stay "YYYY-MM-DD HH:MM" in every language: a program reads them back.
    w.write_record([t(l, "report-field-range"), doc.range_iso()])?;
    w.write_record([
        t(l, "report-field-generated"),
        tr!(
            l,
            "report-generated-short",
            at = super::local(doc.generated_at_ms, &tz),
            who = doc.generated_by.as_str()
        ),
    ])?;
    for t in doc.tables() {
        w.write_record([""])?;
        w.write_record([t.name.as_str()])?;
        w.write_record(t.columns.iter().map(|c| c.header()))?;
        for row in &t.rows {
            w.write_record(row.iter().map(|c| match c {
                Cell::Int(v) => v.to_string(),
                Cell::Num(v, d) => number(*v, Some(*d), opts.decimal_comma),
                Cell::Pct(v) => number(*v, None, opts.decimal_comma),
                Cell::Time(ms) => super::local(*ms, &tz),
                other => other.text(&tz, l),
            }))?;
        }
    }
    w.flush().map_err(::csv::Error::from)?;
    w.into_inner()
        .map_err(|e| RenderError::Csv(::csv::Error::from(e.into_error())))
}
