//! Where the collector's readings go. A driver emits each round's batch into a
//! [`Sink`] and knows nothing of who listens: the composition root (`app`) wires the
//! sink to the writer, the live cache, the production engine and whatever comes next.

use std::sync::Arc;

use crate::sample::Sample;

/// Takes the readings of the collector. `emit` is called on the collector's tasks, once
/// per round of a line; it must not block (hand the batch on and return).
pub trait Sink: Send + Sync {
    fn emit(&self, batch: Vec<Sample>);
}

/// The sink shared by every task of the collector.
pub type SharedSink = Arc<dyn Sink>;

/// A sink that drops everything (a collector measured on its own).
pub struct Discard;

impl Sink for Discard {
    fn emit(&self, _batch: Vec<Sample>) {}
}
