//! Fuzzing entry points: each takes arbitrary bytes and drives one of Plantlog's parsers
//! as the outside world would, checking what must hold (no panic, and a property where
//! there is one). The cargo-fuzz targets in fuzz/ call these for millions of inputs; the
//! property tests (tests/security/fuzz.rs, proptest) call them for a few hundred on every
//! `cargo test`, and where cargo-fuzz cannot run (Windows).
//!
//! Targets: the configuration (TOML, and JSON from forms), a serial-line device's line,
//! Modbus register decoding, Modbus RTU answers as they arrive on a line (framing, CRC,
//! late and garbled answers), CSV cells (Plantlog writes CSV and imports none; the cell
//! neutralising and the writer are checked), and every JSON request body of the API.

use std::sync::OnceLock;

use crate::collector::{decode, serial_line};
use crate::config::{self, RegisterKind, Tag};

/// The configuration file: anything that parses must export and parse again to the
/// same configuration.
pub fn config_toml(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(cfg) = config::parse(text) {
        let again = config::parse(&config::export(&cfg)).expect("an exported configuration parses");
        assert_eq!(config::export(&again), config::export(&cfg));
    }
}

/// The configuration as the forms send it (JSON), turned into TOML and read.
pub fn config_json(data: &[u8]) {
    let Ok(v) = serde_json::from_slice::<serde_json::Value>(data) else {
        return;
    };
    if let Ok(text) = config::toml_of_json(v) {
        let _ = config::parse(&text);
    }
}

/// A serial line's device for the fuzzing: its line pattern and its tags by id.
type LineDevice = (regex::Regex, Vec<(i64, Tag)>);

fn line_devices() -> &'static [LineDevice] {
    static D: OnceLock<Vec<LineDevice>> = OnceLock::new();
    D.get_or_init(|| {
        let tag = |field: &str, scale: f64| -> Tag {
            toml::from_str(&format!(
                "name = \"{field}\"\nfield = \"{field}\"\nscale = {scale}"
            ))
            .expect("a serial-line tag")
        };
        vec![
            (
                regex::Regex::new(r"^ST,GS,(?P<weight>[+-]?[0-9.,]+)\s*kg$").unwrap(),
                vec![(1, tag("weight", 1.0))],
            ),
            (
                regex::Regex::new(r"(?P<count>\d+)\s+(?P<rate>[-+0-9.eE]+)?").unwrap(),
                vec![(2, tag("count", 1.0)), (3, tag("rate", 0.1))],
            ),
            (
                regex::Regex::new(r"^(?P<a>.*);(?P<b>.*)$").unwrap(),
                vec![(4, tag("a", 2.5)), (5, tag("b", -1.0))],
            ),
        ]
    })
}

/// A serial-line device's line: numbers are finite (text tags keep their text), never a
/// panic.
pub fn serial_line(data: &[u8]) {
    let line = String::from_utf8_lossy(data);
    for (pattern, tags) in line_devices() {
        if let serial_line::Line::Values(values) = serial_line::parse_line(&line, pattern, tags) {
            assert!(
                values.iter().all(|(_, v)| match v {
                    crate::sample::Value::Number(n) => n.is_finite(),
                    crate::sample::Value::Text(_) => true,
                }),
                "{values:?}"
            );
        }
    }
}

fn decode_tags() -> &'static [Tag] {
    static T: OnceLock<Vec<Tag>> = OnceLock::new();
    T.get_or_init(|| {
        let mut out = Vec::new();
        for ty in [
            "bool", "bit", "u16", "i16", "u32", "i32", "u64", "i64", "f32", "f64", "string",
        ] {
            for order in ["ABCD", "CDAB", "BADC", "DCBA"] {
                let extra = match ty {
                    "bit" => "bit = 15\n",
                    "string" => "length = 8\n",
                    _ => "",
                };
                out.push(
                    toml::from_str(&format!(
                        "name = \"t\"\naddress = 0\nfunction = \"holding\"\ntype = \"{ty}\"\norder = \"{order}\"\nscale = 0.1\noffset = -40\n{extra}"
                    ))
                    .unwrap_or_else(|e| panic!("{ty} {order}: {e}")),
                );
            }
        }
        out
    })
}

/// Register words decoded as each type and word order: no panic, numbers are finite or
/// absent (NaN is no value).
pub fn modbus_decode(data: &[u8]) {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let words: Vec<u16> = rest
        .chunks(2)
        .map(|c| u16::from_be_bytes([c[0], *c.get(1).unwrap_or(&0)]))
        .collect();
    let tags = decode_tags();
    let tag = &tags[pick as usize % tags.len()];
    if let Some(crate::sample::Value::Number(v)) = decode::value(&words, tag) {
        assert!(v.is_finite(), "{v}");
    }
}

/// A fake RS-485 line: takes the request, then answers with the fuzzer's bytes.
#[derive(Debug)]
struct FuzzPort {
    answer: Vec<u8>,
    requested: bool,
}

impl tokio::io::AsyncRead for FuzzPort {
    fn poll_read(
        mut self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
        buf: &mut tokio::io::ReadBuf<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        if !self.requested || self.answer.is_empty() {
            // Silence: the read's timeout ends it (time is paused, so at once).
            return std::task::Poll::Pending;
        }
        let n = self.answer.len().min(buf.remaining());
        buf.put_slice(&self.answer[..n]);
        self.answer.drain(..n);
        std::task::Poll::Ready(Ok(()))
    }
}

impl tokio::io::AsyncWrite for FuzzPort {
    fn poll_write(
        mut self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
        buf: &[u8],
    ) -> std::task::Poll<std::io::Result<usize>> {
        self.requested = true;
        std::task::Poll::Ready(Ok(buf.len()))
    }
    fn poll_flush(
        self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        std::task::Poll::Ready(Ok(()))
    }
    fn poll_shutdown(
        self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        std::task::Poll::Ready(Ok(()))
    }
}

impl crate::collector::link::Port for FuzzPort {
    fn clear_input(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// A Modbus RTU answer as it arrives on the line, whatever the bytes: the exchange ends
/// (answer, exception or a classified failure), never a panic, and an accepted answer
/// holds exactly the registers asked for. Returns whether registers were accepted.
pub fn modbus_rtu_answer(data: &[u8]) -> bool {
    let Some((&pick, answer)) = data.split_first() else {
        return false;
    };
    let kinds = [
        RegisterKind::Holding,
        RegisterKind::Input,
        RegisterKind::Coil,
        RegisterKind::Discrete,
    ];
    let kind = kinds[pick as usize % 4];
    let count = u16::from(pick / 4 % 8) + 1;
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .start_paused(true)
        .build()
        .expect("a runtime");
    rt.block_on(async {
        let port = FuzzPort {
            answer: answer.to_vec(),
            requested: false,
        };
        let mut link = crate::collector::link::Link::rtu_on(Box::new(port), 4.0);
        let ex = link
            .read(1, kind, 0, count, std::time::Duration::from_millis(50))
            .await;
        match &ex.result {
            Ok(crate::collector::link::Reply::Words(w)) => {
                assert_eq!(w.len(), usize::from(count), "{:?}", ex.result);
                true
            }
            _ => false,
        }
    })
}

/// A text cell of a CSV Plantlog writes: it reads back as written (the apostrophe
/// added where a spreadsheet would see a formula), and never starts a formula.
pub fn csv_cell(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let safe = crate::store::export::safe_cell(&text);
    assert!(
        !safe.starts_with(['=', '+', '-', '@', '\t', '\r']),
        "{safe:?}"
    );
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([safe.as_ref(), "x"])
        .expect("csv writes to memory");
    let bytes = w.into_inner().expect("flushed");
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(bytes.as_slice());
    let rec = r.records().next().expect("one record").expect("it parses");
    assert_eq!(&rec[0], safe.as_ref());
}

/// A JSON request body for one endpoint (the first byte picks which): decoded as the
/// server decodes it, and what decodes goes on to the checks that need no database.
/// Refused or accepted, never a panic.
pub fn json_body(data: &[u8]) {
    let Some((&pick, body)) = data.split_first() else {
        return;
    };
    let bodies = crate::api::request_bodies();
    let (_, decode) = bodies[pick as usize % bodies.len()];
    let _ = decode(body);
}
