//! A report as an XLSX workbook (rust_xlsxwriter): a first sheet saying what the report
//! is, then one sheet per table with its header row frozen, real numbers (units in the
//! headers), percentages as fractions formatted "0.0%", and times as Excel dates in the
//! plant's time zone. The document's dates are the report's, so the same report gives
//! the same bytes.

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook, Worksheet, XlsxError};

use super::{Cell, Doc, RenderError};
use crate::i18n::t;

/// A time as an Excel date in `tz` (Excel dates have no zone).
fn excel_time(ms: i64, tz: &jiff::tz::TimeZone) -> Result<ExcelDateTime, XlsxError> {
    let z = jiff::Timestamp::from_millisecond(ms)
        .unwrap_or(jiff::Timestamp::UNIX_EPOCH)
        .to_zoned_datetime(tz.clone());
    ExcelDateTime::from_ymd(z.year() as u16, z.month() as u8, z.day() as u8)?.and_hms_milli(
        z.hour() as u16,
        z.minute() as u8,
        z.second() as u8,
        z.millisecond() as u16,
    )
}

/// A sheet name Excel accepts: at most 31 characters, none of []:*?/\, unique.
fn sheet_name(name: &str, used: &mut Vec<String>) -> String {
    let clean: String = name
        .chars()
        .map(|c| if "[]:*?/\\".contains(c) { '_' } else { c })
        .take(28)
        .collect();
    let mut n = clean.clone();
    let mut i = 2;
    while used.iter().any(|u| u.eq_ignore_ascii_case(&n)) {
        n = format!("{clean} {i}");
        i += 1;
    }
    used.push(n.clone());
    n
}

/// The report as XLSX bytes.
pub fn render(doc: &Doc) -> Result<Vec<u8>, RenderError> {
    let tz = doc.tz();
    let mut wb = Workbook::new();
    let created = excel_time(doc.generated_at_ms, &jiff::tz::TimeZone::UTC)?;
    wb.set_properties(
        &DocProperties::new()
            .set_title(format!("{} – {}", doc.title, doc.plant))
            .set_author(&doc.generated_by)
            .set_creation_datetime(&created),
    );
    let bold = Format::new().set_bold();
    let date = Format::new().set_num_format("yyyy-mm-dd hh:mm");
    let mut used = Vec::new();

    let ws: &mut Worksheet = wb.add_worksheet();
    let l = doc.lang;
    ws.set_name(sheet_name(&t(l, "report-field-report"), &mut used))?;
    let about: [(String, Cell); 7] = [
        (t(l, "report-field-report"), Cell::Text(doc.title.clone())),
        (t(l, "report-field-plant"), Cell::Text(doc.plant.clone())),
        (t(l, "report-field-from"), Cell::Time(doc.from_ms)),
        (t(l, "report-field-to"), Cell::Time(doc.to_ms)),
        (t(l, "report-field-zone"), Cell::Text(doc.timezone.clone())),
        (
            t(l, "report-field-generated-by"),
            Cell::Text(doc.generated_by.clone()),
        ),
        (
            t(l, "report-field-generated-at"),
            Cell::Time(doc.generated_at_ms),
        ),
    ];
    for (r, (k, v)) in about.iter().enumerate() {
        ws.write_string_with_format(r as u32, 0, k, &bold)?;
        match v {
            Cell::Time(ms) => {
                ws.write_datetime_with_format(r as u32, 1, excel_time(*ms, &tz)?, &date)?;
            }
            other => {
                ws.write_string(r as u32, 1, other.text(&tz, l))?;
            }
        }
    }
    ws.set_column_width(0, 16)?;
    ws.set_column_width(1, 40)?;

    for t in doc.tables() {
        let ws = wb.add_worksheet();
        ws.set_name(sheet_name(&t.name, &mut used))?;
        for (c, col) in t.columns.iter().enumerate() {
            ws.write_string_with_format(0, c as u16, col.header(), &bold)?;
        }
        ws.set_freeze_panes(1, 0)?;
        for (r, row) in t.rows.iter().enumerate() {
            let r = r as u32 + 1;
            for (c, cell) in row.iter().enumerate() {
                let c = c as u16;
                match cell {
                    Cell::Text(s) => {
                        ws.write_string(r, c, s)?;
                    }
                    Cell::Int(v) => {
                        ws.write_number_with_format(
                            r,
                            c,
                            *v as f64,
                            &Format::new().set_num_format("0"),
                        )?;
                    }
                    Cell::Num(v, d) => {
                        let f = if *d == 0 {
                            "0".to_string()
                        } else {
                            format!("0.{}", "0".repeat(*d as usize))
                        };
                        ws.write_number_with_format(r, c, *v, &Format::new().set_num_format(f))?;
                    }
                    Cell::Pct(v) => {
                        ws.write_number_with_format(
                            r,
                            c,
                            *v,
                            &Format::new().set_num_format("0.0%"),
                        )?;
                    }
                    Cell::Time(ms) => {
                        ws.write_datetime_with_format(r, c, excel_time(*ms, &tz)?, &date)?;
                    }
                    Cell::Empty => {}
                }
            }
        }
        ws.autofit();
    }
    Ok(wb.save_to_buffer()?)
}
