//! One task per bus: a serial line with its units, a gateway address, or a Modbus TCP
//! device. The task owns the link and sends every request of every device on it, one
//! at a time, each on its own schedule.
//!
//! A device that stops answering costs the others at most one timeout per poll cycle:
//! after a failure its other requests of the cycle are not sent (their tags are marked
//! bad at once), and the next cycle sends one request to find out whether it is back.
//! When it is, collection resumes in that cycle, without a restart.
//!
//! On RTU lines a unit that timed out is resynchronised before its answers are trusted
//! again: its next answer is only taken if no second answer follows it within the
//! timeout (which would show the first was a late answer to an older request).

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{mpsc, oneshot};
use tokio::time::{Instant, sleep_until};
use tokio_util::sync::CancellationToken;

use super::decode;
use super::diag::{DiagBoard, ErrorKind};
use super::link::{Exchange, Failure, Link, Reply};
use super::plan::ReadRequest;
use super::status::StatusBoard;
use crate::bus::SampleBus;
use crate::config::{Device, RegisterKind};
use crate::sample::{Quality, Sample, now_ms};

/// A device on a bus with its read plan.
pub struct BusDevice {
    pub device: Device,
    pub reads: Vec<ReadRequest>,
}

/// Work from outside the schedule: a commissioning read, sent between scheduled
/// requests.
pub enum Job {
    Read {
        unit: u8,
        kind: RegisterKind,
        address: u16,
        count: u16,
        timeout: Duration,
        reply: oneshot::Sender<Exchange>,
    },
}

struct Scheduled {
    device: usize,
    read: ReadRequest,
    due: Instant,
}

#[derive(Default)]
struct DeviceState {
    /// The cycle (by due time) in which a request failed without an answer; the
    /// device's other requests of that cycle are not sent.
    failed_cycle: Option<Instant>,
    /// RTU: a timeout happened; the next answer is checked for a late twin.
    resync: bool,
}

pub struct BusTask {
    pub key: String,
    pub link: Link,
    pub devices: Vec<BusDevice>,
}

impl BusTask {
    pub async fn run(
        mut self,
        bus: SampleBus,
        status: Arc<StatusBoard>,
        diag: Arc<DiagBoard>,
        mut jobs: mpsc::Receiver<Job>,
        cancel: CancellationToken,
    ) {
        let start = Instant::now();
        let mut schedule: Vec<Scheduled> = self
            .devices
            .iter()
            .enumerate()
            .flat_map(|(i, d)| {
                d.reads.iter().map(move |r| Scheduled {
                    device: i,
                    read: r.clone(),
                    due: start,
                })
            })
            .collect();
        let mut states: Vec<DeviceState> = self
            .devices
            .iter()
            .map(|_| DeviceState::default())
            .collect();
        let is_rtu = matches!(self.link, Link::Rtu(_));
        let mut jobs_open = true;

        loop {
            let next = schedule.iter().map(|s| s.due).min();
            let job = tokio::select! {
                _ = cancel.cancelled() => return,
                job = jobs.recv(), if jobs_open => {
                    // None: nobody can send jobs any more; keep collecting.
                    jobs_open = job.is_some();
                    job
                }
                _ = sleep_until(next.unwrap_or(start + Duration::from_secs(3600))), if next.is_some() => None,
            };
            if let Some(Job::Read {
                unit,
                kind,
                address,
                count,
                timeout,
                reply,
            }) = job
            {
                let ex = self.link.read(unit, kind, address, count, timeout).await;
                let _ = reply.send(ex);
                continue;
            }

            // Every request due now, earliest first.
            let now = Instant::now();
            let mut due: Vec<usize> = (0..schedule.len())
                .filter(|&i| schedule[i].due <= now)
                .collect();
            due.sort_by_key(|&i| schedule[i].due);
            let mut batch = Vec::new();
            for i in due {
                let (dev_index, slot) = (schedule[i].device, schedule[i].due);
                let device = &self.devices[dev_index].device;
                let state = &mut states[dev_index];
                let read = &schedule[i].read;
                let ts = now_ms();
                if state
                    .failed_cycle
                    .is_some_and(|c| slot_of(c, read) == slot_of(slot, read))
                {
                    // The device already failed this cycle: do not spend another
                    // timeout on it; its tags are bad now.
                    bad(read, ts, Quality::NoAnswer, &mut batch);
                    advance(&mut schedule[i]);
                    continue;
                }
                let limit = Duration::from_millis(device.timeout_ms);
                let mut ex = self
                    .link
                    .read(device.unit_id, read.kind, read.address, read.count, limit)
                    .await;
                // Another unit's late answer: the request itself may be fine; ask again.
                if is_rtu && matches!(&ex.result, Err(f) if f.kind == ErrorKind::LateAnswer) {
                    record_failure(
                        &diag,
                        &status,
                        device,
                        &self.key,
                        ex.result.as_ref().unwrap_err(),
                        ex.elapsed,
                    );
                    self.link.drain_for(limit / 4).await;
                    ex = self
                        .link
                        .read(device.unit_id, read.kind, read.address, read.count, limit)
                        .await;
                }
                if ex.noise > 0 {
                    diag.error(
                        &device.key,
                        &self.key,
                        ErrorKind::Framing,
                        &format!("{} stray bytes on the line around an answer", ex.noise),
                    );
                }
                // A unit that timed out before: make sure this answer is not a late one.
                if is_rtu && state.resync && ex.result.is_ok() {
                    let late = self.link.drain_for(limit).await;
                    if late > 0 {
                        let f = Failure {
                            kind: ErrorKind::LateAnswer,
                            message: format!(
                                "unit {} answered twice ({late} bytes after an answer): answers are late; the last ones were discarded",
                                device.unit_id
                            ),
                        };
                        ex.result = Err(f);
                    } else {
                        state.resync = false;
                    }
                }
                let ms = ex.elapsed.as_secs_f64() * 1000.0;
                match ex.result {
                    Ok(Reply::Words(words)) => {
                        state.failed_cycle = None;
                        status.success(&device.key, ms);
                        diag.answered(&device.key, &self.key, ms);
                        for t in &read.tags {
                            let start = usize::from(t.offset);
                            let end = start + usize::from(t.width);
                            let sample = match words
                                .get(start..end)
                                .and_then(|w| decode::value(w, &t.tag))
                            {
                                Some(v) => Sample::good_value(t.id, ts, v),
                                None => Sample::bad(t.id, ts, Quality::BadValue),
                            };
                            batch.push(sample);
                        }
                    }
                    Err(f) => {
                        record_failure(&diag, &status, device, &self.key, &f, ex.elapsed);
                        let quality = match f.kind {
                            ErrorKind::Exception(code) => Quality::Exception(code),
                            _ => Quality::NoAnswer,
                        };
                        bad(read, ts, quality, &mut batch);
                        match f.kind {
                            ErrorKind::Timeout => {
                                state.failed_cycle = Some(slot);
                                if is_rtu {
                                    state.resync = true;
                                    // Let a late answer arrive now rather than during
                                    // the next unit's request.
                                    self.link
                                        .drain_for(Duration::from_millis(20) + limit / 10)
                                        .await;
                                }
                            }
                            ErrorKind::Connection => {
                                // The whole link is gone: every device on it fails this
                                // cycle; the next cycle tries to open it again.
                                for (j, st) in states.iter_mut().enumerate() {
                                    st.failed_cycle = schedule
                                        .iter()
                                        .filter(|s| s.device == j)
                                        .map(|s| s.due)
                                        .min();
                                }
                            }
                            _ => {}
                        }
                    }
                }
                advance(&mut schedule[i]);
            }
            bus.publish(batch);
        }
    }
}

fn record_failure(
    diag: &DiagBoard,
    status: &StatusBoard,
    device: &Device,
    bus: &str,
    f: &Failure,
    elapsed: Duration,
) {
    let ms = elapsed.as_secs_f64() * 1000.0;
    match f.kind {
        ErrorKind::Exception(_) => {
            status.exception(&device.key, ms, f.message.clone());
            diag.failed(&device.key, bus, f.kind.clone(), &f.message, Some(ms));
        }
        ErrorKind::Connection => {
            status.failure(&device.key, f.message.clone(), false);
            diag.failed(&device.key, bus, f.kind.clone(), &f.message, None);
        }
        _ => {
            status.failure(&device.key, f.message.clone(), true);
            diag.failed(&device.key, bus, f.kind.clone(), &f.message, None);
        }
    }
}

/// The cycle a due time belongs to, on the request's own grid.
fn slot_of(t: Instant, read: &ReadRequest) -> u128 {
    // Cycles are counted from an arbitrary but fixed origin: the process start.
    static ORIGIN: std::sync::OnceLock<Instant> = std::sync::OnceLock::new();
    let origin = *ORIGIN.get_or_init(Instant::now);
    t.saturating_duration_since(origin).as_millis() / u128::from(read.poll_ms.max(1))
}

fn bad(read: &ReadRequest, ts: i64, quality: Quality, batch: &mut Vec<Sample>) {
    batch.extend(read.tags.iter().map(|t| Sample::bad(t.id, ts, quality)));
}

/// The next slot on the request's grid; slots missed while busy are skipped, never made
/// up.
fn advance(s: &mut Scheduled) {
    let interval = Duration::from_millis(s.read.poll_ms);
    let now = Instant::now();
    s.due += interval;
    if s.due <= now {
        let behind = now - s.due;
        let skip = behind.as_nanos() / interval.as_nanos() + 1;
        s.due += interval * skip as u32;
    }
}
