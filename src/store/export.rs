//! Raw export: every stored sample of some tags over a time range, as CSV, written
//! window by window so that a year of a thousand tags never has to fit in memory.
//!
//! Each window (ten minutes, or an hour when an hour of the tags fits in memory) is
//! read in one read transaction (blocks and hot rows from the same snapshot, so the
//! compactor moving rows into blocks meanwhile cannot hide or double a sample) on a
//! thread of its own and its lines made, in time order across the tags, by a thread per
//! core in slices, while the window before is written out.

use std::io::Write;

use rusqlite::{Connection, OptionalExtension};

use super::raw::{self, BLOCK_MS};
use super::rollup::HOUR_MS;
use crate::sample::{Sample, TagId};

/// The header line of an export.
pub const HEADER: [&str; 7] = [
    "time_utc",
    "time_local",
    "device",
    "tag",
    "value",
    "unit",
    "quality",
];

/// A text cell as a spreadsheet will not run it: text that begins with `=`, `+`, `-`,
/// `@`, a tab or a carriage return would be taken for a formula by Excel or LibreOffice
/// (CSV injection), so it gets a leading apostrophe, which spreadsheets show as text.
/// Every text cell of every CSV Plantlog writes goes through this; numbers do not.
pub fn safe_cell(text: &str) -> std::borrow::Cow<'_, str> {
    match text.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{text}").into(),
        _ => text.into(),
    }
}

/// A tag to export, with the names written on each line.
#[derive(Debug, Clone)]
pub struct ExportTag {
    pub id: TagId,
    pub device: String,
    pub name: String,
    pub unit: String,
}

/// Looks up the names of tags by id (retired tags included); `None` for an unknown id.
pub fn tag(conn: &Connection, id: TagId) -> rusqlite::Result<Option<ExportTag>> {
    conn.query_row(
        "SELECT d.key, t.name, t.unit FROM tags t JOIN devices d ON d.id = t.device_id WHERE t.id = ?1",
        [id],
        |r| {
            Ok(ExportTag {
                id,
                device: r.get(0)?,
                name: r.get(1)?,
                unit: r.get(2)?,
            })
        },
    )
    .optional()
}

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// The export was stopped (the client went away, or Plantlog is stopping).
    #[error("the export was stopped")]
    Stopped,
    #[error(transparent)]
    Sql(#[from] rusqlite::Error),
    #[error("cannot write the export: {0}")]
    Write(#[from] csv::Error),
    #[error(transparent)]
    Store(#[from] super::StoreError),
}

/// Writes the samples of `tags` with `from <= ts < to` to `out` as CSV, oldest first
/// (samples at the same time in the order of `tags`). Returns the number of samples.
pub fn write_csv<W: Write>(
    conn: &mut Connection,
    tags: &[ExportTag],
    from: i64,
    to: i64,
    tz: &jiff::tz::TimeZone,
    out: W,
) -> Result<u64, ExportError> {
    write_csv_until(conn, tags, from, to, tz, out, &|| false)
}

/// The time of the first stored sample of `tag` at or after `t` (a block's window start
/// for samples in blocks), if any.
fn next_sample_at(conn: &Connection, tag: TagId, t: i64) -> rusqlite::Result<Option<i64>> {
    let block: Option<i64> = conn.query_row(
        "SELECT min(t0) FROM blocks WHERE tag_id = ?1 AND t0 + ?3 > ?2",
        (tag, t, BLOCK_MS),
        |r| r.get(0),
    )?;
    let hot = super::hot::first_of(conn, tag, t)?;
    Ok([block, hot].into_iter().flatten().min())
}

/// [`write_csv`], checking `stop` before each window: when it says stop (the client went
/// away, Plantlog is stopping), the export ends with [`ExportError::Stopped`]. Stretches
/// without samples are skipped, so a range that starts long before the first sample
/// costs nothing.
///
/// The work is shared: a thread reads and decodes the windows from the database and has
/// each window's lines made in slices by [`line_threads`] threads at once
/// ([`read_windows`]); this one only writes them out, in order, while the next window
/// is read and made. They hand over one window at a time, so at most two windows are
/// in memory, and the written buffers go back to be filled again.
pub fn write_csv_until<W: Write>(
    conn: &mut Connection,
    tags: &[ExportTag],
    from: i64,
    to: i64,
    tz: &jiff::tz::TimeZone,
    out: W,
    stop: &dyn Fn() -> bool,
) -> Result<u64, ExportError> {
    let mut out = out;
    let io = |e: std::io::Error| ExportError::Write(csv::Error::from(e));
    let mut header = HEADER.join(",").into_bytes();
    header.push(b'\n');
    let cells: Vec<Cells> = tags.iter().map(Cells::of).collect();
    let ids: Vec<TagId> = tags.iter().map(|t| t.id).collect();
    if stop() {
        return Err(ExportError::Stopped);
    }
    out.write_all(&header).map_err(io)?;
    let mut n = 0u64;
    std::thread::scope(|scope| {
        // A rendezvous: the reader hands a window over only when this thread takes it,
        // so it reads the next one while this one is written, and no further ahead.
        let (send, windows) = std::sync::mpsc::sync_channel::<Window>(0);
        let (give_back, spare) = std::sync::mpsc::channel::<Vec<u8>>();
        let reader = scope.spawn(|| read_windows(conn, &ids, &cells, tz, from, to, send, spare));
        let written = (|| {
            for w in &windows {
                if stop() {
                    return Err(ExportError::Stopped);
                }
                for buf in w.slices {
                    for chunk in buf.chunks(OUT_CHUNK) {
                        out.write_all(chunk).map_err(io)?;
                    }
                    let _ = give_back.send(buf);
                }
                n += w.lines;
            }
            Ok(())
        })();
        // Ending early (stopped, or the output failed) ends the reader at its next
        // hand-over.
        drop(windows);
        let read = reader.join().unwrap_or_else(|_| {
            Err(ExportError::Write(csv::Error::from(std::io::Error::other(
                "the export's reader failed",
            ))))
        });
        written?;
        read
    })?;
    out.flush().map_err(io)?;
    Ok(n)
}

/// Threads that make a window's lines at once: one per core, at most four.
fn line_threads() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get().clamp(1, 4))
}

/// A tag's text cells, quoted once: ",device,tag," before the value, and ",unit," after
/// it (with "good\n", the usual quality, as well).
struct Cells {
    mid: Vec<u8>,
    tail: Vec<u8>,
    tail_good: Vec<u8>,
}

impl Cells {
    fn of(t: &ExportTag) -> Cells {
        let mut mid = vec![b','];
        push_text(&mut mid, &safe_cell(&t.device));
        mid.push(b',');
        push_text(&mut mid, &safe_cell(&t.name));
        mid.push(b',');
        let mut tail = vec![b','];
        push_text(&mut tail, &safe_cell(&t.unit));
        tail.push(b',');
        let mut tail_good = tail.clone();
        tail_good.extend_from_slice(b"good\n");
        Cells {
            mid,
            tail,
            tail_good,
        }
    }
}

/// The order of a window's lines.
enum Order {
    /// Every tag read at the same times (the usual case: one poll reads them all): line
    /// `k` is sample `k / tags` of tag `k % tags`, no sort needed.
    Aligned,
    /// Otherwise the window's samples sorted by packed keys (time, the tag's place,
    /// the sample's place): each tag's samples are in time order already, so the sort
    /// merges the runs, and samples at the same time keep the order of the tags.
    Sorted(Vec<u128>),
}

impl Order {
    fn of(start: i64, per_tag: &[Vec<Sample>]) -> Order {
        let first = per_tag.first().map_or(0, Vec::len);
        if per_tag
            .iter()
            .all(|v| v.len() == first && v.iter().zip(&per_tag[0]).all(|(a, b)| a.ts == b.ts))
        {
            return Order::Aligned;
        }
        let mut keys = Vec::with_capacity(per_tag.iter().map(Vec::len).sum());
        for (i, samples) in per_tag.iter().enumerate() {
            keys.extend(
                samples
                    .iter()
                    .enumerate()
                    .map(|(j, s)| ((s.ts - start) as u128) << 64 | (i as u128) << 32 | j as u128),
            );
        }
        keys.sort_unstable();
        Order::Sorted(keys)
    }

    /// Where the lines can be cut into slices: times for [`Order::Aligned`], lines
    /// otherwise.
    fn len(&self, per_tag: &[Vec<Sample>]) -> usize {
        match self {
            Order::Aligned => per_tag.first().map_or(0, Vec::len),
            Order::Sorted(keys) => keys.len(),
        }
    }

    /// Makes the lines of `range` (see [`Order::len`]) into `buf`. Returns the number
    /// of lines.
    fn lines(
        &self,
        per_tag: &[Vec<Sample>],
        range: std::ops::Range<usize>,
        cells: &[Cells],
        times: &mut Times<'_>,
        buf: &mut Vec<u8>,
    ) -> u64 {
        let mut n = 0u64;
        match self {
            Order::Aligned => {
                let mut stamp = [0u8; TIME_CELLS];
                for j in range {
                    // The time cells are the same for every tag of this time.
                    let Some(first) = per_tag.first() else { break };
                    let fast = times.fill(first[j].ts, &mut stamp);
                    for (i, samples) in per_tag.iter().enumerate() {
                        let s = &samples[j];
                        if fast {
                            buf.extend_from_slice(&stamp);
                        } else {
                            times.push(buf, s.ts);
                        }
                        line_rest(buf, &cells[i], s);
                    }
                    n += per_tag.len() as u64;
                }
            }
            Order::Sorted(keys) => {
                for k in &keys[range] {
                    let i = (k >> 32) as u32 as usize;
                    let s = &per_tag[i][*k as u32 as usize];
                    times.push(buf, s.ts);
                    line_rest(buf, &cells[i], s);
                    n += 1;
                }
            }
        }
        n
    }
}

/// A window's line after its time cells.
fn line_rest(buf: &mut Vec<u8>, c: &Cells, s: &Sample) {
    buf.extend_from_slice(&c.mid);
    match (s.value(), s.text()) {
        (Some(v), _) => push_number(buf, v),
        (None, Some(text)) => push_text(buf, &safe_cell(text)),
        _ => {}
    }
    if s.quality == crate::sample::Quality::Good {
        buf.extend_from_slice(&c.tail_good);
    } else {
        buf.extend_from_slice(&c.tail);
        buf.extend_from_slice(s.quality.name().as_bytes());
        buf.push(b'\n');
    }
}

/// One window's lines, made in slices (in order), and how many lines they hold.
struct Window {
    slices: Vec<Vec<u8>>,
    lines: u64,
}

/// Samples a window is made to hold at most (as judged from the one before): hour
/// windows decode each hour block once, but a wide export at a fast rate reads ten
/// minutes at a time, so that two windows in memory stay under about 100 MB.
const WINDOW_SAMPLES: i64 = 750_000;

/// Reads the windows of `[from, to)`, makes each one's lines (in slices, by
/// [`line_threads`] threads at once, into buffers the writer gave back through `spare`)
/// and hands them over to `send`, oldest first, each read in one read transaction (blocks and hot
/// rows from the same snapshot, so the compactor moving rows into blocks meanwhile
/// cannot hide or double a sample). A window ends on a ten-minute boundary; an hour's
/// windows are read as one when its samples fit [`WINDOW_SAMPLES`], so an hour block is
/// decoded once, not once per ten minutes. Returns when the receiver is gone (the
/// export stopped).
#[allow(clippy::too_many_arguments)]
fn read_windows(
    conn: &mut Connection,
    ids: &[TagId],
    cells: &[Cells],
    tz: &jiff::tz::TimeZone,
    from: i64,
    to: i64,
    send: std::sync::mpsc::SyncSender<Window>,
    spare: std::sync::mpsc::Receiver<Vec<u8>>,
) -> Result<(), ExportError> {
    let threads = line_threads();
    let mut start = from;
    let mut hours = false;
    while start < to {
        let span = if hours { HOUR_MS } else { BLOCK_MS };
        let end = ((start.div_euclid(span) + 1) * span).min(to);
        let mut samples = Vec::with_capacity(ids.len());
        {
            let tx = conn.transaction()?;
            for &id in ids {
                samples.push(raw::read(&tx, id, start, end)?);
            }
            tx.commit()?;
        }
        let count: usize = samples.iter().map(Vec::len).sum();
        if count == 0 {
            // Nothing here: go on at the window of the next stored sample.
            let mut next = None;
            for &id in ids {
                if let Some(at) = next_sample_at(conn, id, end)? {
                    next = Some(next.map_or(at, |n: i64| n.min(at)));
                }
            }
            start = next.map_or(to, |at| (at.div_euclid(BLOCK_MS) * BLOCK_MS).max(end));
            continue;
        }
        // The next window by this one's rate: an hour when an hour of it fits.
        hours = (count as i64).saturating_mul(HOUR_MS) / (end - start).max(1) <= WINDOW_SAMPLES;
        let order = Order::of(start, &samples);
        // The lines in `threads` slices, each made by a thread of its own into a buffer
        // the writer gave back (its pages are already there).
        let len = order.len(&samples);
        let k = threads.min(len).max(1);
        let mut bufs: Vec<Vec<u8>> = (0..k)
            .map(|_| {
                let mut b = spare.try_recv().unwrap_or_default();
                b.clear();
                b.reserve(count / k * 96);
                b
            })
            .collect();
        let (samples, order) = (&samples, &order);
        let lines = std::thread::scope(|scope| -> Result<u64, ExportError> {
            // Slice `i` of `k`: times (or lines) `len * i / k .. len * (i + 1) / k`.
            let mut parts = bufs.iter_mut().enumerate();
            let (_, mine) = parts.next().expect("at least one slice");
            let others: Vec<_> = parts
                .map(|(i, buf)| {
                    scope.spawn(move || {
                        let mut times = Times::new(tz);
                        order.lines(
                            samples,
                            len * i / k..len * (i + 1) / k,
                            cells,
                            &mut times,
                            buf,
                        )
                    })
                })
                .collect();
            let mut times = Times::new(tz);
            let mut lines = order.lines(samples, 0..len / k, cells, &mut times, mine);
            for h in others {
                lines += h.join().map_err(|_| {
                    ExportError::Write(csv::Error::from(std::io::Error::other(
                        "a thread making the export's lines failed",
                    )))
                })?;
            }
            Ok(lines)
        })?;
        if send
            .send(Window {
                slices: bufs,
                lines,
            })
            .is_err()
        {
            return Ok(());
        }
        start = end;
    }
    Ok(())
}

/// The lines are written in chunks of this size.
const OUT_CHUNK: usize = 1 << 20;

/// A text cell as the csv crate writes it with its default (necessary) quoting: in
/// double quotes, with its quotes doubled, when it holds a comma, a quote or a line break.
fn push_text(buf: &mut Vec<u8>, text: &str) {
    let b = text.as_bytes();
    if b.iter().any(|c| matches!(c, b',' | b'"' | b'\r' | b'\n')) {
        buf.push(b'"');
        for &c in b {
            if c == b'"' {
                buf.push(b'"');
            }
            buf.push(c);
        }
        buf.push(b'"');
    } else {
        buf.extend_from_slice(b);
    }
}

/// A number as Rust's `Display` writes it (the shortest text that reads back to the same
/// value, no exponent), without its formatting machinery for the common cases: whole
/// numbers through itoa, the others through ryu where ryu writes no exponent either.
fn push_number(buf: &mut Vec<u8>, v: f64) {
    let a = v.abs();
    if v.fract() == 0.0 && a < 1e15 && !(v == 0.0 && v.is_sign_negative()) {
        buf.extend_from_slice(itoa::Buffer::new().format(v as i64).as_bytes());
    } else if let Some((scaled, e)) = few_decimals(v) {
        // As a meter gives it: a whole number of hundredths (say), which is then the
        // shortest text that reads back (under 16 digits, no two such texts read back
        // to the same number), so it is what Display writes.
        let p = 10u64.pow(e);
        let m = scaled.unsigned_abs();
        if scaled < 0 {
            buf.push(b'-');
        }
        buf.extend_from_slice(itoa::Buffer::new().format(m / p).as_bytes());
        buf.push(b'.');
        let mut frac = m % p;
        let at = buf.len();
        for _ in 0..e {
            buf.push(b'0' + (frac % 10) as u8);
            frac /= 10;
        }
        buf[at..].reverse();
        // The fewest decimals were found first, so the last one is not a 0; were it
        // one, it goes.
        while buf.len() > at + 1 && buf.last() == Some(&b'0') {
            buf.pop();
        }
    } else if v.is_finite() && (1e-5..1e15).contains(&a) {
        let mut r = ryu::Buffer::new();
        let text = r.format_finite(v).as_bytes();
        // Both write the shortest digits that read back, and the nearest of them; they
        // differ only on a tie between two such, which needs 16 or more significant
        // digits: those take Display's way.
        let significant = text
            .iter()
            .filter(|c| c.is_ascii_digit())
            .skip_while(|c| **c == b'0')
            .count();
        if significant < 16 {
            buf.extend_from_slice(text);
        } else {
            let _ = write!(buf, "{v}");
        }
    } else {
        let _ = write!(buf, "{v}");
    }
}

/// `v` as a whole number of tenths, hundredths, thousandths or ten-thousandths (the
/// fewest that hold it exactly): `v` is that number over 10^e read as a double, the
/// number under 10^15.
fn few_decimals(v: f64) -> Option<(i64, u32)> {
    const P: [f64; 5] = [1.0, 10.0, 100.0, 1000.0, 10000.0];
    if v.fract() == 0.0 {
        // Whole numbers (and -0, which Display writes as "-0") are not decimals.
        return None;
    }
    for e in 1..=4u32 {
        let scaled = (v * P[e as usize]).round();
        if scaled.abs() < 1e15 && (scaled / P[e as usize]).to_bits() == v.to_bits() {
            return Some((scaled as i64, e));
        }
    }
    None
}

/// The two time cells of a line, "2023-11-14T22:10:00.000Z,2023-11-14 23:10:00.000"
/// (UTC, then the plant's local time), as jiff's strftime writes them, made from the
/// civil date directly: the time zone's offset is looked up once per stretch between
/// its transitions, not per line.
struct Times<'a> {
    tz: &'a jiff::tz::TimeZone,
    /// The offset in seconds and the stretch `[from, until)` in ms where it holds.
    offset: i64,
    from: i64,
    until: i64,
    /// The two cells of the second `second` (with its offset), whose milliseconds are
    /// filled in per line: many tags share a second.
    second: i64,
    cells: Vec<u8>,
}

/// The length of the two time cells with the comma between them.
const TIME_CELLS: usize = 48;

/// 9999-12-31T23:59:59.999Z: later times (and those before 1970) take jiff's way.
const LAST_FAST_MS: i64 = 253_402_300_799_999;

impl<'a> Times<'a> {
    fn new(tz: &'a jiff::tz::TimeZone) -> Self {
        Times {
            tz,
            offset: 0,
            from: 0,
            until: 0,
            second: i64::MIN,
            cells: Vec::with_capacity(48),
        }
    }

    fn push(&mut self, buf: &mut Vec<u8>, ms: i64) {
        let mut c = [0u8; TIME_CELLS];
        if self.fill(ms, &mut c) {
            buf.extend_from_slice(&c);
        } else {
            Self::push_slow(buf, self.tz, ms);
        }
    }

    /// The two cells of `ms` into `out`; false (and `out` untouched) for a time that
    /// takes jiff's way ([`Times::push_slow`]).
    fn fill(&mut self, ms: i64, out: &mut [u8; TIME_CELLS]) -> bool {
        if !(0..=LAST_FAST_MS).contains(&ms) {
            return false;
        }
        if ms < self.from || ms >= self.until {
            let Ok(ts) = jiff::Timestamp::from_millisecond(ms) else {
                return false;
            };
            self.offset = self.tz.to_offset(ts).seconds() as i64;
            self.from = ms;
            self.until = self
                .tz
                .following(ts)
                .next()
                .map_or(i64::MAX, |t| t.timestamp().as_millisecond());
            self.second = i64::MIN;
        }
        let local = ms + self.offset * 1000;
        if !(0..=LAST_FAST_MS).contains(&local) {
            return false;
        }
        let second = ms.div_euclid(1000);
        if second != self.second {
            self.cells.clear();
            push_civil(&mut self.cells, ms, b'T');
            self.cells.extend_from_slice(b"Z,");
            push_civil(&mut self.cells, local, b' ');
            self.second = second;
        }
        // "YYYY-MM-DDTHH:MM:SS.mmmZ,YYYY-MM-DD HH:MM:SS.mmm": the milliseconds at 20
        // and 45 (offsets are whole seconds, so both have the same).
        let milli = ms.rem_euclid(1000);
        let d = [
            b'0' + (milli / 100) as u8,
            b'0' + (milli / 10 % 10) as u8,
            b'0' + (milli % 10) as u8,
        ];
        out.copy_from_slice(&self.cells);
        out[20..23].copy_from_slice(&d);
        out[45..48].copy_from_slice(&d);
        true
    }

    fn push_slow(buf: &mut Vec<u8>, tz: &jiff::tz::TimeZone, ms: i64) {
        match jiff::Timestamp::from_millisecond(ms) {
            Ok(ts) => {
                let _ = write!(
                    buf,
                    "{},{}",
                    ts.strftime("%Y-%m-%dT%H:%M:%S%.3fZ"),
                    ts.to_zoned_datetime(tz.clone())
                        .strftime("%Y-%m-%d %H:%M:%S%.3f")
                );
            }
            Err(_) => {
                let _ = write!(buf, "{ms},");
            }
        }
    }
}

/// "YYYY-MM-DD?HH:MM:SS.mmm" of `ms` (0 ..= year 9999) counted as UTC, `sep` between
/// the date and the time.
fn push_civil(buf: &mut Vec<u8>, ms: i64, sep: u8) {
    let days = ms.div_euclid(86_400_000);
    let in_day = ms.rem_euclid(86_400_000);
    // Howard Hinnant's days_from_civil inverse.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    let (h, rest) = (in_day / 3_600_000, in_day % 3_600_000);
    let (mi, rest) = (rest / 60_000, rest % 60_000);
    let (s, milli) = (rest / 1000, rest % 1000);
    let digit = |v: i64| b'0' + v as u8;
    buf.extend_from_slice(&[
        digit(y / 1000),
        digit(y / 100 % 10),
        digit(y / 10 % 10),
        digit(y % 10),
        b'-',
        digit(m / 10),
        digit(m % 10),
        b'-',
        digit(d / 10),
        digit(d % 10),
        sep,
        digit(h / 10),
        digit(h % 10),
        b':',
        digit(mi / 10),
        digit(mi % 10),
        b':',
        digit(s / 10),
        digit(s % 10),
        b'.',
        digit(milli / 100),
        digit(milli / 10 % 10),
        digit(milli % 10),
    ]);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sample::Quality;

    fn db() -> (tempfile::TempDir, Connection) {
        let dir = tempfile::tempdir().unwrap();
        let mut conn =
            super::super::open(&dir.path().join("t.db"), super::super::Durability::Normal).unwrap();
        super::super::migrate(&mut conn, &dir.path().join("t.db")).unwrap();
        (dir, conn)
    }

    #[test]
    fn samples_from_blocks_and_rows_come_out_once_in_time_order() {
        let (_dir, mut conn) = db();
        let a = 1;
        let b = 2;
        let t0 = 1_700_000_000_000 - 1_700_000_000_000 % BLOCK_MS;
        // Tag a: an old window compacted into a block, and newer rows.
        let old: Vec<Sample> = (0..5)
            .map(|i| Sample::good(a, t0 + i * 1000, i as f64 + 0.5))
            .collect();
        let block = super::super::codec::encode(&old);
        conn.execute(
            "INSERT INTO blocks (tag_id, t0, n, first, last, data) VALUES (?1, ?2, 5, ?3, ?4, ?5)",
            (a, t0, t0, t0 + 4000, block),
        )
        .unwrap();
        let newer = [
            Sample::good(a, t0 + BLOCK_MS + 500, 9.0),
            Sample::bad(b, t0 + BLOCK_MS + 500, Quality::NoAnswer),
            Sample::good_text(b, t0 + 2000, "lot 7"),
        ];
        raw::insert(&conn, &newer).unwrap();
        let tags = [
            ExportTag {
                id: a,
                device: "press".into(),
                name: "temp".into(),
                unit: "°C".into(),
            },
            ExportTag {
                id: b,
                device: "press".into(),
                name: "lot".into(),
                unit: String::new(),
            },
        ];
        let mut out = Vec::new();
        let tz = jiff::tz::TimeZone::get("Europe/Berlin").unwrap();
        let n = write_csv(&mut conn, &tags, t0, t0 + 3 * BLOCK_MS, &tz, &mut out).unwrap();
        assert_eq!(n, 8);
        let text = String::from_utf8(out).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(
            lines[0],
            "time_utc,time_local,device,tag,value,unit,quality"
        );
        assert_eq!(lines.len(), 9);
        assert_eq!(
            lines[1],
            "2023-11-14T22:10:00.000Z,2023-11-14 23:10:00.000,press,temp,0.5,°C,good"
        );
        assert_eq!(
            lines[3],
            "2023-11-14T22:10:02.000Z,2023-11-14 23:10:02.000,press,temp,2.5,°C,good"
        );
        assert_eq!(
            lines[4],
            "2023-11-14T22:10:02.000Z,2023-11-14 23:10:02.000,press,lot,lot 7,,good"
        );
        assert_eq!(
            lines[7],
            "2023-11-14T22:20:00.500Z,2023-11-14 23:20:00.500,press,temp,9,°C,good"
        );
        assert_eq!(
            lines[8],
            "2023-11-14T22:20:00.500Z,2023-11-14 23:20:00.500,press,lot,,,no_answer"
        );
        // A range from 1970 skips the empty years; a stop request ends it.
        let mut out = Vec::new();
        assert_eq!(
            write_csv(&mut conn, &tags, 0, t0 + 3 * BLOCK_MS, &tz, &mut out).unwrap(),
            8
        );
        let stopped = write_csv_until(
            &mut conn,
            &tags,
            0,
            t0 + 3 * BLOCK_MS,
            &tz,
            Vec::new(),
            &|| true,
        );
        assert!(matches!(stopped, Err(ExportError::Stopped)));
        // A range that starts inside a block and ends before its end.
        let mut out = Vec::new();
        let n = write_csv(&mut conn, &tags, t0 + 1000, t0 + 3000, &tz, &mut out).unwrap();
        assert_eq!(n, 3, "{}", String::from_utf8_lossy(&out));
    }

    #[test]
    fn numbers_and_times_read_as_display_and_strftime_write_them() {
        // Numbers: whole, fractional, tiny, huge, negative zero, non-finite, and a
        // few hundred thousand random bit patterns.
        let check = |v: f64| {
            let mut b = Vec::new();
            push_number(&mut b, v);
            assert_eq!(String::from_utf8(b).unwrap(), v.to_string(), "{v:e}");
        };
        for v in [
            0.0,
            -0.0,
            1.0,
            -7.0,
            0.5,
            0.1,
            2.5,
            99.9,
            1e-5,
            1.5e-5,
            9.99e-6,
            1e-7,
            1e15,
            1e15 - 0.5,
            9.9e14,
            1.5e15,
            1e16,
            1e300,
            5e-324,
            f64::MAX,
            f64::MIN_POSITIVE,
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
            123456.789,
            -0.000123,
            1.0 / 3.0,
        ] {
            check(v);
        }
        let mut x = 0x9e37_79b9_7f4a_7c15u64;
        for i in 0..300_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let v = f64::from_bits(x);
            check(v);
            // And values as meters give them: a few decimals, all sizes.
            check((x % 2_000_000) as f64 / [1.0, 10.0, 100.0, 1000.0][i % 4] - 1000.0);
        }
        // Times: in zones with and without daylight saving, every 7 minutes 13.25 s
        // across two years (both changes each year), and around each change.
        for zone in [
            "Europe/Berlin",
            "America/New_York",
            "Australia/Lord_Howe",
            "Asia/Kolkata",
            "UTC",
        ] {
            let tz = jiff::tz::TimeZone::get(zone).unwrap();
            let mut times = Times::new(&tz);
            let mut ms = 1_700_000_000_000i64;
            let mut stamps = Vec::new();
            while ms < 1_763_000_000_000 {
                stamps.push(ms);
                ms += 433_250;
            }
            let t = jiff::Timestamp::from_millisecond(1_700_000_000_000).unwrap();
            for tr in tz.following(t).take(4) {
                let at = tr.timestamp().as_millisecond();
                stamps.extend((-3..3).map(|k| at + k * 500));
            }
            stamps.extend([0, 999, 86_399_999, 951_782_400_000, 4_102_444_800_000]);
            stamps.sort();
            for ms in stamps {
                let mut fast = Vec::new();
                times.push(&mut fast, ms);
                let mut slow = Vec::new();
                Times::push_slow(&mut slow, &tz, ms);
                assert_eq!(
                    String::from_utf8(fast).unwrap(),
                    String::from_utf8(slow).unwrap(),
                    "{zone} {ms}"
                );
            }
        }
    }

    #[test]
    fn tags_read_at_the_same_times_come_out_time_by_time_in_the_tags_order() {
        let (_dir, mut conn) = db();
        let t0 = 1_700_000_000_000 - 1_700_000_000_000 % BLOCK_MS;
        let mut s = Vec::new();
        for i in 0..3 {
            for tag in [3, 1, 2] {
                s.push(Sample::good(tag, t0 + i * 250, (tag * 10 + i) as f64));
            }
        }
        raw::insert(&conn, &s).unwrap();
        let tags: Vec<ExportTag> = [2, 3, 1]
            .map(|id| ExportTag {
                id,
                device: "d".into(),
                name: format!("t{id}"),
                unit: String::new(),
            })
            .to_vec();
        let mut out = Vec::new();
        let n = write_csv(
            &mut conn,
            &tags,
            t0,
            t0 + BLOCK_MS,
            &jiff::tz::TimeZone::UTC,
            &mut out,
        )
        .unwrap();
        assert_eq!(n, 9);
        let text = String::from_utf8(out).unwrap();
        let got: Vec<&str> = text.lines().skip(1).map(|l| &l[11..]).collect();
        assert_eq!(
            got,
            [
                "22:10:00.000Z,2023-11-14 22:10:00.000,d,t2,20,,good",
                "22:10:00.000Z,2023-11-14 22:10:00.000,d,t3,30,,good",
                "22:10:00.000Z,2023-11-14 22:10:00.000,d,t1,10,,good",
                "22:10:00.250Z,2023-11-14 22:10:00.250,d,t2,21,,good",
                "22:10:00.250Z,2023-11-14 22:10:00.250,d,t3,31,,good",
                "22:10:00.250Z,2023-11-14 22:10:00.250,d,t1,11,,good",
                "22:10:00.500Z,2023-11-14 22:10:00.500,d,t2,22,,good",
                "22:10:00.500Z,2023-11-14 22:10:00.500,d,t3,32,,good",
                "22:10:00.500Z,2023-11-14 22:10:00.500,d,t1,12,,good",
            ]
        );
    }

    #[test]
    fn cells_that_start_a_formula_are_neutralised() {
        let (_dir, mut conn) = db();
        let t0 = 1_700_000_000_000 - 1_700_000_000_000 % BLOCK_MS;
        raw::insert(
            &conn,
            &[
                Sample::good_text(1, t0, "=HYPERLINK(\"http://evil.example\",\"click\")"),
                Sample::good_text(1, t0 + 1000, "@SUM(1+1)*cmd|' /C calc'!A0"),
                Sample::good(1, t0 + 2000, -3.5),
                Sample::good_text(1, t0 + 3000, "lot -7"),
            ],
        )
        .unwrap();
        let tags = [ExportTag {
            id: 1,
            device: "-scale".into(),
            name: "+lot".into(),
            unit: "=1+1".into(),
        }];
        let mut out = Vec::new();
        let tz = jiff::tz::TimeZone::UTC;
        write_csv(&mut conn, &tags, t0, t0 + BLOCK_MS, &tz, &mut out).unwrap();
        let mut r = csv::Reader::from_reader(out.as_slice());
        let rows: Vec<csv::StringRecord> = r.records().map(|r| r.unwrap()).collect();
        assert_eq!(rows.len(), 4);
        for row in &rows {
            for cell in [&row[2], &row[3], &row[5]] {
                assert!(cell.starts_with('\''), "{row:?}");
            }
        }
        assert_eq!(
            &rows[0][4],
            "'=HYPERLINK(\"http://evil.example\",\"click\")"
        );
        assert_eq!(&rows[1][4], "'@SUM(1+1)*cmd|' /C calc'!A0");
        assert_eq!(&rows[2][4], "-3.5", "numbers stay numbers");
        assert_eq!(&rows[3][4], "lot -7");
    }
}
