//! One task per bus: a serial line with its units, a gateway address, or a Modbus TCP
//! device. The task owns the link and sends every request of every device on it, one
//! at a time, each on its own schedule.
//!
//! A device that stops answering costs the others at most one timeout per poll cycle:
//! after a failure its other requests of the cycle are not sent (their tags are marked
//! bad at once), and the next cycle sends one request to find out whether it is back.
//! When it is, collection resumes in that cycle, without a restart.
//!
//! On RTU lines nothing in an answer says which request it answers. A unit that timed
//! out is therefore left alone until three timeouts have passed since that request, so
//! that a late answer from it has arrived (and been thrown away) before it is asked
//! again. Answers from other units that arrive meanwhile are recognised by their unit
//! id, counted as late answers, and the request they disturbed is asked again.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{mpsc, oneshot};
use tokio::time::{Instant, sleep_until};
use tokio_util::sync::CancellationToken;

use super::decode;
use super::diag::{DiagBoard, ErrorKind};
use super::link::{Exchange, Failure, Link, LinkSpec, Reply};
use super::plan::ReadRequest;
use super::sink::SharedSink;
use super::status::StatusBoard;
use crate::config::{Device, RegisterKind};
use crate::sample::{Quality, Sample, now_ms};

/// A device on a bus with its read plan.
#[derive(Clone)]
pub struct BusDevice {
    pub device: Device,
    pub reads: Vec<ReadRequest>,
}

impl BusDevice {
    /// The device's shortest poll interval: one cycle.
    /// How long data from one request keeps the device online while another request
    /// gets exceptions: two of its longest poll intervals and a timeout.
    fn data_window_ms(&self) -> i64 {
        let longest = self
            .reads
            .iter()
            .map(|r| r.poll_ms)
            .max()
            .unwrap_or(self.device.poll_ms);
        (2 * longest + self.device.timeout_ms) as i64
    }

    fn min_poll_ms(&self) -> u64 {
        self.reads
            .iter()
            .map(|r| r.poll_ms)
            .min()
            .unwrap_or(self.device.poll_ms)
    }
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
    /// After a request went unanswered, the device is not asked again before this
    /// time: its requests due meanwhile are not sent and their tags marked bad.
    rest_until: Option<Instant>,
    /// The rest is the link's (it broke), not the device's own silence: it ends as soon
    /// as another device on the link answers again.
    link_down: bool,
}

pub struct BusTask {
    pub key: String,
    pub link: Link,
    pub devices: Vec<BusDevice>,
}

impl BusTask {
    /// Runs the bus until `cancel`; if the task fails (a panic in a library on a
    /// malformed answer, say), it is logged and started again, so one line's trouble
    /// never ends collection.
    pub async fn supervise(
        (key, spec, devices): (String, LinkSpec, Vec<BusDevice>),
        sink: SharedSink,
        status: Arc<StatusBoard>,
        diag: Arc<DiagBoard>,
        mut jobs: mpsc::Receiver<Job>,
        cancel: CancellationToken,
    ) {
        use futures_util::FutureExt;
        loop {
            let task = BusTask {
                key: key.clone(),
                link: spec.link(),
                devices: devices.clone(),
            };
            let run = task.run(
                sink.clone(),
                status.clone(),
                diag.clone(),
                &mut jobs,
                cancel.clone(),
            );
            match std::panic::AssertUnwindSafe(run).catch_unwind().await {
                Ok(()) => return,
                Err(panic) => {
                    let what = panic
                        .downcast_ref::<String>()
                        .cloned()
                        .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                        .unwrap_or_default();
                    tracing::error!("the task of line {key} failed ({what}); starting it again");
                    for d in &devices {
                        diag.error(
                            &d.device.key,
                            &key,
                            ErrorKind::Connection,
                            &format!("collection restarted after an internal error: {what}"),
                        );
                    }
                }
            }
            tokio::select! {
                _ = cancel.cancelled() => return,
                _ = tokio::time::sleep(Duration::from_secs(1)) => {}
            }
        }
    }

    /// Collects until `cancel`: waits for the next due request (or a commissioning job
    /// in between), plans the round of what is due, executes it, and emits the round's
    /// readings as one batch.
    pub async fn run(
        mut self,
        sink: SharedSink,
        status: Arc<StatusBoard>,
        diag: Arc<DiagBoard>,
        jobs: &mut mpsc::Receiver<Job>,
        cancel: CancellationToken,
    ) {
        let mut schedule = Schedule::new(&self.devices, Instant::now());
        let mut jobs_open = true;
        // After a commissioning job, polls that are due go first: jobs and polls take
        // turns, so test reads and scans (from however many people) cannot starve the
        // line's polls.
        let mut after_job = false;
        loop {
            let wake = schedule
                .wait(jobs, &mut jobs_open, after_job, &cancel)
                .await;
            after_job = matches!(wake, Wake::Job(_));
            match wake {
                Wake::Stop => return,
                Wake::Job(Job::Read {
                    unit,
                    kind,
                    address,
                    count,
                    timeout,
                    reply,
                }) => {
                    let ex = self.link.read(unit, kind, address, count, timeout).await;
                    let _ = reply.send(ex);
                }
                Wake::Due => {
                    let round = schedule.plan(Instant::now());
                    let batch = self.execute(&mut schedule, round, &status, &diag).await;
                    sink.emit(batch);
                }
            }
        }
    }

    /// Sends the round's requests in order; returns the readings, a sample per tag
    /// (bad for a device that rests or fails).
    async fn execute(
        &mut self,
        schedule: &mut Schedule,
        round: Vec<usize>,
        status: &StatusBoard,
        diag: &DiagBoard,
    ) -> Vec<Sample> {
        let is_rtu = matches!(self.link, Link::Rtu(_));
        let mut batch = Vec::new();
        for i in round {
            let dev_index = schedule.entries[i].device;
            let device = &self.devices[dev_index].device;
            let read = &schedule.entries[i].read;
            let ts = now_ms();
            if schedule.states[dev_index]
                .rest_until
                .is_some_and(|r| Instant::now() < r)
            {
                // The device did not answer a moment ago: do not spend another timeout
                // on it; its tags are bad now.
                bad(read, ts, Quality::NoAnswer, &mut batch);
                advance(&mut schedule.entries[i]);
                continue;
            }
            let limit = Duration::from_millis(device.timeout_ms);
            let sent = Instant::now();
            let mut ex = self
                .link
                .read(device.unit_id, read.kind, read.address, read.count, limit)
                .await;
            // Another unit's late answer: the request itself may be fine; ask again.
            if is_rtu && matches!(&ex.result, Err(f) if f.kind == ErrorKind::LateAnswer) {
                record_failure(
                    diag,
                    status,
                    &self.devices[dev_index],
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
            let ms = ex.elapsed.as_secs_f64() * 1000.0;
            tracing::trace!(
                bus = %self.key,
                unit = device.unit_id,
                request = %format!("{:?} {} x{}", read.kind, read.address, read.count),
                ms,
                result = ?ex.result,
                "exchange"
            );
            match ex.result {
                Ok(Reply::Words(words)) => {
                    schedule.states[dev_index].rest_until = None;
                    // The link works again: devices resting only because it broke are
                    // asked in this round, not a cycle later.
                    for st in schedule.states.iter_mut().filter(|st| st.link_down) {
                        st.rest_until = None;
                        st.link_down = false;
                    }
                    status.success(&device.key, ms);
                    diag.answered(&device.key, &self.key, ms);
                    decoded(read, &words, ts, &mut batch);
                }
                Err(f) => {
                    record_failure(
                        diag,
                        status,
                        &self.devices[dev_index],
                        &self.key,
                        &f,
                        ex.elapsed,
                    );
                    let quality = match f.kind {
                        ErrorKind::Exception(code) => Quality::Exception(code),
                        _ => Quality::NoAnswer,
                    };
                    bad(read, ts, quality, &mut batch);
                    match f.kind {
                        ErrorKind::Timeout => {
                            // Ask again in the next cycle; on an RTU line not before three
                            // timeouts after this request, so that a late answer has come
                            // and gone.
                            let mut rest =
                                Duration::from_millis(self.devices[dev_index].min_poll_ms());
                            if is_rtu {
                                rest = rest.max(limit * 3);
                            }
                            schedule.states[dev_index].rest_until = Some(sent + rest);
                            schedule.states[dev_index].link_down = false;
                        }
                        ErrorKind::Connection => {
                            // The whole link is gone: every device on it fails this
                            // cycle, each with the error (a gateway's or PLC's other
                            // unit ids are as unreachable as this one); the next cycle
                            // tries to open it again.
                            for (j, st) in schedule.states.iter_mut().enumerate() {
                                // Half a cycle: the next cycle's request (due a cycle
                                // after this one's, which was sent a little late) tries.
                                let poll = Duration::from_millis(self.devices[j].min_poll_ms());
                                st.rest_until = Some(sent + poll / 2);
                                st.link_down = true;
                                if j != dev_index {
                                    let other = &self.devices[j].device;
                                    status.failure(&other.key, f.message.clone(), false);
                                    diag.device_error(&other.key, f.kind.clone(), &f.message);
                                }
                            }
                        }
                        _ => {}
                    }
                }
            }
            advance(&mut schedule.entries[i]);
        }
        batch
    }
}

/// What woke the bus task.
enum Wake {
    Stop,
    Job(Job),
    /// Requests are due.
    Due,
}

/// Every request of every device on the bus with its next due time, and each device's
/// rest after a failure.
struct Schedule {
    entries: Vec<Scheduled>,
    states: Vec<DeviceState>,
}

impl Schedule {
    fn new(devices: &[BusDevice], start: Instant) -> Schedule {
        Schedule {
            entries: devices
                .iter()
                .enumerate()
                .flat_map(|(i, d)| {
                    d.reads.iter().map(move |r| Scheduled {
                        device: i,
                        read: r.clone(),
                        due: start,
                    })
                })
                .collect(),
            states: devices.iter().map(|_| DeviceState::default()).collect(),
        }
    }

    /// Waits until a request is due, a job arrives or collection stops. With work due
    /// now it sets no timer (that would round up to the next millisecond) and only
    /// looks whether a job or a stop is waiting.
    async fn wait(
        &self,
        jobs: &mut mpsc::Receiver<Job>,
        jobs_open: &mut bool,
        polls_first: bool,
        cancel: &CancellationToken,
    ) -> Wake {
        let next = self.entries.iter().map(|s| s.due).min();
        if next.is_some_and(|n| n <= Instant::now()) {
            if cancel.is_cancelled() {
                return Wake::Stop;
            }
            if polls_first {
                return Wake::Due;
            }
            return match jobs.try_recv() {
                Ok(job) => Wake::Job(job),
                Err(mpsc::error::TryRecvError::Empty) => Wake::Due,
                Err(mpsc::error::TryRecvError::Disconnected) => {
                    *jobs_open = false;
                    Wake::Due
                }
            };
        }
        tokio::select! {
            _ = cancel.cancelled() => Wake::Stop,
            job = jobs.recv(), if *jobs_open => match job {
                Some(job) => Wake::Job(job),
                // Nobody can send jobs any more; keep collecting.
                None => {
                    *jobs_open = false;
                    Wake::Due
                }
            },
            _ = sleep_until(next.unwrap_or_else(|| Instant::now() + Duration::from_secs(3600))), if next.is_some() => Wake::Due,
        }
    }

    /// The round: every request due at `now`, as indexes into the schedule. Devices
    /// that answer go first, devices that did not answer last (their timeouts then do
    /// not shift the others' polls off their times); earliest due first within each.
    fn plan(&self, now: Instant) -> Vec<usize> {
        let mut due: Vec<usize> = (0..self.entries.len())
            .filter(|&i| self.entries[i].due <= now)
            .collect();
        due.sort_by_key(|&i| {
            (
                self.states[self.entries[i].device].rest_until.is_some(),
                self.entries[i].due,
            )
        });
        due
    }
}

/// The samples of a read's tags from the registers that answered it.
fn decoded(read: &ReadRequest, words: &[u16], ts: i64, batch: &mut Vec<Sample>) {
    batch.reserve(read.tags.len());
    for t in &read.tags {
        let start = usize::from(t.offset);
        let end = start + usize::from(t.width);
        let Some(w) = words.get(start..end) else {
            batch.push(Sample::bad(t.id, ts, Quality::BadValue));
            continue;
        };
        let sample = if t.decoder.is_text() {
            decode::value(w, &t.tag).map(|v| Sample::good_value(t.id, ts, v))
        } else {
            t.decoder.number(w).map(|v| Sample::good(t.id, ts, v))
        };
        batch.push(sample.unwrap_or_else(|| Sample::bad(t.id, ts, Quality::BadValue)));
    }
}

fn record_failure(
    diag: &DiagBoard,
    status: &StatusBoard,
    bus_device: &BusDevice,
    bus: &str,
    f: &Failure,
    elapsed: Duration,
) {
    let device = &bus_device.device;
    let ms = elapsed.as_secs_f64() * 1000.0;
    match f.kind {
        ErrorKind::Exception(_) => {
            status.exception(
                &device.key,
                ms,
                f.message.clone(),
                bus_device.data_window_ms(),
            );
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

fn bad(read: &ReadRequest, ts: i64, quality: Quality, batch: &mut Vec<Sample>) {
    batch.extend(read.tags.iter().map(|t| Sample::bad(t.id, ts, quality)));
}

/// The next slot on the request's grid; slots missed while busy are skipped, never made
/// up. An interval of 0 (benchmarks only; configurations allow 100 ms and up) means
/// back to back.
fn advance(s: &mut Scheduled) {
    let interval = Duration::from_millis(s.read.poll_ms);
    let now = Instant::now();
    if interval.is_zero() {
        s.due = now;
        return;
    }
    s.due += interval;
    if s.due <= now {
        let behind = now - s.due;
        let skip = behind.as_nanos() / interval.as_nanos() + 1;
        s.due += interval * skip as u32;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn due_now() -> Schedule {
        Schedule {
            entries: vec![Scheduled {
                device: 0,
                read: ReadRequest {
                    kind: RegisterKind::Holding,
                    address: 0,
                    count: 1,
                    poll_ms: 1000,
                    tags: Vec::new(),
                },
                due: Instant::now(),
            }],
            states: vec![DeviceState::default()],
        }
    }

    fn job() -> (Job, oneshot::Receiver<Exchange>) {
        let (reply, rx) = oneshot::channel();
        (
            Job::Read {
                unit: 1,
                kind: RegisterKind::Holding,
                address: 0,
                count: 1,
                timeout: Duration::from_millis(100),
                reply,
            },
            rx,
        )
    }

    /// Issue 8, hole 8: commissioning jobs and polls take turns, so a stream of test
    /// reads and scan steps cannot starve the line's polls.
    #[tokio::test]
    async fn hole8_after_a_job_the_polls_that_are_due_go_first() {
        let schedule = due_now();
        let (tx, mut jobs) = mpsc::channel(4);
        let (j1, _r1) = job();
        let (j2, _r2) = job();
        tx.send(j1).await.unwrap();
        tx.send(j2).await.unwrap();
        let cancel = CancellationToken::new();
        let mut open = true;
        // A job waits and polls are due: with no job just before, the job goes...
        let first = schedule.wait(&mut jobs, &mut open, false, &cancel).await;
        assert!(matches!(first, Wake::Job(_)));
        // ...and right after a job, the due polls go before the next job.
        let second = schedule.wait(&mut jobs, &mut open, true, &cancel).await;
        assert!(matches!(second, Wake::Due));
        let third = schedule.wait(&mut jobs, &mut open, false, &cancel).await;
        assert!(matches!(third, Wake::Job(_)));
    }
}
