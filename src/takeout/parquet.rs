//! Parquet files of samples and rollups, written with the `parquet` crate's low-level
//! column writers (no Arrow: see docs/ARCHITECTURE.md), zstd-compressed, a row group per
//! [`ROW_GROUP`] rows.

use std::io::Write;
use std::sync::Arc;

use parquet::basic::{Compression, Encoding, ZstdLevel};
use parquet::data_type::{ByteArray, ByteArrayType, DoubleType, Int32Type, Int64Type};
use parquet::errors::ParquetError;
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

fn writer<W: Write + Send>(
    w: W,
    schema: &str,
    time: &str,
) -> Result<SerializedFileWriter<W>, ParquetError> {
    let schema = Arc::new(parse_message_type(schema)?);
    // Times rise by about the same step: delta-encoded they take a few bits each, where
    // a dictionary of unique times overflows and falls back to plain 8 bytes.
    let time = ColumnPath::from(time);
    let props = WriterProperties::builder()
        .set_column_dictionary_enabled(time.clone(), false)
        .set_column_encoding(time, Encoding::DELTA_BINARY_PACKED)
        .set_compression(Compression::ZSTD(ZstdLevel::try_new(3)?))
        .set_created_by("Plantlog full export".into())
        .build();
    SerializedFileWriter::new(w, schema, Arc::new(props))
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

/// The samples of one or more tags, fed in row groups.
pub struct SampleFile<W: Write + Send> {
    w: SerializedFileWriter<W>,
    pub rows: u64,
}

impl<W: Write + Send> SampleFile<W> {
    pub fn new(w: W) -> Result<Self, ParquetError> {
        Ok(SampleFile {
            w: writer(w, SAMPLES, "ts")?,
            rows: 0,
        })
    }

    pub fn group(&mut self, s: &[Sample]) -> Result<(), ParquetError> {
        if s.is_empty() {
            return Ok(());
        }
        let mut g = self.w.next_row_group()?;
        let tag: Vec<i64> = s.iter().map(|s| s.tag_id).collect();
        let ts: Vec<i64> = s.iter().map(|s| s.ts).collect();
        let (value, value_d) = optional(s.iter().map(|s| s.value()));
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

    /// Writes the footer; the file is complete.
    pub fn finish(self) -> Result<(), ParquetError> {
        self.w.close().map(|_| ())
    }
}

/// Rollups of many tags, as (tag, rollup).
pub struct RollupFile<W: Write + Send> {
    w: SerializedFileWriter<W>,
}

impl<W: Write + Send> RollupFile<W> {
    pub fn new(w: W) -> Result<Self, ParquetError> {
        Ok(RollupFile {
            w: writer(w, ROLLUPS, "t")?,
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

    /// Writes the footer; the file is complete.
    pub fn finish(self) -> Result<(), ParquetError> {
        self.w.close().map(|_| ())
    }
}
