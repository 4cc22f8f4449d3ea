//! The live cache: the latest sample of every tag, and the latest good one, for the
//! overview and the machine pages. Fed by the sample bus; never touches the disk.

use std::collections::HashMap;
use std::sync::RwLock;

use crate::sample::{Sample, TagId};

/// What is known now about one tag.
#[derive(Debug, Clone, PartialEq)]
pub struct LiveValue {
    /// The newest sample, good or bad.
    pub last: Sample,
    /// The newest good sample, if any arrived since start.
    pub last_good: Option<Sample>,
}

#[derive(Debug, Default)]
pub struct LiveCache {
    values: RwLock<HashMap<TagId, LiveValue>>,
}

impl LiveCache {
    pub fn update(&self, batch: &[Sample]) {
        let mut map = self.values.write().unwrap_or_else(|e| e.into_inner());
        for s in batch {
            let entry = map.entry(s.tag_id).or_insert_with(|| LiveValue {
                last: s.clone(),
                last_good: None,
            });
            if s.ts >= entry.last.ts {
                entry.last = s.clone();
            }
            if s.quality.is_good() && entry.last_good.as_ref().is_none_or(|g| s.ts >= g.ts) {
                entry.last_good = Some(s.clone());
            }
        }
    }

    pub fn get(&self, tag: TagId) -> Option<LiveValue> {
        self.values
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .get(&tag)
            .cloned()
    }

    /// Seeds the cache with samples read from the database at start, so pages show the
    /// last known values (with their real times) before the first poll.
    pub fn seed(&self, samples: &[Sample]) {
        self.update(samples);
    }
}
