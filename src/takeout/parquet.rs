//! Parquet files of samples and rollups, written with the `parquet` crate's low-level
//! column writers (no Arrow: see docs/ARCHITECTURE.md), a row group per [`ROW_GROUP`]
//! rows, rows sorted by tag then time (and said so in each row group's metadata).
//!
//! Each column has the encoding that packs it tightest, measured on the demo plant's
//! year (docs/ARCHITECTURE.md): times as DELTA_BINARY_PACKED (they rise by about the
//! same step, so a few bits each), the tag and the quality dictionary-encoded (runs of
//! one code cost almost nothing), and then zstd over every page. A tag's values are
//! encoded the way that is smallest for that tag, tried on its first row group: a
//! dictionary for states and readings with few distinct values, BYTE_STREAM_SPLIT for
//! counters, PLAIN for noisy readings. Every reader of Parquet (pyarrow, DuckDB,
//! pandas, Spark) reads all three.

use std::io::Write;
use std::sync::Arc;

use parquet::basic::{Compression, Encoding, ZstdLevel};
use parquet::data_type::{ByteArray, ByteArrayType, DoubleType, Int32Type, Int64Type};
use parquet::errors::ParquetError;
use parquet::file::metadata::SortingColumn;
use parquet::file::properties::WriterProperties;
use parquet::file::writer::SerializedFileWriter;
use parquet::schema::parser::parse_message_type;
use parquet::schema::types::ColumnPath;

use crate::sample::{Sample, Value};
use crate::store::rollup::Rollup;

pub const ROW_GROUP: usize = 1 << 20;

const SAMPLES: &str = "message samples {
    REQUIRED INT64 tag_id;
    REQUIRED INT64 ts (TIMESTAMP(MILLIS,true));
    OPTIONAL DOUBLE value;
    OPTIONAL BYTE_ARRAY text (UTF8);
    REQUIRED INT32 quality;
}";

const ROLLUPS: &str = "message rollups {
    REQUIRED INT64 tag_id;
    REQUIRED INT64 t (TIMESTAMP(MILLIS,true));
    OPTIONAL INT64 first_ts; OPTIONAL DOUBLE first;
    OPTIONAL INT64 last_ts; OPTIONAL DOUBLE last;
    OPTIONAL INT64 min_ts; OPTIONAL DOUBLE min;
    OPTIONAL INT64 max_ts; OPTIONAL DOUBLE max;
    REQUIRED DOUBLE sum;
    REQUIRED DOUBLE twa_sum;
    REQUIRED INT64 twa_ms;
    REQUIRED INT64 good;
    REQUIRED INT64 bad;
}";

/// zstd's level for every page. On a 2-day demo database (5.28 MB) the Parquet was
/// 5.34 MB at level 3, 5.14 MB at 6 and 5.10 MB at 9: 6 is the first under the
/// database's size, at about twice level 3's compression time.
const ZSTD_LEVEL: i32 = 6;

/// How a column's values are encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Coding {
    /// A dictionary of the column chunk's distinct values and RLE/bit-packed indexes
    /// (falling back to PLAIN when the dictionary grows past its page).
    Dictionary,
    Plain,
    /// Each byte of the values in its own stream (floating point only).
    ByteStreamSplit,
    /// Deltas, bit-packed in mini-blocks (integers only).
    Delta,
}

fn writer<W: Write + Send>(
    w: W,
    schema: &str,
    codings: &[(&str, Coding)],
) -> Result<SerializedFileWriter<W>, ParquetError> {
    let sorted = schema.contains("tag_id");
    let schema = Arc::new(parse_message_type(schema)?);
    let mut props = WriterProperties::builder()
        .set_compression(Compression::ZSTD(ZstdLevel::try_new(ZSTD_LEVEL)?))
        // By tag, then by time (the first two columns).
        .set_sorting_columns(sorted.then(|| {
            vec![
                SortingColumn {
                    column_idx: 0,
                    descending: false,
                    nulls_first: false,
                },
                SortingColumn {
                    column_idx: 1,
                    descending: false,
                    nulls_first: false,
                },
            ]
        }))
        .set_created_by("Plantlog full export".into());
    for (column, coding) in codings {
        let c = ColumnPath::from(*column);
        props = match coding {
            Coding::Dictionary => props.set_column_dictionary_enabled(c, true),
            Coding::Plain => props
                .set_column_dictionary_enabled(c.clone(), false)
                .set_column_encoding(c, Encoding::PLAIN),
            Coding::ByteStreamSplit => props
                .set_column_dictionary_enabled(c.clone(), false)
                .set_column_encoding(c, Encoding::BYTE_STREAM_SPLIT),
            Coding::Delta => props
                .set_column_dictionary_enabled(c.clone(), false)
                .set_column_encoding(c, Encoding::DELTA_BINARY_PACKED),
        };
    }
    SerializedFileWriter::new(w, schema, Arc::new(props.build()))
}

/// The codings of a samples file whose values are coded `value`.
fn sample_codings(value: Coding) -> [(&'static str, Coding); 4] {
    [
        ("tag_id", Coding::Dictionary),
        ("ts", Coding::Delta),
        ("value", value),
        ("quality", Coding::Dictionary),
    ]
}

/// Values tried per coding when a file's value coding is chosen.
const TRIAL: usize = 1 << 17;

/// The coding that writes `values` (the first of a tag's) smallest: each is tried on
/// up to [`TRIAL`] of them, in a column of its own in memory.
pub fn best_value_coding(values: &[f64]) -> Result<Coding, ParquetError> {
    let values = &values[..values.len().min(TRIAL)];
    if values.is_empty() {
        return Ok(Coding::Dictionary);
    }
    let mut best = (usize::MAX, Coding::Dictionary);
    for coding in [Coding::Dictionary, Coding::ByteStreamSplit, Coding::Plain] {
        let mut out = Vec::new();
        let mut w = writer(
            &mut out,
            "message trial { REQUIRED DOUBLE value; }",
            &[("value", coding)],
        )?;
        let mut g = w.next_row_group()?;
        let mut c = g.next_column()?.expect("value");
        c.typed::<DoubleType>().write_batch(values, None, None)?;
        c.close()?;
        g.close()?;
        w.close()?;
        if out.len() < best.0 {
            best = (out.len(), coding);
        }
    }
    Ok(best.1)
}

/// Values and definition levels of one optional column.
fn optional<T: Copy>(it: impl Iterator<Item = Option<T>>) -> (Vec<T>, Vec<i16>) {
    let mut v = Vec::new();
    let mut d = Vec::new();
    for x in it {
        match x {
            Some(x) => {
                v.push(x);
                d.push(1);
            }
            None => d.push(0),
        }
    }
    (v, d)
}

/// The samples of one or more tags, fed in row groups. The file is begun at the first
/// group, whose values choose the value column's coding ([`best_value_coding`]).
pub struct SampleFile<W: Write + Send> {
    sink: Option<W>,
    w: Option<SerializedFileWriter<W>>,
    pub rows: u64,
    /// The value column's coding, once chosen.
    pub coding: Option<Coding>,
}

impl<W: Write + Send> SampleFile<W> {
    pub fn new(w: W) -> Result<Self, ParquetError> {
        Ok(SampleFile {
            sink: Some(w),
            w: None,
            rows: 0,
            coding: None,
        })
    }

    fn begin(&mut self, coding: Coding) -> Result<&mut SerializedFileWriter<W>, ParquetError> {
        if self.w.is_none() {
            let sink = self
                .sink
                .take()
                .ok_or_else(|| ParquetError::General("the file was begun already".into()))?;
            self.w = Some(writer(sink, SAMPLES, &sample_codings(coding))?);
            self.coding = Some(coding);
        }
        Ok(self.w.as_mut().expect("begun above"))
    }

    pub fn group(&mut self, s: &[Sample]) -> Result<(), ParquetError> {
        if s.is_empty() {
            return Ok(());
        }
        let tag: Vec<i64> = s.iter().map(|s| s.tag_id).collect();
        let ts: Vec<i64> = s.iter().map(|s| s.ts).collect();
        let (value, value_d) = optional(s.iter().map(|s| s.value()));
        let coding = match self.coding {
            Some(c) => c,
            None => best_value_coding(&value)?,
        };
        let mut g = self.begin(coding)?.next_row_group()?;
        let mut text = Vec::new();
        let mut text_d = Vec::with_capacity(s.len());
        for x in s {
            match x.raw_value() {
                Some(Value::Text(t)) => {
                    text.push(ByteArray::from(t.as_bytes().to_vec()));
                    text_d.push(1);
                }
                _ => text_d.push(0),
            }
        }
        let quality: Vec<i32> = s.iter().map(|s| s.quality.code() as i32).collect();
        let mut c = g.next_column()?.expect("tag_id");
        c.typed::<Int64Type>().write_batch(&tag, None, None)?;
        c.close()?;
        let mut c = g.next_column()?.expect("ts");
        c.typed::<Int64Type>().write_batch(&ts, None, None)?;
        c.close()?;
        let mut c = g.next_column()?.expect("value");
        c.typed::<DoubleType>()
            .write_batch(&value, Some(&value_d), None)?;
        c.close()?;
        let mut c = g.next_column()?.expect("text");
        c.typed::<ByteArrayType>()
            .write_batch(&text, Some(&text_d), None)?;
        c.close()?;
        let mut c = g.next_column()?.expect("quality");
        c.typed::<Int32Type>().write_batch(&quality, None, None)?;
        c.close()?;
        g.close()?;
        self.rows += s.len() as u64;
        Ok(())
    }

    /// Writes the footer; the file is complete. Returns what it was written to.
    pub fn finish(mut self) -> Result<W, ParquetError> {
        self.begin(Coding::Dictionary)?;
        self.w.take().expect("begun above").into_inner()
    }
}

/// The rollups' codings: times delta-coded (the first, last, lowest and highest
/// sample's times rise with the minute), numbers PLAIN (they are as noisy as the
/// readings and have few repeats), counts in a dictionary.
const ROLLUP_CODINGS: [(&str, Coding); 15] = [
    ("tag_id", Coding::Dictionary),
    ("t", Coding::Delta),
    ("first_ts", Coding::Delta),
    ("first", Coding::Plain),
    ("last_ts", Coding::Delta),
    ("last", Coding::Plain),
    ("min_ts", Coding::Delta),
    ("min", Coding::Plain),
    ("max_ts", Coding::Delta),
    ("max", Coding::Plain),
    ("sum", Coding::Plain),
    ("twa_sum", Coding::Plain),
    ("twa_ms", Coding::Dictionary),
    ("good", Coding::Dictionary),
    ("bad", Coding::Dictionary),
];

/// Rollups of many tags, as (tag, rollup).
pub struct RollupFile<W: Write + Send> {
    w: SerializedFileWriter<W>,
}

impl<W: Write + Send> RollupFile<W> {
    /// Writes the footer; the file is complete. Returns what it was written to.
    pub fn finish(self) -> Result<W, ParquetError> {
        self.w.into_inner()
    }

    pub fn new(w: W) -> Result<Self, ParquetError> {
        Ok(RollupFile {
            w: writer(w, ROLLUPS, &ROLLUP_CODINGS)?,
        })
    }

    pub fn group(&mut self, r: &[(i64, Rollup)]) -> Result<(), ParquetError> {
        if r.is_empty() {
            return Ok(());
        }
        let mut g = self.w.next_row_group()?;
        let ints = |f: &dyn Fn(&(i64, Rollup)) -> i64| r.iter().map(f).collect::<Vec<i64>>();
        let mut int = |v: Vec<i64>| -> Result<(), ParquetError> {
            let mut c = g.next_column()?.expect("column");
            c.typed::<Int64Type>().write_batch(&v, None, None)?;
            c.close()
        };
        int(ints(&|x| x.0))?;
        int(ints(&|x| x.1.t))?;
        for pick in [
            |r: &Rollup| r.first,
            |r: &Rollup| r.last,
            |r: &Rollup| r.min,
            |r: &Rollup| r.max,
        ] {
            let (t, td) = optional(r.iter().map(|x| pick(&x.1).map(|p| p.0)));
            let (v, vd) = optional(r.iter().map(|x| pick(&x.1).map(|p| p.1)));
            let mut c = g.next_column()?.expect("ts");
            c.typed::<Int64Type>().write_batch(&t, Some(&td), None)?;
            c.close()?;
            let mut c = g.next_column()?.expect("value");
            c.typed::<DoubleType>().write_batch(&v, Some(&vd), None)?;
            c.close()?;
        }
        for v in [
            r.iter().map(|x| x.1.sum).collect::<Vec<f64>>(),
            r.iter().map(|x| x.1.twa_sum).collect(),
        ] {
            let mut c = g.next_column()?.expect("sum");
            c.typed::<DoubleType>().write_batch(&v, None, None)?;
            c.close()?;
        }
        let mut int = |v: Vec<i64>| -> Result<(), ParquetError> {
            let mut c = g.next_column()?.expect("column");
            c.typed::<Int64Type>().write_batch(&v, None, None)?;
            c.close()
        };
        int(ints(&|x| x.1.twa_ms))?;
        int(ints(&|x| x.1.good))?;
        int(ints(&|x| x.1.bad))?;
        g.close()?;
        Ok(())
    }
}
