//! The Modbus TCP driver: one task per device. It connects, polls each read request on
//! its own interval with a timeout per request, and reconnects with a backoff capped at
//! the device's shortest poll interval, so a device that comes back is read again
//! within one poll cycle.
//!
//! Read-only: only functions 03 (holding registers) and 04 (input registers) are sent.
//! A timeout or transport error drops the connection, so a late answer can never be
//! taken for the answer to the next request.

use std::sync::Arc;
use std::time::Duration;

use tokio::net::TcpStream;
use tokio::time::{Instant, sleep_until, timeout};
use tokio_modbus::client::{Context, Reader};
use tokio_modbus::{ExceptionCode, Slave};
use tokio_util::sync::CancellationToken;

use super::decode;
use super::plan::ReadRequest;
use super::status::StatusBoard;
use crate::bus::SampleBus;
use crate::config::{Device, RegisterKind};
use crate::sample::{Quality, Sample, now_ms};

/// First wait after a failed connection; it doubles up to the cap.
const BACKOFF_START: Duration = Duration::from_millis(250);

/// What one request came to.
enum Outcome {
    Words(Vec<u16>),
    Exception(ExceptionCode),
    /// The connection is unusable: timeout, reset, refused.
    Failed(String),
}

struct Scheduled {
    read: ReadRequest,
    due: Instant,
}

pub async fn run(
    device: Device,
    reads: Vec<ReadRequest>,
    bus: SampleBus,
    status: Arc<StatusBoard>,
    cancel: CancellationToken,
) {
    if reads.is_empty() {
        return;
    }
    let request_timeout = Duration::from_millis(device.timeout_ms);
    let backoff_cap = Duration::from_millis(reads.iter().map(|r| r.poll_ms).min().unwrap_or(1000));
    let start = Instant::now();
    let mut schedule: Vec<Scheduled> = reads
        .into_iter()
        .map(|read| Scheduled { read, due: start })
        .collect();
    let mut ctx: Option<Context> = None;
    let mut backoff = BACKOFF_START;
    let mut reconnect_at = start;

    loop {
        let next = schedule.iter().map(|s| s.due).min().unwrap_or(start);
        let wake = if ctx.is_none() {
            next.max(reconnect_at)
        } else {
            next
        };
        tokio::select! {
            _ = cancel.cancelled() => return,
            _ = sleep_until(wake) => {}
        }

        if ctx.is_none() {
            match connect(&device, request_timeout).await {
                Ok(c) => {
                    ctx = Some(c);
                    backoff = BACKOFF_START;
                }
                Err(message) => {
                    status.failure(&device.key, message, false);
                    fail_due(&mut schedule, Quality::NoAnswer, &bus);
                    reconnect_at = Instant::now() + backoff;
                    backoff = (backoff * 2).min(backoff_cap);
                    continue;
                }
            }
        }

        let now = Instant::now();
        let mut batch = Vec::new();
        for s in schedule.iter_mut().filter(|s| s.due <= now) {
            let Some(c) = ctx.as_mut() else {
                // The connection failed earlier in this round.
                bad_samples(&s.read, now_ms(), Quality::NoAnswer, &mut batch);
                advance(s);
                continue;
            };
            let ts = now_ms();
            let sent = Instant::now();
            let outcome = read(c, &s.read, request_timeout).await;
            let elapsed_ms = sent.elapsed().as_secs_f64() * 1000.0;
            match outcome {
                Outcome::Words(words) => {
                    status.success(&device.key, elapsed_ms);
                    for t in &s.read.tags {
                        let start = usize::from(t.offset);
                        let end = start + usize::from(t.tag.data_type.registers());
                        let sample =
                            match words.get(start..end).and_then(|w| decode::value(w, &t.tag)) {
                                Some(v) => Sample::good(t.id, ts, v),
                                None => Sample::bad(t.id, ts, Quality::BadValue),
                            };
                        batch.push(sample);
                    }
                }
                Outcome::Exception(code) => {
                    let code = u8::from(code);
                    status.exception(
                        &device.key,
                        elapsed_ms,
                        format!(
                            "exception {code} ({}) reading {} at {}",
                            exception_text(code),
                            function_name(s.read.kind),
                            s.read.address
                        ),
                    );
                    bad_samples(&s.read, ts, Quality::Exception(code), &mut batch);
                }
                Outcome::Failed(message) => {
                    status.failure(&device.key, message, true);
                    bad_samples(&s.read, ts, Quality::NoAnswer, &mut batch);
                    ctx = None;
                    reconnect_at = Instant::now();
                }
            }
            advance(s);
        }
        bus.publish(batch);
    }
}

async fn connect(device: &Device, limit: Duration) -> Result<Context, String> {
    let target = format!("{}:{}", device.host, device.port);
    let stream = match timeout(limit, TcpStream::connect(&target)).await {
        Ok(Ok(s)) => s,
        Ok(Err(e)) => return Err(format!("cannot connect to {target}: {e}")),
        Err(_) => {
            return Err(format!(
                "no connection to {target} within {} ms",
                limit.as_millis()
            ));
        }
    };
    let _ = stream.set_nodelay(true);
    Ok(tokio_modbus::client::tcp::attach_slave(
        stream,
        Slave(device.unit_id),
    ))
}

/// Function 03 or 04, with a deadline.
async fn read(ctx: &mut Context, r: &ReadRequest, limit: Duration) -> Outcome {
    let call = async {
        match r.kind {
            RegisterKind::Holding => ctx.read_holding_registers(r.address, r.count).await,
            RegisterKind::Input => ctx.read_input_registers(r.address, r.count).await,
        }
    };
    match timeout(limit, call).await {
        Ok(Ok(Ok(words))) if words.len() == usize::from(r.count) => Outcome::Words(words),
        Ok(Ok(Ok(words))) => Outcome::Failed(format!(
            "answer to {} at {} had {} registers, {} asked",
            function_name(r.kind),
            r.address,
            words.len(),
            r.count
        )),
        Ok(Ok(Err(code))) => Outcome::Exception(code),
        Ok(Err(e)) => Outcome::Failed(format!("connection error: {e}")),
        Err(_) => Outcome::Failed(format!(
            "no answer to {} at {} within {} ms",
            function_name(r.kind),
            r.address,
            limit.as_millis()
        )),
    }
}

/// Marks every due request's tags bad and moves it to its next slot.
fn fail_due(schedule: &mut [Scheduled], quality: Quality, bus: &SampleBus) {
    let now = Instant::now();
    let ts = now_ms();
    let mut batch = Vec::new();
    for s in schedule.iter_mut().filter(|s| s.due <= now) {
        bad_samples(&s.read, ts, quality, &mut batch);
        advance(s);
    }
    bus.publish(batch);
}

fn bad_samples(read: &ReadRequest, ts: i64, quality: Quality, batch: &mut Vec<Sample>) {
    batch.extend(read.tags.iter().map(|t| Sample::bad(t.id, ts, quality)));
}

/// The next slot on the request's grid; slots missed while busy are skipped, never
/// made up.
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

pub fn function_name(kind: RegisterKind) -> &'static str {
    match kind {
        RegisterKind::Holding => "holding registers (03)",
        RegisterKind::Input => "input registers (04)",
    }
}

/// The Modbus specification's name of an exception code.
pub fn exception_text(code: u8) -> &'static str {
    match code {
        1 => "illegal function",
        2 => "illegal data address",
        3 => "illegal data value",
        4 => "server device failure",
        5 => "acknowledge",
        6 => "server device busy",
        8 => "memory parity error",
        10 => "gateway path unavailable",
        11 => "gateway target device failed to respond",
        _ => "unknown exception",
    }
}
