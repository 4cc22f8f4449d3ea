//! The sample bus: where every batch from a driver goes. One call fans a batch out to
//! the writer (lossless, in order), the live cache, the production engine, and the
//! live event stream (lossy: a slow browser skips batches, it never slows collection).

use std::sync::{Arc, Mutex};

use tokio::sync::broadcast;

use crate::config::Plant;
use crate::live::LiveCache;
use crate::production::Production;
use crate::sample::Sample;
use crate::store::WriterHandle;
use crate::store::record::Recorder;

#[derive(Clone)]
pub struct SampleBus {
    /// Where samples are stored; `None` only in benchmarks of the collector alone.
    writer: Option<WriterHandle>,
    live: Arc<LiveCache>,
    production: Arc<Production>,
    events: broadcast::Sender<Arc<[Sample]>>,
    /// Which samples are stored (the recording policies).
    recorder: Arc<Mutex<Recorder>>,
}

impl SampleBus {
    pub fn new(
        writer: WriterHandle,
        live: Arc<LiveCache>,
        production: Arc<Production>,
    ) -> SampleBus {
        let (events, _) = broadcast::channel(256);
        SampleBus {
            writer: Some(writer),
            live,
            production,
            events,
            recorder: Arc::default(),
        }
    }

    /// A bus that stores nothing: for measuring the collector without the historian.
    pub fn unstored(live: Arc<LiveCache>, production: Arc<Production>) -> SampleBus {
        let (events, _) = broadcast::channel(256);
        SampleBus {
            writer: None,
            live,
            production,
            events,
            recorder: Arc::default(),
        }
    }

    pub fn publish(&self, batch: Vec<Sample>) {
        if batch.is_empty() {
            return;
        }
        self.live.update(&batch);
        self.production.update(&batch);
        if self.events.receiver_count() > 0 {
            let shared: Arc<[Sample]> = batch.as_slice().into();
            let _ = self.events.send(shared);
        }
        if let Some(w) = &self.writer {
            let stored = self
                .recorder
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .filter(batch);
            w.send(stored);
        }
    }

    /// Takes the recording policies of `plant`.
    pub fn configure(&self, plant: &Plant) {
        self.recorder
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .configure(plant);
    }

    /// Stores what the recording policies hold back (at shutdown).
    pub fn flush_held(&self) {
        let held = self
            .recorder
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .flush();
        if let Some(w) = &self.writer {
            w.send(held);
        }
    }

    /// A receiver of every batch published from now on.
    pub fn subscribe(&self) -> broadcast::Receiver<Arc<[Sample]>> {
        self.events.subscribe()
    }

    /// The writer; every bus but a benchmark's has one.
    pub fn writer(&self) -> Option<&WriterHandle> {
        self.writer.as_ref()
    }
}
