//! Reports a factory hands around: a report is first a model ([`Doc`]: sections of
//! tables, charts and text, with the plant, range, time zone, who made it and when),
//! built from the production engine's figures ([`build`]; never recomputed here), then
//! rendered as PDF ([`pdf`], with vector charts), XLSX ([`xlsx`]) or CSV ([`csv`]),
//! with the charts also as PNG ([`chart`]). The same input gives the same bytes.
//!
//! Headless: the API, the command line and the scheduler call the same functions. It
//! imports production, config and sample; never api, app or core.

pub mod build;
pub mod chart;
pub mod csv;
pub mod energy;
pub mod fonts;
pub mod jobs;
pub mod lot;
pub mod pdf;
pub mod schedule;
pub mod spc;
pub mod tags;
#[cfg(test)]
mod tests;
pub mod xlsx;

use serde::{Deserialize, Serialize};

pub use crate::i18n::Lang;
use crate::i18n::t;

/// Which report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// Per shift: every machine's figures and state timeline, stops with reasons.
    Shift,
    /// A day, week or month: OEE per machine and line, downtime Pareto, parts per day.
    Production,
    /// Chosen tags: min, max and mean per hour or day, a trend per tag, alarms.
    Tag,
    /// Each energy meter: kWh per day and shift, peak demand, kWh per part.
    Energy,
    /// A production lot's story: product, machine, materials with their supplier lots,
    /// checks and dispositions, scrap, stops, the machine's trends and SPC.
    Lot,
    /// A measured characteristic's control charts, rule breaks and capability.
    Spc,
}

impl Kind {
    pub fn parse(s: &str) -> Option<Kind> {
        match s {
            "shift" => Some(Kind::Shift),
            "production" => Some(Kind::Production),
            "tag" => Some(Kind::Tag),
            "energy" => Some(Kind::Energy),
            "lot" => Some(Kind::Lot),
            "spc" => Some(Kind::Spc),
            _ => None,
        }
    }
}

/// The file a report is rendered into.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Format {
    Pdf,
    Xlsx,
    Csv,
}

impl Format {
    pub fn parse(s: &str) -> Option<Format> {
        match s {
            "pdf" => Some(Format::Pdf),
            "xlsx" => Some(Format::Xlsx),
            "csv" => Some(Format::Csv),
            _ => None,
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            Format::Pdf => "pdf",
            Format::Xlsx => "xlsx",
            Format::Csv => "csv",
        }
    }

    pub fn mime(self) -> &'static str {
        match self {
            Format::Pdf => "application/pdf",
            Format::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            Format::Csv => "text/csv; charset=utf-8",
        }
    }
}

/// The paper a PDF is laid out on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Paper {
    #[default]
    A4,
    Letter,
}

impl Paper {
    /// Width and height in points (1/72 in).
    pub fn size(self) -> (f32, f32) {
        match self {
            Paper::A4 => (595.28, 841.89),
            Paper::Letter => (612.0, 792.0),
        }
    }
}

/// How a report is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    pub paper: Paper,
    /// CSV: a byte-order mark first, so Excel reads UTF-8.
    pub bom: bool,
    /// CSV: the field separator (`;` where the comma is the decimal separator).
    pub delimiter: u8,
    /// CSV: write decimals with a comma ("0,853").
    pub decimal_comma: bool,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            paper: Paper::A4,
            bom: true,
            delimiter: b',',
            decimal_comma: false,
        }
    }
}

/// One value of a table.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Int(i64),
    /// A number shown with this many decimals.
    Num(f64, u8),
    /// A fraction shown as a percentage with one decimal ("85.3 %").
    Pct(f64),
    /// A time (UTC ms), shown in the plant's time zone.
    Time(i64),
    Empty,
}

impl Cell {
    pub fn opt_pct(v: Option<f64>) -> Cell {
        v.map_or(Cell::Empty, Cell::Pct)
    }

    /// Hours with two decimals, from seconds.
    pub fn hours(s: f64) -> Cell {
        Cell::Num(s / 3600.0, 2)
    }

    pub fn is_number(&self) -> bool {
        matches!(self, Cell::Int(_) | Cell::Num(..) | Cell::Pct(_))
    }

    /// The text a person reads in `lang`'s locale (decimal separator, date order);
    /// `tz` for times.
    pub fn text(&self, tz: &jiff::tz::TimeZone, lang: Lang) -> String {
        match self {
            Cell::Text(s) => s.clone(),
            Cell::Int(v) => v.to_string(),
            Cell::Num(v, d) => lang.num(*v, *d as usize),
            Cell::Pct(v) => lang.pct(*v),
            Cell::Time(ms) => lang.datetime(*ms, tz),
            Cell::Empty => String::new(),
        }
    }
}

/// A time as "2026-03-02 06:00" in `tz`.
pub fn local(ms: i64, tz: &jiff::tz::TimeZone) -> String {
    match jiff::Timestamp::from_millisecond(ms) {
        Ok(t) => t
            .to_zoned_datetime(tz.clone())
            .strftime("%Y-%m-%d %H:%M")
            .to_string(),
        Err(_) => ms.to_string(),
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    pub title: String,
    /// Shown in the header: "Run (h)".
    pub unit: Option<String>,
}

impl Column {
    pub fn new(title: &str, unit: Option<&str>) -> Column {
        Column {
            title: title.into(),
            unit: unit.map(Into::into),
        }
    }

    /// A column titled by the message `id` in `lang`, with a unit as given.
    pub fn tr(lang: Lang, id: &str, unit: Option<&str>) -> Column {
        Column {
            title: t(lang, id),
            unit: unit.map(Into::into),
        }
    }

    pub fn header(&self) -> String {
        match &self.unit {
            Some(u) => format!("{} ({u})", self.title),
            None => self.title.clone(),
        }
    }
}

/// A table: a sheet of its own in XLSX, a block in CSV.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// Short, unique in the report: the sheet's name.
    pub name: String,
    pub columns: Vec<Column>,
    pub rows: Vec<Vec<Cell>>,
}

/// A state on a timeline, as the chart colours it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    Running,
    Idle,
    Setup,
    Stopped,
    Fault,
    NoData,
}

impl State {
    /// The state's name in `lang`.
    pub fn label(self, lang: Lang) -> String {
        t(
            lang,
            match self {
                State::Running => "report-state-running",
                State::Idle => "report-state-idle",
                State::Setup => "report-state-setup",
                State::Stopped => "report-state-stopped",
                State::Fault => "report-state-fault",
                State::NoData => "report-state-no-data",
            },
        )
    }
}

/// A machine's name and its states: (from, to, state), in time order.
pub type StateRow = (String, Vec<(i64, i64, State)>);

#[derive(Debug, Clone, PartialEq)]
pub enum Chart {
    /// One bar per label.
    Bars {
        title: String,
        unit: String,
        labels: Vec<String>,
        values: Vec<f64>,
    },
    /// Bars largest first, with the cumulative share as a line.
    Pareto {
        title: String,
        unit: String,
        labels: Vec<String>,
        values: Vec<f64>,
    },
    /// A tag's minimum, mean and maximum per period: (period middle, min, mean, max).
    Line {
        title: String,
        unit: String,
        from_ms: i64,
        to_ms: i64,
        points: Vec<(i64, f64, f64, f64)>,
    },
    /// A control chart: the values in order (numbered from 1) with the center line and
    /// control limits, the specification limits, and the points that break a rule
    /// marked in red.
    Control {
        title: String,
        unit: String,
        values: Vec<f64>,
        /// The number of the first value (2 for moving ranges: the first is of points
        /// 1 and 2).
        first: usize,
        /// Center, lower and upper control limit.
        limits: Option<(f64, f64, f64)>,
        /// Lower and upper specification limit.
        spec: (Option<f64>, Option<f64>),
        /// Indices into `values`.
        flagged: Vec<usize>,
    },
    /// Each machine's states over [from, to).
    Timeline {
        title: String,
        from_ms: i64,
        to_ms: i64,
        rows: Vec<StateRow>,
    },
}

impl Chart {
    pub fn title(&self) -> &str {
        match self {
            Chart::Bars { title, .. } | Chart::Pareto { title, .. } => title,
            Chart::Timeline { title, .. } | Chart::Line { title, .. } => title,
            Chart::Control { title, .. } => title,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    Text(String),
    Table(Table),
    Chart(Chart),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Section {
    pub title: String,
    pub items: Vec<Item>,
}

/// A report, before it is rendered.
#[derive(Debug, Clone, PartialEq)]
pub struct Doc {
    pub kind: Kind,
    pub title: String,
    pub plant: String,
    pub from_ms: i64,
    pub to_ms: i64,
    /// IANA name: times are shown there.
    pub timezone: String,
    pub generated_by: String,
    pub generated_at_ms: i64,
    /// The language its words, numbers and dates are written in.
    pub lang: Lang,
    pub sections: Vec<Section>,
}

impl Doc {
    pub fn tz(&self) -> jiff::tz::TimeZone {
        jiff::tz::TimeZone::get(&self.timezone).unwrap_or(jiff::tz::TimeZone::UTC)
    }

    pub fn tables(&self) -> impl Iterator<Item = &Table> {
        self.sections.iter().flat_map(|s| {
            s.items.iter().filter_map(|i| match i {
                Item::Table(t) => Some(t),
                _ => None,
            })
        })
    }

    pub fn charts(&self) -> impl Iterator<Item = &Chart> {
        self.sections.iter().flat_map(|s| {
            s.items.iter().filter_map(|i| match i {
                Item::Chart(c) => Some(c),
                _ => None,
            })
        })
    }

    /// "2026-03-01 06:00 – 2026-04-01 06:00 (Europe/Berlin)", dates as the report's
    /// language writes them.
    pub fn range(&self) -> String {
        let tz = self.tz();
        format!(
            "{} – {} ({})",
            self.lang.datetime(self.from_ms, &tz),
            self.lang.datetime(self.to_ms, &tz),
            self.timezone
        )
    }

    /// [`Doc::range`] with "YYYY-MM-DD HH:MM" times, for files programs read (CSV).
    pub fn range_iso(&self) -> String {
        let tz = self.tz();
        format!(
            "{} – {} ({})",
            local(self.from_ms, &tz),
            local(self.to_ms, &tz),
            self.timezone
        )
    }

    /// A time as the report's language writes it.
    pub fn time(&self, ms: i64) -> String {
        self.lang.datetime(ms, &self.tz())
    }

    /// A file name stem: "production-2026-03-01".
    pub fn stem(&self) -> String {
        let kind = match self.kind {
            Kind::Shift => "shift",
            Kind::Production => "production",
            Kind::Tag => "tags",
            Kind::Energy => "energy",
            Kind::Lot => "lot",
            Kind::Spc => "spc",
        };
        let day = local(self.from_ms, &self.tz());
        format!("{kind}-{}", &day[..10.min(day.len())])
    }
}

#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    #[error("cannot write the PDF: {0}")]
    Pdf(String),
    #[error("cannot write the XLSX: {0}")]
    Xlsx(#[from] rust_xlsxwriter::XlsxError),
    #[error("cannot write the CSV: {0}")]
    Csv(#[from] ::csv::Error),
    #[error("cannot draw the chart '{0}': {1}")]
    Chart(String, String),
}

/// The report as a file of `format`.
pub fn render(doc: &Doc, format: Format, opts: &Options) -> Result<Vec<u8>, RenderError> {
    match format {
        Format::Pdf => pdf::render(doc, opts.paper),
        Format::Xlsx => xlsx::render(doc),
        Format::Csv => csv::render(doc, opts),
    }
}

/// The charts as PNG files: (name, bytes), named after the report's stem.
pub fn pngs(doc: &Doc) -> Result<Vec<(String, Vec<u8>)>, RenderError> {
    doc.charts()
        .enumerate()
        .map(|(i, c)| {
            Ok((
                format!("{}-chart{}.png", doc.stem(), i + 1),
                chart::png_tz(c, &doc.tz(), doc.lang)?,
            ))
        })
        .collect()
}

/// The report as a zip for a customer or an auditor: `{stem}.pdf`, each table as
/// `{stem}-{table}.csv` (UTF-8 with a byte-order mark) and each chart as
/// `{stem}-chart{n}.png`.
pub fn bundle(doc: &Doc, stem: &str, paper: Paper) -> Result<Vec<u8>, RenderError> {
    use std::io::Write;
    use zip::write::SimpleFileOptions;
    let err = |e: String| RenderError::Pdf(format!("cannot write the zip: {e}"));
    let opts = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let mut add = |name: String, bytes: &[u8]| -> Result<(), RenderError> {
        z.start_file(name, opts).map_err(|e| err(e.to_string()))?;
        z.write_all(bytes).map_err(|e| err(e.to_string()))
    };
    add(format!("{stem}.pdf"), &pdf::render(doc, paper)?)?;
    for t in doc.tables() {
        let one = Doc {
            sections: vec![Section {
                title: t.name.clone(),
                items: vec![Item::Table(t.clone())],
            }],
            ..doc.clone()
        };
        let name: String = t
            .name
            .chars()
            .map(|c| {
                if c.is_alphanumeric() {
                    c.to_ascii_lowercase()
                } else {
                    '-'
                }
            })
            .collect();
        add(
            format!("{stem}-{name}.csv"),
            &csv::render(&one, &Options::default())?,
        )?;
    }
    for (i, c) in doc.charts().enumerate() {
        add(
            format!("{stem}-chart{}.png", i + 1),
            &chart::png_tz(c, &doc.tz(), doc.lang)?,
        )?;
    }
    let out = z.finish().map_err(|e| err(e.to_string()))?;
    Ok(out.into_inner())
}
