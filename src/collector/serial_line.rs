//! Serial line devices: scales, counters and readers that print a line of text per
//! reading, such as `ST,GS,+0012.34kg` or `C=001234`. The device's pattern picks the
//! values out of each line by named groups; a line that does not match, or is too long,
//! is counted as malformed and shown in diagnostics, never stored as a value. A tag of
//! `type = "string"` takes its group's text as it is (a barcode reader's scanned code).

use std::sync::Arc;
use std::time::Duration;

use regex::Regex;
use tokio::io::{AsyncRead, AsyncReadExt};
use tokio_util::sync::CancellationToken;

use super::diag::{DiagBoard, ErrorKind};
use super::link::open_serial;
use super::sink::SharedSink;
use super::status::StatusBoard;
use crate::config::{Bus, Device, Tag};
use crate::sample::{Quality, Sample, TagId, Value, now_ms};

/// A serial line device ready to run.
pub struct LineDevice {
    pub device: Device,
    pub bus: Bus,
    pub tags: Vec<(TagId, Tag)>,
}

/// What one line came to.
#[derive(Debug, PartialEq)]
pub enum Line {
    Values(Vec<(TagId, Value)>),
    Malformed(String),
}

/// Reads one line against the pattern.
pub fn parse_line(line: &str, pattern: &Regex, tags: &[(TagId, Tag)]) -> Line {
    let Some(caps) = pattern.captures(line) else {
        return Line::Malformed(format!(
            "line does not match the pattern: {:?}",
            shorten(line)
        ));
    };
    let mut values = Vec::new();
    for (id, tag) in tags {
        let Some(field) = tag.field.as_deref() else {
            continue;
        };
        let Some(text) = caps.name(field).map(|m| m.as_str().trim()) else {
            continue; // an optional group that did not take part
        };
        if tag.is_text() {
            values.push((*id, Value::Text(text.into())));
            continue;
        }
        let cleaned = text.trim_start_matches('+').replace(',', ".");
        match cleaned.parse::<f64>() {
            Ok(v) if v.is_finite() => values.push((*id, Value::Number(v * tag.scale + tag.offset))),
            _ => {
                return Line::Malformed(format!(
                    "field {field} is not a number: {:?} in {:?}",
                    shorten(text),
                    shorten(line)
                ));
            }
        }
    }
    Line::Values(values)
}

fn shorten(s: &str) -> String {
    if s.chars().count() > 80 {
        format!("{}...", s.chars().take(80).collect::<String>())
    } else {
        s.to_string()
    }
}

impl LineDevice {
    pub async fn run(
        self,
        sink: SharedSink,
        status: Arc<StatusBoard>,
        diag: Arc<DiagBoard>,
        cancel: CancellationToken,
    ) {
        let Some(pattern) = self
            .device
            .pattern
            .as_deref()
            .and_then(|p| Regex::new(p).ok())
        else {
            return; // validation makes this unreachable
        };
        let retry = Duration::from_millis(self.device.poll_ms.clamp(500, 5000));
        loop {
            let port = match open_serial(&self.bus) {
                Ok(p) => p,
                Err(f) => {
                    status.failure(&self.device.key, f.message.clone(), false);
                    diag.error(
                        &self.device.key,
                        &self.bus.key,
                        ErrorKind::Connection,
                        &f.message,
                    );
                    self.all_bad(&sink);
                    tokio::select! {
                        _ = cancel.cancelled() => return,
                        _ = tokio::time::sleep(retry) => continue,
                    }
                }
            };
            let ended = tokio::select! {
                _ = cancel.cancelled() => return,
                e = self.read_lines(port, &pattern, &sink, &status, &diag) => e,
            };
            status.failure(&self.device.key, ended.clone(), false);
            diag.error(
                &self.device.key,
                &self.bus.key,
                ErrorKind::Connection,
                &ended,
            );
            self.all_bad(&sink);
            tokio::select! {
                _ = cancel.cancelled() => return,
                _ = tokio::time::sleep(retry) => {}
            }
        }
    }

    fn all_bad(&self, sink: &SharedSink) {
        let ts = now_ms();
        sink.emit(
            self.tags
                .iter()
                .map(|(id, _)| Sample::bad(*id, ts, Quality::NoAnswer))
                .collect(),
        );
    }

    /// Reads lines until the port fails; returns why it stopped.
    pub async fn read_lines<R: AsyncRead + Unpin>(
        &self,
        mut port: R,
        pattern: &Regex,
        sink: &SharedSink,
        status: &StatusBoard,
        diag: &DiagBoard,
    ) -> String {
        let terminator = self.device.line_terminator().as_bytes().to_vec();
        let max = self.device.max_line;
        let mut pending: Vec<u8> = Vec::new();
        let mut overflow = false;
        let mut last_ts = 0;
        let mut buf = [0u8; 1024];
        loop {
            let n = match port.read(&mut buf).await {
                Ok(0) => return format!("serial port {} closed", self.bus.port),
                Ok(n) => n,
                Err(e) => return format!("reading serial port {}: {e}", self.bus.port),
            };
            pending.extend_from_slice(&buf[..n]);
            while let Some(pos) = find(&pending, &terminator) {
                let raw: Vec<u8> = pending.drain(..pos + terminator.len()).collect();
                let body = &raw[..pos];
                if overflow {
                    overflow = false;
                    continue; // the tail of a line already counted as too long
                }
                let line = String::from_utf8_lossy(body);
                let line = line.trim_matches(|c| c == '\r' || c == '\n');
                if line.trim().is_empty() {
                    continue;
                }
                let outcome = if body.len() > max {
                    Line::Malformed(format!("line of {} bytes, longer than {max}", body.len()))
                } else {
                    parse_line(line, pattern, &self.tags)
                };
                // Lines that arrive together still get times of their own, so none is
                // lost as a duplicate.
                last_ts = now_ms().max(last_ts + 1);
                self.publish(outcome, last_ts, sink, status, diag);
            }
            if pending.len() > max {
                pending.clear();
                if !overflow {
                    overflow = true;
                    self.publish(
                        Line::Malformed(format!(
                            "no line end within {max} bytes; check the terminator"
                        )),
                        now_ms(),
                        sink,
                        status,
                        diag,
                    );
                }
            }
        }
    }

    fn publish(
        &self,
        outcome: Line,
        ts: i64,
        sink: &SharedSink,
        status: &StatusBoard,
        diag: &DiagBoard,
    ) {
        match outcome {
            Line::Values(values) => {
                diag.line(&self.device.key, &self.bus.key, true);
                status.success(&self.device.key, 0.0);
                sink.emit(
                    values
                        .into_iter()
                        .map(|(id, v)| Sample::good_value(id, ts, v))
                        .collect(),
                );
            }
            Line::Malformed(message) => {
                diag.line(&self.device.key, &self.bus.key, false);
                diag.error(
                    &self.device.key,
                    &self.bus.key,
                    ErrorKind::Malformed,
                    &message,
                );
                // Lines that do not match for a minute: answering with errors.
                status.exception(&self.device.key, 0.0, message, 60_000);
            }
        }
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tag(field: &str, scale: f64) -> Tag {
        toml::from_str(&format!(
            "name = '{field}'\nfield = '{field}'\nscale = {scale}\n"
        ))
        .unwrap()
    }

    #[test]
    fn a_scale_and_a_counter() {
        let scale = Regex::new(r"^(?P<status>ST|US),GS,(?P<weight>[+-]?[0-9.]+)kg$").unwrap();
        let tags = vec![(1, tag("weight", 1.0))];
        assert_eq!(
            parse_line("ST,GS,+0012.34kg", &scale, &tags),
            Line::Values(vec![(1, Value::Number(12.34))])
        );
        assert!(matches!(
            parse_line("ST,GS,+00?2.34kg", &scale, &tags),
            Line::Malformed(_)
        ));
        let counter = Regex::new(r"^C=(?P<count>\d+)$").unwrap();
        let tags = vec![(2, tag("count", 1.0))];
        assert_eq!(
            parse_line("C=001234", &counter, &tags),
            Line::Values(vec![(2, Value::Number(1234.0))])
        );
        assert!(matches!(
            parse_line("C=", &counter, &tags),
            Line::Malformed(_)
        ));
    }

    #[test]
    fn a_barcode_is_text() {
        let reader = Regex::new(r"^(?P<code>\S+)$").unwrap();
        let t: Tag = toml::from_str("name = 'code'\nfield = 'code'\ntype = 'string'\n").unwrap();
        assert_eq!(
            parse_line("ML-2401", &reader, &[(3, t)]),
            Line::Values(vec![(3, Value::Text("ML-2401".into()))])
        );
    }
}
