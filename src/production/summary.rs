//! The production engine's hourly summary of one machine's samples: its state changes
//! (exact), its parts per minute, its counter events, and where following its samples
//! stood at the hour's start and end. A year of figures is read from these rather than
//! from every stored counter reading; an hour whose minutes are not enough (a report
//! edge or an ideal cycle change inside a minute) is followed again from its raw
//! samples, starting from the summary's start.
//!
//! Encoding: a version byte, then unsigned LEB128 varints (signed values zig-zagged).

use super::counter::CounterEvent;
use super::timeline::{Carry, Change, Out};

pub const HOUR_MS: i64 = 3_600_000;
pub const MINUTE_MS: i64 = 60_000;

/// One hour of one machine.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Summary {
    pub hour: i64,
    pub start: Carry,
    pub end: Carry,
    pub changes: Vec<Change>,
    /// Parts counted by minute of the hour: (minute, parts).
    pub parts: Vec<(u8, i64)>,
    pub scrap: Vec<(u8, i64)>,
    pub events: Vec<CounterEvent>,
}

impl Summary {
    /// The summary of an hour from what following its samples produced.
    pub fn of(hour: i64, start: Carry, end: Carry, out: &Out) -> Summary {
        let per_minute = |steps: &[(i64, i64)]| {
            let mut v: Vec<(u8, i64)> = Vec::new();
            for &(t, n) in steps {
                let m = ((t - hour) / MINUTE_MS) as u8;
                match v.last_mut() {
                    Some(last) if last.0 == m => last.1 += n,
                    _ => v.push((m, n)),
                }
            }
            v
        };
        Summary {
            hour,
            start,
            end,
            changes: out.changes.clone(),
            parts: per_minute(&out.steps),
            scrap: per_minute(&out.scrap),
            events: out.events.clone(),
        }
    }

    pub fn encode(&self) -> Vec<u8> {
        let mut b = Vec::with_capacity(32 + self.changes.len() * 4 + self.parts.len() * 3);
        b.push(2);
        carry(&mut b, &self.start);
        carry(&mut b, &self.end);
        uv(&mut b, self.changes.len() as u64);
        for c in &self.changes {
            uv(&mut b, (c.t - self.hour) as u64);
            match c.state {
                None => uv(&mut b, 0),
                Some(v) => uv(&mut b, zz(v) + 1),
            }
        }
        for list in [&self.parts, &self.scrap] {
            uv(&mut b, list.len() as u64);
            for (m, n) in list.iter() {
                b.push(*m);
                uv(&mut b, zz(*n));
            }
        }
        uv(&mut b, self.events.len() as u64);
        for e in &self.events {
            uv(&mut b, (e.ts - self.hour) as u64);
            // Kind in bits 0-1 and 3 (0 wrap, 1 reset, 2 step back, 3 implausible, 8 new
            // series), scrap in bit 2.
            let kind = match e.kind {
                "wrap" => 0,
                "reset" => 1,
                "implausible" => 3,
                "new_series" => 8,
                _ => 2,
            };
            b.push(kind | if e.scrap { 4 } else { 0 });
            uv(&mut b, zz(e.previous));
            uv(&mut b, zz(e.value));
            uv(&mut b, zz(e.counted));
        }
        b
    }

    pub fn decode(hour: i64, data: &[u8]) -> Option<Summary> {
        let mut s = Summary::default();
        s.decode_into(hour, data).then_some(s)
    }

    /// Decodes into this summary, reusing its room; false (and the summary unusable)
    /// when `data` is not a summary.
    pub fn decode_into(&mut self, hour: i64, data: &[u8]) -> bool {
        self.read(hour, data).is_some()
    }

    fn read(&mut self, hour: i64, data: &[u8]) -> Option<()> {
        let mut r = Reader { b: data, i: 0 };
        // Version 1 (before issue 9) had no good-reading times in the carry.
        let version = r.byte()?;
        if version != 1 && version != 2 {
            return None;
        }
        self.hour = hour;
        self.start = r.carry(version)?;
        self.end = r.carry(version)?;
        let n = r.uv()? as usize;
        self.changes.clear();
        self.changes.reserve(n);
        for _ in 0..n {
            let t = hour + r.uv()? as i64;
            let s = r.uv()?;
            self.changes.push(Change {
                t,
                state: (s != 0).then(|| unzz(s - 1)),
            });
        }
        for list in [&mut self.parts, &mut self.scrap] {
            let n = r.uv()? as usize;
            list.clear();
            list.reserve(n);
            for _ in 0..n {
                let m = r.byte()?;
                list.push((m, unzz(r.uv()?)));
            }
        }
        let n = r.uv()? as usize;
        self.events.clear();
        for _ in 0..n {
            let ts = hour + r.uv()? as i64;
            let k = r.byte()?;
            self.events.push(CounterEvent {
                ts,
                kind: match (k & 8, k & 3) {
                    (8, _) => "new_series",
                    (_, 0) => "wrap",
                    (_, 1) => "reset",
                    (_, 3) => "implausible",
                    _ => "step_back",
                },
                scrap: k & 4 != 0,
                previous: unzz(r.uv()?),
                value: unzz(r.uv()?),
                counted: unzz(r.uv()?),
            });
        }
        Some(())
    }
}

fn zz(v: i64) -> u64 {
    ((v << 1) ^ (v >> 63)) as u64
}

fn unzz(v: u64) -> i64 {
    ((v >> 1) as i64) ^ -((v & 1) as i64)
}

fn uv(b: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        b.push((v as u8) | 0x80);
        v >>= 7;
    }
    b.push(v as u8);
}

fn opt(b: &mut Vec<u8>, v: Option<i64>) {
    match v {
        None => uv(b, 0),
        Some(v) => uv(b, zz(v) + 1),
    }
}

fn carry(b: &mut Vec<u8>, c: &Carry) {
    for v in [
        c.state,
        c.stop_start,
        c.state_ts,
        c.count_base,
        c.count_ts,
        c.run_until,
        c.scrap_base,
        c.scrap_ts,
        c.count_good_ts,
        c.scrap_good_ts,
    ] {
        opt(b, v);
    }
}

struct Reader<'a> {
    b: &'a [u8],
    i: usize,
}

impl Reader<'_> {
    fn byte(&mut self) -> Option<u8> {
        let v = *self.b.get(self.i)?;
        self.i += 1;
        Some(v)
    }

    fn uv(&mut self) -> Option<u64> {
        let mut v: u64 = 0;
        let mut shift = 0;
        loop {
            let byte = self.byte()?;
            v |= u64::from(byte & 0x7f) << shift;
            if byte & 0x80 == 0 {
                return Some(v);
            }
            shift += 7;
            if shift > 63 {
                return None;
            }
        }
    }

    fn opt(&mut self) -> Option<Option<i64>> {
        let v = self.uv()?;
        Some((v != 0).then(|| unzz(v - 1)))
    }

    fn carry(&mut self, version: u8) -> Option<Carry> {
        let mut c = Carry {
            state: self.opt()?,
            stop_start: self.opt()?,
            state_ts: self.opt()?,
            count_base: self.opt()?,
            count_ts: self.opt()?,
            run_until: self.opt()?,
            scrap_base: self.opt()?,
            scrap_ts: self.opt()?,
            ..Carry::default()
        };
        if version >= 2 {
            c.count_good_ts = self.opt()?;
            c.scrap_good_ts = self.opt()?;
        }
        Some(c)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_summary_round_trips() {
        let hour = 1_764_136_800_000;
        let start = Carry {
            state: Some(1),
            count_base: Some(4_294_967_000),
            count_ts: Some(hour - 700),
            count_good_ts: Some(hour - 1700),
            state_ts: Some(hour - 5000),
            ..Carry::default()
        };
        let out = Out {
            changes: vec![
                Change {
                    t: hour + 10,
                    state: Some(-3),
                },
                Change {
                    t: hour + 70_000,
                    state: None,
                },
            ],
            steps: vec![(hour + 1000, 2), (hour + 59_999, 3), (hour + 60_000, 1)],
            scrap: vec![(hour + 3_599_999, 4)],
            events: vec![
                CounterEvent {
                    ts: hour + 5,
                    kind: "wrap",
                    scrap: false,
                    previous: 4_294_967_000,
                    value: 4,
                    counted: 300,
                },
                CounterEvent {
                    ts: hour + 6,
                    kind: "implausible",
                    scrap: true,
                    previous: 4,
                    value: 70_000,
                    counted: 0,
                },
                CounterEvent {
                    ts: hour + 7,
                    kind: "new_series",
                    scrap: false,
                    previous: 70_000,
                    value: 70_000,
                    counted: 0,
                },
            ],
        };
        let s = Summary::of(hour, start, Carry::default(), &out);
        assert_eq!(s.parts, [(0, 5), (1, 1)]);
        assert_eq!(s.scrap, [(59, 4)]);
        let back = Summary::decode(hour, &s.encode()).unwrap();
        assert_eq!(back, s);
        assert!(Summary::decode(hour, &[3]).is_none());
        // Decoded into a summary that held another hour: nothing of that is left.
        let mut reused = s.clone();
        reused.changes.extend_from_slice(&s.changes);
        reused.parts.push((59, 1));
        reused.events.extend(s.events.iter().cloned());
        assert!(reused.decode_into(hour, &s.encode()));
        assert_eq!(reused, s);
    }
}
