//! Live values: the latest sample of every tag and the latest good one, for the overview
//! and the machine pages, and the stream of every batch as it arrives, for the live
//! event stream of the API. Fed from the collector's sink; never touches the disk.
//! The stream is lossy per listener: a slow browser skips batches, it never slows
//! collection.
//!
//! Tag ids are SQLite row ids, small and dense, so the cache is a vector indexed by id:
//! updating it costs no hashing on the collector's hot path.

use std::sync::{Arc, RwLock};

use tokio::sync::broadcast;

use crate::sample::{Sample, TagId};

/// What is known now about one tag.
#[derive(Debug, Clone, PartialEq)]
pub struct LiveValue {
    /// The newest sample, good or bad.
    pub last: Sample,
    /// The newest good sample, if any arrived since start.
    pub last_good: Option<Sample>,
}

/// Ids above this are not cached (no configuration comes near it).
const MAX_ID: TagId = 10_000_000;

/// One tag's entry: the newest sample and, only while that one is bad, the newest good
/// one (when the newest is good, it is the newest good: kept once, copied once).
#[derive(Debug, Clone)]
struct Entry {
    last: Sample,
    good_before: Option<Sample>,
}

/// Batches a slow listener may fall behind by before it skips some.
const STREAM_BACKLOG: usize = 256;

#[derive(Debug)]
pub struct LiveCache {
    values: RwLock<Vec<Option<Entry>>>,
    stream: broadcast::Sender<Arc<[Sample]>>,
}

impl Default for LiveCache {
    fn default() -> Self {
        LiveCache {
            values: RwLock::default(),
            stream: broadcast::channel(STREAM_BACKLOG).0,
        }
    }
}

impl LiveCache {
    /// Takes a batch of readings: the latest values, and the stream's listeners.
    pub fn publish(&self, batch: &[Sample]) {
        self.update(batch);
        if self.stream.receiver_count() > 0 {
            let _ = self.stream.send(batch.into());
        }
    }

    /// Every batch published from now on.
    pub fn subscribe(&self) -> broadcast::Receiver<Arc<[Sample]>> {
        self.stream.subscribe()
    }

    fn update(&self, batch: &[Sample]) {
        let mut values = self.values.write().unwrap_or_else(|e| e.into_inner());
        for s in batch {
            if !(0..MAX_ID).contains(&s.tag_id) {
                continue;
            }
            let i = s.tag_id as usize;
            if values.len() <= i {
                values.resize(i + 1, None);
            }
            match &mut values[i] {
                Some(e) if s.ts >= e.last.ts => {
                    if s.quality.is_good() {
                        e.good_before = None;
                    } else if e.last.quality.is_good() {
                        e.good_before = Some(e.last.clone());
                    }
                    e.last = s.clone();
                }
                Some(e) => {
                    // An older sample: it can only be a newer good one than we know.
                    let known = if e.last.quality.is_good() {
                        Some(&e.last)
                    } else {
                        e.good_before.as_ref()
                    };
                    if s.quality.is_good() && known.is_none_or(|g| s.ts > g.ts) {
                        e.good_before = Some(s.clone());
                    }
                }
                slot @ None => {
                    *slot = Some(Entry {
                        last: s.clone(),
                        good_before: None,
                    });
                }
            }
        }
    }

    pub fn get(&self, tag: TagId) -> Option<LiveValue> {
        let i = usize::try_from(tag).ok()?;
        let values = self.values.read().unwrap_or_else(|e| e.into_inner());
        let e = values.get(i)?.as_ref()?;
        Some(LiveValue {
            last: e.last.clone(),
            last_good: if e.last.quality.is_good() {
                Some(e.last.clone())
            } else {
                e.good_before.clone()
            },
        })
    }

    /// Seeds the cache with samples read from the database at start, so pages show the
    /// last known values (with their real times) before the first poll.
    pub fn seed(&self, samples: &[Sample]) {
        self.update(samples);
    }

    /// Forgets every value and seeds the cache again (after a restore replaced the
    /// database: newer values of the data set aside must not hide the restored ones).
    pub fn replace(&self, samples: &[Sample]) {
        self.values
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .clear();
        self.update(samples);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sample::Quality;

    #[test]
    fn a_bad_sample_keeps_the_good_one_before_it() {
        let c = LiveCache::default();
        c.update(&[Sample::good(1, 10, 1.0)]);
        c.update(&[
            Sample::bad(1, 20, Quality::NoAnswer),
            Sample::bad(1, 30, Quality::NoAnswer),
        ]);
        let v = c.get(1).unwrap();
        assert_eq!((v.last.ts, v.last_good.unwrap().ts), (30, 10));
        c.update(&[Sample::good(1, 40, 2.0)]);
        let v = c.get(1).unwrap();
        assert_eq!((v.last.ts, v.last_good.unwrap().ts), (40, 40));
    }

    #[test]
    fn keeps_the_newest_and_the_newest_good() {
        let c = LiveCache::default();
        c.update(&[
            Sample::good(3, 10, 1.0),
            Sample::bad(3, 20, Quality::NoAnswer),
        ]);
        c.update(&[Sample::good(3, 5, 0.5)]); // older: changes nothing
        let v = c.get(3).unwrap();
        assert_eq!(v.last.ts, 20);
        assert_eq!(v.last_good.unwrap().value(), Some(1.0));
        assert_eq!(c.get(4), None);
        assert_eq!(c.get(-1), None);
    }
}
