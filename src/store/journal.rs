//! The commit journal: the writer's committed high-water mark, for the crash test.
//!
//! With `PLANTLOG_COMMIT_JOURNAL` set to a file, the writer appends one line per tag of
//! every commit, after the commit returned: the tag, its first and last sample time in
//! the commit, the number of samples and a checksum of their times, qualities and
//! values. A harness that kills Plantlog at random moments then knows exactly which
//! samples were reported committed, and checks each of them is in the database once.
//! The lines are written with one `write` on a file opened for appending, so a kill
//! leaves at most the last line cut short (which [`parse`] skips). Unset, nothing is
//! written: the journal costs nothing in a plant.

use std::collections::BTreeMap;
use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::Path;

use crate::sample::{Sample, TagId, Value};

/// The environment variable naming the journal file.
pub const ENV: &str = "PLANTLOG_COMMIT_JOURNAL";

/// The samples of one tag in one commit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry {
    pub tag: TagId,
    pub first: i64,
    pub last: i64,
    pub count: u64,
    pub checksum: u64,
}

/// Summarises samples per tag (in any order; the checksum does not depend on it).
pub fn summarize<'a>(samples: impl IntoIterator<Item = &'a Sample>) -> Vec<Entry> {
    let mut by_tag: BTreeMap<TagId, Entry> = BTreeMap::new();
    for s in samples {
        let e = by_tag.entry(s.tag_id).or_insert(Entry {
            tag: s.tag_id,
            first: s.ts,
            last: s.ts,
            count: 0,
            checksum: 0,
        });
        e.first = e.first.min(s.ts);
        e.last = e.last.max(s.ts);
        e.count += 1;
        e.checksum = e.checksum.wrapping_add(sample_sum(s));
    }
    by_tag.into_values().collect()
}

/// One sample's share of a checksum: its time, quality and value mixed (FNV-1a).
fn sample_sum(s: &Sample) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut eat = |bytes: &[u8]| {
        for b in bytes {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    };
    eat(&s.ts.to_le_bytes());
    eat(&s.quality.code().to_le_bytes());
    match s.raw_value() {
        Some(Value::Number(v)) => eat(&v.to_bits().to_le_bytes()),
        Some(Value::Text(t)) => eat(t.as_bytes()),
        None => eat(&[0xff]),
    }
    h
}

/// The file, when the environment names one.
pub struct Journal {
    file: File,
}

impl Journal {
    /// Opens the journal named by [`ENV`], if any. A journal that cannot be opened is
    /// an error of the harness, said once in the log.
    pub fn from_env() -> Option<Journal> {
        let path = std::env::var_os(ENV)?;
        match Journal::open(Path::new(&path)) {
            Ok(j) => Some(j),
            Err(e) => {
                tracing::error!("cannot open the commit journal {path:?}: {e}");
                None
            }
        }
    }

    pub fn open(path: &Path) -> std::io::Result<Journal> {
        let file = OpenOptions::new().create(true).append(true).open(path)?;
        Ok(Journal { file })
    }

    /// Records a commit that returned.
    pub fn committed(&mut self, batch: &[Sample]) {
        let mut text = String::new();
        for e in summarize(batch) {
            text.push_str(&format!(
                "{} {} {} {} {}\n",
                e.tag, e.first, e.last, e.count, e.checksum
            ));
        }
        if let Err(e) = self.file.write_all(text.as_bytes()) {
            tracing::error!("cannot write the commit journal: {e}");
        }
    }
}

/// The whole lines of a journal; a last line cut short by a kill is left out.
pub fn parse(text: &str) -> Vec<Entry> {
    let mut out = Vec::new();
    for line in text.split_inclusive('\n') {
        if !line.ends_with('\n') {
            break;
        }
        let f: Vec<&str> = line.split_whitespace().collect();
        let parsed = (|| {
            Some(Entry {
                tag: f.first()?.parse().ok()?,
                first: f.get(1)?.parse().ok()?,
                last: f.get(2)?.parse().ok()?,
                count: f.get(3)?.parse().ok()?,
                checksum: f.get(4)?.parse().ok()?,
            })
        })();
        if let (Some(e), 5) = (parsed, f.len()) {
            out.push(e);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sample::Quality;

    #[test]
    fn a_journal_reads_back_what_was_committed_and_skips_a_cut_line() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("journal");
        let batch = vec![
            Sample::good(1, 1000, 1.5),
            Sample::good(2, 1000, 7.0),
            Sample::good(1, 1100, 1.75),
            Sample::bad(2, 1100, Quality::NoAnswer),
        ];
        let mut j = Journal::open(&path).unwrap();
        j.committed(&batch);
        drop(j);
        let mut text = std::fs::read_to_string(&path).unwrap();
        text.push_str("3 1000 12"); // a line cut by a kill
        let entries = parse(&text);
        assert_eq!(entries, summarize(&batch));
        assert_eq!(entries.len(), 2);
        assert_eq!((entries[0].tag, entries[0].count), (1, 2));
        assert_eq!((entries[1].first, entries[1].last), (1000, 1100));
    }

    #[test]
    fn the_checksum_sees_a_changed_value_time_or_quality_but_not_the_order() {
        let a = [Sample::good(1, 1000, 1.5), Sample::good(1, 1100, 2.0)];
        let reordered = [a[1].clone(), a[0].clone()];
        assert_eq!(summarize(&a), summarize(&reordered));
        let value = [Sample::good(1, 1000, 1.5), Sample::good(1, 1100, 2.5)];
        let time = [Sample::good(1, 1000, 1.5), Sample::good(1, 1101, 2.0)];
        let quality = [
            Sample::good(1, 1000, 1.5),
            Sample::bad(1, 1100, Quality::NoAnswer),
        ];
        for other in [&value[..], &time[..], &quality[..]] {
            assert_ne!(summarize(&a)[0].checksum, summarize(other)[0].checksum);
        }
    }
}
