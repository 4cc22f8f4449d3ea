//! The sample bus: where every batch from a driver goes. One call fans a batch out to
//! the writer (lossless, in order), the live cache, the production engine, and the
//! live event stream (lossy: a slow browser skips batches, it never slows collection).

use std::sync::Arc;

use tokio::sync::broadcast;

use crate::live::LiveCache;
use crate::production::Production;
use crate::sample::Sample;
use crate::store::WriterHandle;

#[derive(Clone)]
pub struct SampleBus {
    writer: WriterHandle,
    live: Arc<LiveCache>,
    production: Arc<Production>,
    events: broadcast::Sender<Arc<[Sample]>>,
}

impl SampleBus {
    pub fn new(
        writer: WriterHandle,
        live: Arc<LiveCache>,
        production: Arc<Production>,
    ) -> SampleBus {
        let (events, _) = broadcast::channel(256);
        SampleBus {
            writer,
            live,
            production,
            events,
        }
    }

    pub fn publish(&self, batch: Vec<Sample>) {
        if batch.is_empty() {
            return;
        }
        self.live.update(&batch);
        self.production.update(&batch);
        let shared: Arc<[Sample]> = batch.as_slice().into();
        let _ = self.events.send(shared);
        self.writer.send(batch);
    }

    /// A receiver of every batch published from now on.
    pub fn subscribe(&self) -> broadcast::Receiver<Arc<[Sample]>> {
        self.events.subscribe()
    }

    pub fn writer(&self) -> &WriterHandle {
        &self.writer
    }
}
