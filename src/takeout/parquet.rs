//! Parquet files of samples and rollups, written with the `parquet` crate's low-level
//! column writers (no Arrow: see docs/ARCHITECTURE.md), a row group per [`ROW_GROUP`]
//! rows, rows sorted by tag then time (and said so in each row group's metadata).
//!
//! Each column has the encoding that packs it tightest, measured on the demo plant's
//! year (docs/ARCHITECTURE.md): times as DELTA_BINARY_PACKED (they rise by about the
//! same step, so a few bits each), the tag and the quality too (a run of one code packs
//! to nothing), and then zstd over every page. A tag of float32 readings is written
//! with a FLOAT value column, the others DOUBLE ([`Width`]). A
//! tag's values are encoded the way that is smallest for that tag, tried on its first
//! row group: a dictionary for states and readings with few distinct values,
//! BYTE_STREAM_SPLIT for counters and noisy singles, PLAIN for noisy doubles. Every
//! reader of Parquet (pyarrow, DuckDB, pandas, Spark) reads all of them.

use std::io::Write;
use std::sync::Arc;

use parquet::basic::{Compression, Encoding, ZstdLevel};
use parquet::data_type::{ByteArray, ByteArrayType, DoubleType, FloatType, Int32Type, Int64Type};
use parquet::errors::ParquetError;
use parquet::file::metadata::SortingColumn;
use parquet::file::properties::WriterProperties;
use parquet::file::writer::SerializedFileWriter;
use parquet::schema::parser::parse_message_type;
use parquet::schema::types::ColumnPath;

use crate::sample::{Sample, Value};
use crate::store::rollup::Rollup;

pub const ROW_GROUP: usize = 1 << 20;

/// The samples of a tag whose values are not all singles (see [`Width`]).
const SAMPLES: &str = "message samples {
    REQUIRED INT64 tag_id;
    REQUIRED INT64 ts (TIMESTAMP(MILLIS,true));
    OPTIONAL DOUBLE value;
    OPTIONAL BYTE_ARRAY text (UTF8);
    REQUIRED INT32 quality;
}";

/// Samples whose values are singles (a float32 register's readings).
const SAMPLES_F32: &str = "message samples {
    REQUIRED INT64 tag_id;
    REQUIRED INT64 ts (TIMESTAMP(MILLIS,true));
    OPTIONAL FLOAT value;
    OPTIONAL BYTE_ARRAY text (UTF8);
    REQUIRED INT32 quality;
}";

/// The type of a samples file's `value` column.
///
/// A float32 register's reading is stored by the historian as its 32 bits, and read
/// as the double of its shortest decimal (0.1f32 is 0.1). As a DOUBLE its low mantissa
/// bytes are noise to every encoding (6.4 bytes a sample in the year demo); as a FLOAT
/// it is the device's own value, 2 to 3 bytes a sample. A tag at home in FLOAT
/// ([`home_of`]) has its rows whose value is such a single ([`single`]) written to a
/// FLOAT file, whose values are then one to one with the values Plantlog shows (the
/// shortest decimal of the FLOAT, which readers print); its other rows, and all rows of
/// other tags, go to a DOUBLE file. A FLOAT file and a DOUBLE file must not be read as one table
/// without a schema: readers take the first file's type and would cut doubles to
/// singles, so the two go to separate folders (docs/ARCHITECTURE.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Width {
    F32,
    F64,
}

impl Width {
    /// The folder of a samples file of this width, under `samples/parquet/`.
    pub fn folder(self) -> &'static str {
        match self {
            Width::F32 => "float",
            Width::F64 => "double",
        }
    }
}

/// Whether `v` is the value Plantlog reads for a single: the double of the shortest
/// decimal of `v as f32`, bit for bit (so the FLOAT written gives it back exactly).
pub fn single(v: f64) -> bool {
    let f = v as f32;
    // Whole numbers up to 2^24 are their own shortest decimal.
    if v.abs() < 16_777_216.0 && v == v.trunc() && !(v == 0.0 && v.is_sign_negative()) {
        return true;
    }
    f.is_finite()
        && ryu::Buffer::new()
            .format_finite(f)
            .parse::<f64>()
            .is_ok_and(|back| back.to_bits() == v.to_bits())
}

/// The width of a tag's main samples file, from its first day's samples: F32 when
/// it has values and nine in ten or more are [`single`]s, else F64 (a tag of texts or
/// of no values too). A tag at home in F32 still has its values that are not singles
/// written, with their rows, to a DOUBLE file of its own.
pub fn home_of(samples: &[Sample]) -> Width {
    let (mut n, mut singles) = (0usize, 0usize);
    for v in samples.iter().filter_map(|s| s.value()) {
        n += 1;
        singles += usize::from(single(v));
    }
    home_of_counts(n, singles)
}

/// [`home_of`] of `n` numbers of which `singles` are singles.
pub fn home_of_counts(n: usize, singles: usize) -> Width {
    if n > 0 && singles * 10 >= n * 9 {
        Width::F32
    } else {
        Width::F64
    }
}

/// Whether the decimal `int / 10^exponent` (`v`, exponent 0 to 6, as the historian's
/// decimal blocks hold it) is a [`single`], without the shortest decimal's string when
/// `|int| < 10^6`: a decimal of at most six significant digits is the shortest decimal
/// of its nearest single (six is float32's guaranteed decimal precision), and that
/// single is `v as f32` (such a decimal is at least 2^-45 of itself away from any
/// midpoint between two singles, far more than `v`'s rounding; it is never one). The
/// unit tests compare it with [`single`].
pub fn decimal_single(int: i64, exponent: u8, v: f64) -> bool {
    (int.unsigned_abs() < 1_000_000 && exponent <= 6) || single(v)
}

/// Whether the float32 reading `f` (a historian block's bits), read by Plantlog as the
/// double of its shortest decimal, is a [`single`], without that decimal's string when
/// it cannot be otherwise. It is not one when two decimals of the shortest length are
/// equally near `f` (2.55078125 lies halfway between 2.5507812 and 2.5507813): Plantlog
/// took one, and a reader of the FLOAT may print the other, so such a value goes to the
/// DOUBLE file. Such a tie needs `f`'s exact decimal to have at most ten significant
/// digits; `f` = m·2^e with m odd and e < 0 is exactly m·5^-e / 10^-e, whose digits are
/// those of m·5^-e, so when that is 10^10 or more `f` is a single without the check.
/// The unit tests compare it with [`single`].
pub fn bits_single(f: f32) -> bool {
    let bits = f.to_bits();
    let exp = ((bits >> 23) & 0xff) as i32;
    if exp != 0 && exp != 0xff {
        let m = (bits & 0x7f_ffff) | 0x80_0000;
        let tz = m.trailing_zeros();
        let (m, e) = (u128::from(m >> tz), exp - 150 + tz as i32);
        if e < 0 && (-e >= 15 || m * 5u128.pow((-e) as u32) >= 10_000_000_000) {
            return true;
        }
    }
    single(crate::store::codec::f32_to_f64(f))
}

/// One sample's value, as it goes into a samples file.
#[derive(Debug, Clone, Copy)]
pub enum Cell<'a> {
    /// A float32 reading (FLOAT files only).
    Single(f32),
    Double(f64),
    Text(&'a str),
    /// A bad sample.
    None,
}

/// The columns of the next row group of a samples file, filled a day of samples at a
/// time (no copy of the samples is kept).
pub struct Columns {
    width: Width,
    pub tag: Vec<i64>,
    pub ts: Vec<i64>,
    /// The numbers present (good samples) of a DOUBLE file, or of a FLOAT file, with
    /// their definition levels.
    pub value: Vec<f64>,
    pub value32: Vec<f32>,
    pub value_d: Vec<i16>,
    pub text: Vec<ByteArray>,
    pub text_d: Vec<i16>,
    pub quality: Vec<i32>,
}

impl Columns {
    /// The columns of a file of `width`.
    pub fn new(width: Width) -> Columns {
        Columns {
            width,
            tag: Vec::new(),
            ts: Vec::new(),
            value: Vec::new(),
            value32: Vec::new(),
            value_d: Vec::new(),
            text: Vec::new(),
            text_d: Vec::new(),
            quality: Vec::new(),
        }
    }

    pub fn push(&mut self, samples: &[Sample]) {
        for s in samples {
            self.push_one(s);
        }
    }

    /// A sample; in a FLOAT file its value must be a [`single`].
    pub fn push_one(&mut self, s: &Sample) {
        let cell = match s.raw_value() {
            Some(Value::Number(v)) => match self.width {
                Width::F32 => {
                    debug_assert!(single(*v), "a FLOAT of a double");
                    Cell::Single(*v as f32)
                }
                Width::F64 => Cell::Double(*v),
            },
            Some(Value::Text(t)) => Cell::Text(t),
            None => Cell::None,
        };
        self.push_cell(s.tag_id, s.ts, cell, s.quality.code() as i32);
    }

    /// A row. A FLOAT file takes [`Cell::Single`]s, a DOUBLE file [`Cell::Double`]s.
    pub fn push_cell(&mut self, tag: i64, ts: i64, cell: Cell<'_>, quality: i32) {
        self.tag.push(tag);
        self.ts.push(ts);
        match cell {
            Cell::Single(v) => {
                debug_assert_eq!(self.width, Width::F32, "a single in a DOUBLE file");
                self.value32.push(v);
                self.value_d.push(1);
                self.text_d.push(0);
            }
            Cell::Double(v) => {
                debug_assert_eq!(self.width, Width::F64, "a double in a FLOAT file");
                self.value.push(v);
                self.value_d.push(1);
                self.text_d.push(0);
            }
            Cell::Text(t) => {
                self.value_d.push(0);
                self.text.push(ByteArray::from(t.as_bytes().to_vec()));
                self.text_d.push(1);
            }
            Cell::None => {
                self.value_d.push(0);
                self.text_d.push(0);
            }
        }
        self.quality.push(quality);
    }

    pub fn len(&self) -> usize {
        self.ts.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ts.is_empty()
    }

    pub fn clear(&mut self) {
        self.tag.clear();
        self.ts.clear();
        self.value.clear();
        self.value32.clear();
        self.value_d.clear();
        self.text.clear();
        self.text_d.clear();
        self.quality.clear();
    }
}

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

/// zstd's level for every page. On the year demo (806 MB database, 233 M samples, a
/// release build on a shared 2-core machine) level 6 made the Parquet 3.7 % smaller
/// than level 3 (842.6 MB against 874.1 MB) and took 35 % longer (147.6 s against
/// 109.1 s); with the float32 readings as FLOAT both are under the database's size, so
/// the faster one is used. `plantlog bench export` compares levels with
/// PLANTLOG_BENCH_ZSTD_LEVEL.
pub const ZSTD_LEVEL: i32 = 3;

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
    level: i32,
) -> Result<SerializedFileWriter<W>, ParquetError> {
    let sorted = schema.contains("tag_id");
    let schema = Arc::new(parse_message_type(schema)?);
    let mut props = WriterProperties::builder()
        .set_compression(Compression::ZSTD(ZstdLevel::try_new(level)?))
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

/// The codings of a samples file whose values are coded `value`. The tag (one per
/// file) and the quality (mostly one code) are delta-coded: a run of one value packs
/// to nothing, as in a dictionary, without hashing every row into one.
fn sample_codings(value: Coding) -> [(&'static str, Coding); 4] {
    [
        ("tag_id", Coding::Delta),
        ("ts", Coding::Delta),
        ("value", value),
        ("quality", Coding::Delta),
    ]
}

/// Values tried per coding when a file's value coding is chosen.
const TRIAL: usize = 1 << 17;

/// The coding that writes `values` (the first of a tag's) smallest: each is tried on
/// up to [`TRIAL`] of them, in a column of its own in memory.
pub fn best_value_coding(values: &Values, level: i32) -> Result<Coding, ParquetError> {
    let n = values.len().min(TRIAL);
    if n == 0 {
        return Ok(Coding::Dictionary);
    }
    let mut best = (usize::MAX, Coding::Dictionary);
    for coding in [Coding::Dictionary, Coding::ByteStreamSplit, Coding::Plain] {
        let mut out = Vec::new();
        let schema = match values {
            Values::F32(_) => "message trial { REQUIRED FLOAT value; }",
            Values::F64(_) => "message trial { REQUIRED DOUBLE value; }",
        };
        let mut w = writer(&mut out, schema, &[("value", coding)], level)?;
        let mut g = w.next_row_group()?;
        let mut c = g.next_column()?.expect("value");
        values.write(&mut c, 0..n, None)?;
        c.close()?;
        g.close()?;
        w.close()?;
        if out.len() < best.0 {
            best = (out.len(), coding);
        }
    }
    Ok(best.1)
}

/// A samples file's values, as the file's [`Width`] has them.
pub enum Values<'a> {
    F32(&'a [f32]),
    F64(&'a [f64]),
}

impl Values<'_> {
    fn len(&self) -> usize {
        match self {
            Values::F32(v) => v.len(),
            Values::F64(v) => v.len(),
        }
    }

    fn write(
        &self,
        c: &mut parquet::file::writer::SerializedColumnWriter<'_>,
        range: std::ops::Range<usize>,
        def: Option<&[i16]>,
    ) -> Result<usize, ParquetError> {
        match self {
            Values::F32(v) => c.typed::<FloatType>().write_batch(&v[range], def, None),
            Values::F64(v) => c.typed::<DoubleType>().write_batch(&v[range], def, None),
        }
    }
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

/// The samples of one tag, fed in row groups. The file is begun at the first group,
/// whose values choose the value column's coding ([`best_value_coding`]).
pub struct SampleFile<W: Write + Send> {
    sink: Option<W>,
    w: Option<SerializedFileWriter<W>>,
    width: Width,
    level: i32,
    pub rows: u64,
    /// The value column's coding, once chosen.
    pub coding: Option<Coding>,
}

impl<W: Write + Send> SampleFile<W> {
    /// A file of `width` values, its pages compressed at zstd `level`.
    pub fn new(w: W, width: Width, level: i32) -> Result<Self, ParquetError> {
        Ok(SampleFile {
            sink: Some(w),
            w: None,
            width,
            level,
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
            let schema = match self.width {
                Width::F32 => SAMPLES_F32,
                Width::F64 => SAMPLES,
            };
            self.w = Some(writer(sink, schema, &sample_codings(coding), self.level)?);
            self.coding = Some(coding);
        }
        Ok(self.w.as_mut().expect("begun above"))
    }

    /// Writes `c` (columns of this file's width) as a row group.
    pub fn group(&mut self, c: &Columns) -> Result<(), ParquetError> {
        if c.ts.is_empty() {
            return Ok(());
        }
        if c.width != self.width {
            return Err(ParquetError::General(
                "the columns are of the other width".into(),
            ));
        }
        let values = match self.width {
            Width::F64 => Values::F64(&c.value),
            Width::F32 => Values::F32(&c.value32),
        };
        let coding = match self.coding {
            Some(k) => k,
            None => best_value_coding(&values, self.level)?,
        };
        let mut g = self.begin(coding)?.next_row_group()?;
        let mut col = g.next_column()?.expect("tag_id");
        col.typed::<Int64Type>().write_batch(&c.tag, None, None)?;
        col.close()?;
        let mut col = g.next_column()?.expect("ts");
        col.typed::<Int64Type>().write_batch(&c.ts, None, None)?;
        col.close()?;
        let mut col = g.next_column()?.expect("value");
        values.write(&mut col, 0..values.len(), Some(&c.value_d))?;
        col.close()?;
        let mut col = g.next_column()?.expect("text");
        col.typed::<ByteArrayType>()
            .write_batch(&c.text, Some(&c.text_d), None)?;
        col.close()?;
        let mut col = g.next_column()?.expect("quality");
        col.typed::<Int32Type>()
            .write_batch(&c.quality, None, None)?;
        col.close()?;
        g.close()?;
        self.rows += c.ts.len() as u64;
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

    pub fn new(w: W, level: i32) -> Result<Self, ParquetError> {
        Ok(RollupFile {
            w: writer(w, ROLLUPS, &ROLLUP_CODINGS, level)?,
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sample::Quality;
    use parquet::file::reader::{FileReader, SerializedFileReader};
    use parquet::record::Field;

    /// The value Plantlog reads for the single `f`: the double of its shortest decimal.
    fn read_as(f: f32) -> f64 {
        f.to_string().parse().unwrap()
    }

    #[test]
    fn singles_are_the_values_plantlog_reads_for_float32_readings_and_no_others() {
        for f in [
            0.1f32,
            23.45679,
            -1.5e-7,
            3.4e38,
            16_777_217.0,
            1e-45,
            0.0,
            -0.0,
        ] {
            assert!(single(read_as(f)), "{f}");
        }
        for v in [
            0.1f64 + f64::EPSILON,
            0.123_456_789,
            // A single exactly, but not its shortest decimal (2.4570312): a double.
            2.457_031_25,
            1e20 + 16_777_216.0 * 8.0,
            16_777_217.5,
            123_456_789.0,
            // The single nearest 0.1, widened: not the decimal Plantlog reads.
            f64::from(0.1f32),
            f64::NAN,
            f64::INFINITY,
            1e300,
        ] {
            assert!(!single(v), "{v}");
        }
        assert!(single(-7.0) && single(16_777_215.0));
    }

    #[test]
    fn a_decimal_of_six_digits_is_a_single_as_the_full_check_says() {
        // Every decimal of up to six digits at every exponent, and those just past.
        let mut checked = 0;
        for e in 0..=6u8 {
            let f = 10f64.powi(i32::from(e));
            let ints = (-1_000_100..=-999_900)
                .chain((-5000..=5000).map(|i| i * 197))
                .chain((0..1_000_000).step_by(37))
                .chain(999_900..=1_000_100)
                .chain((0..2000).map(|i| 1_234_567 * i));
            for i in ints {
                let v = i as f64 / f;
                let fast = decimal_single(i, e, v);
                assert_eq!(fast, single(v), "{i} / 10^{e}");
                if i.unsigned_abs() < 1_000_000 {
                    assert!(fast);
                    checked += 1;
                }
            }
        }
        assert!(checked > 60_000);
    }

    #[test]
    fn a_float32_reading_is_a_single_as_the_full_check_says() {
        let read = crate::store::codec::f32_to_f64;
        // Halfway between two shortest decimals: not singles.
        for f in [2.550_781_3f32, 2.457_031_3, 400.390_63, 62.382_813] {
            assert!(!bits_single(f) && !single(read(f)), "{f}");
        }
        let mut x = 0x3f80_0000u32;
        let mut checked = 0;
        let mut ties = 0;
        for i in 0..400_000u32 {
            // Noise, dyadic values with few bits, whole numbers, tiny and huge ones.
            let f = match i % 4 {
                0 => f32::from_bits(x),
                1 => (i % 4096) as f32 / 256.0 + 0.5 * (i % 7) as f32,
                2 => f32::from_bits(x.rotate_left(7) & 0x7fff_ffff),
                _ => (i as f32) * 1024.0,
            };
            x = x.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
            if !f.is_finite() {
                continue;
            }
            let full = single(read(f));
            assert_eq!(bits_single(f), full, "{f:e} ({:#x})", f.to_bits());
            checked += 1;
            ties += usize::from(!full);
        }
        assert!(
            checked > 350_000 && ties > 10,
            "{checked} checked, {ties} not singles"
        );
    }

    /// Writes `samples` as a file of `width` and reads back (tag, ts, value, quality).
    fn round_trip(samples: &[Sample], width: Width) -> Vec<(i64, i64, Option<f64>, i32)> {
        let mut f = SampleFile::new(Vec::new(), width, ZSTD_LEVEL).unwrap();
        let mut c = Columns::new(width);
        for g in samples.chunks(3000) {
            c.push(g);
            f.group(&c).unwrap();
            c.clear();
        }
        let mut file = tempfile::tempfile().unwrap();
        file.write_all(&f.finish().unwrap()).unwrap();
        let r = SerializedFileReader::new(file).unwrap();
        let schema = r.metadata().file_metadata().schema_descr().column(2);
        assert_eq!(
            schema.physical_type(),
            match width {
                Width::F32 => parquet::basic::Type::FLOAT,
                Width::F64 => parquet::basic::Type::DOUBLE,
            }
        );
        let mut out = Vec::new();
        for row in r.get_row_iter(None).unwrap() {
            let row = row.unwrap();
            let cols: Vec<&Field> = row.get_column_iter().map(|c| c.1).collect();
            let value = match cols[2] {
                // Back through the shortest decimal, as the schema tells readers.
                Field::Float(f) => Some(read_as(*f)),
                Field::Double(d) => Some(*d),
                Field::Null => None,
                other => panic!("{other:?}"),
            };
            let (Field::Long(tag), Field::TimestampMillis(ts), Field::Int(q)) =
                (cols[0], cols[1], cols[4])
            else {
                panic!("{cols:?}")
            };
            out.push((*tag, *ts, value, *q));
        }
        out
    }

    #[test]
    fn a_float_file_gives_back_every_single_exactly() {
        let mut s: Vec<Sample> = (0..10_000)
            .map(|i| {
                let f = 20.0f32 + (i as f32 * 0.37).sin() * 3.3;
                if i % 97 == 0 {
                    Sample::bad(7, i, Quality::NoAnswer)
                } else {
                    Sample::good(7, i, read_as(f))
                }
            })
            .collect();
        assert_eq!(home_of(&s), Width::F32);
        let want: Vec<_> = s
            .iter()
            .map(|x| (7, x.ts, x.value(), x.quality.code() as i32))
            .collect();
        let got = round_trip(&s, Width::F32);
        assert_eq!(got.len(), want.len());
        for (g, w) in got.iter().zip(&want) {
            assert_eq!(g.2.map(f64::to_bits), w.2.map(f64::to_bits), "{g:?} {w:?}");
            assert_eq!((g.0, g.1, g.3), (w.0, w.1, w.3));
        }
        assert_eq!(round_trip(&s, Width::F64), want);

        // Some doubles among them: still at home in FLOAT (they go to a DOUBLE file);
        // more than one in ten, or none but texts: DOUBLE.
        for i in (1..10_000).step_by(20) {
            s[i] = Sample::good(7, i as i64, 0.123_456_789);
        }
        assert_eq!(home_of(&s), Width::F32);
        for i in (2..10_000).step_by(20) {
            s[i] = Sample::good(7, i as i64, 2.457_031_25);
        }
        assert_eq!(home_of(&s), Width::F64);
        assert_eq!(home_of(&[Sample::good_text(7, 1, "A-17")]), Width::F64);
        assert_eq!(home_of(&[]), Width::F64);
    }
}
