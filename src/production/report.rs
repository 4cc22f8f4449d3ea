//! Production figures as people read them: per machine and period, every figure with
//! how it was computed (which times, which counts), lines and the plant added up, as
//! JSON (the API and `plantlog production report`) and CSV.

use std::fmt;

use serde::Serialize;

use super::calendar::{By, Calendar, Period};
use super::compute::{DOWN_STATES, Tally};
use super::counter::CounterEvent;
use super::records::Reasons;
use crate::config::StateKind;

/// Seconds, from exact milliseconds.
fn secs(ms: i64) -> f64 {
    ms as f64 / 1000.0
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct DownByState {
    pub stopped_s: f64,
    pub idle_s: f64,
    pub setup_s: f64,
    pub fault_s: f64,
}

/// Downtime of one reason (or of stops not explained: `reason_id` null).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct ReasonDown {
    pub reason_id: Option<i64>,
    pub category: Option<String>,
    /// "Mechanical / Jam", or "Not explained".
    pub label: String,
    pub s: f64,
    /// Stop parts (a stop cut by a break or a period boundary counts on each side).
    pub count: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct MicroStops {
    pub count: i64,
    pub s: f64,
}

/// How each figure was computed, in words with the times and counts it used.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct How {
    pub planned: String,
    pub run: String,
    pub no_data: String,
    pub down: String,
    pub parts: String,
    pub quality: String,
    pub availability: String,
    pub performance: String,
    pub oee: String,
}

/// The figures of one machine (or line, or the plant) in one period.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Figures {
    pub shift_s: f64,
    pub planned_s: f64,
    pub break_s: f64,
    pub planned_stop_s: f64,
    pub no_data_s: f64,
    pub run_s: f64,
    pub down_s: f64,
    pub down_by_state: DownByState,
    pub down_by_reason: Vec<ReasonDown>,
    pub micro_stops: MicroStops,
    pub parts_total: i64,
    pub parts_good: i64,
    pub parts_scrap: i64,
    pub scrap_counted: i64,
    pub scrap_entered: i64,
    /// Ideal cycle time x parts, summed with the ideal in force for each part; null
    /// when some parts were made before any ideal cycle time was set.
    pub ideal_s: Option<f64>,
    pub availability: Option<f64>,
    pub performance: Option<f64>,
    pub quality: Option<f64>,
    pub oee: Option<f64>,
    pub counter_events: Vec<CounterEvent>,
    pub how: How,
}

/// A machine's figures in one period.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Row {
    pub machine: String,
    pub machine_name: String,
    pub line: Option<String>,
    pub period: Period,
    #[serde(flatten)]
    pub figures: Figures,
}

/// A line's or the plant's figures in one period: its machines' times and parts added.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Total {
    /// The line; null for the whole plant (the machines in the report).
    pub line: Option<String>,
    pub machines: Vec<String>,
    pub period: Period,
    #[serde(flatten)]
    pub figures: Figures,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Report {
    pub from_ms: i64,
    pub to_ms: i64,
    pub by: By,
    pub timezone: String,
    pub rows: Vec<Row>,
    pub lines: Vec<Total>,
    pub plant: Vec<Total>,
}

/// Writes with a closure: a figure's explanation is written straight into its text.
struct Fmt<F: Fn(&mut fmt::Formatter<'_>) -> fmt::Result>(F);

impl<F: Fn(&mut fmt::Formatter<'_>) -> fmt::Result> fmt::Display for Fmt<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        (self.0)(f)
    }
}

/// Writes `items` with `sep` between them.
fn join<T>(
    items: &[T],
    sep: &'static str,
    each: impl Fn(&mut fmt::Formatter<'_>, &T) -> fmt::Result,
) -> impl fmt::Display {
    Fmt(move |f| {
        for (i, x) in items.iter().enumerate() {
            if i > 0 {
                f.write_str(sep)?;
            }
            each(f, x)?;
        }
        Ok(())
    })
}

/// A duration as people read it: "7 h 30 min 12 s", "45 min", "12.345 s", "0 s".
#[derive(Clone, Copy)]
struct Dur(i64);

impl fmt::Display for Dur {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0 == 0 {
            return f.write_str("0 s");
        }
        if self.0 < 0 {
            f.write_str("−")?;
        }
        let ms = self.0.abs();
        let (h, m, s, frac) = (ms / 3_600_000, ms / 60_000 % 60, ms / 1000 % 60, ms % 1000);
        let mut sep = "";
        if h > 0 {
            write!(f, "{h} h")?;
            sep = " ";
        }
        if m > 0 {
            write!(f, "{sep}{m} min")?;
            sep = " ";
        }
        if frac > 0 {
            write!(f, "{sep}{s}.{frac:03} s")?;
        } else if s > 0 {
            write!(f, "{sep}{s} s")?;
        }
        Ok(())
    }
}

/// "7 h 30 min 12 s", "45 min", "12.345 s", "0 s".
pub fn duration(ms: i64) -> String {
    Dur(ms).to_string()
}

/// A duration with its exact seconds: "1 h 2 min (3720 s)".
#[derive(Clone, Copy)]
struct DurS(i64);

impl fmt::Display for DurS {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.abs() < 60_000 {
            fmt::Display::fmt(&Dur(self.0), f)
        } else {
            write!(f, "{} ({} s)", Dur(self.0), MsAsS(self.0))
        }
    }
}

#[cfg(test)]
fn dur_s(ms: i64) -> String {
    DurS(ms).to_string()
}

/// Milliseconds as seconds, exactly and without trailing zeros: "3720", "18055.2".
#[derive(Clone, Copy)]
struct MsAsS(i64);

impl fmt::Display for MsAsS {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let ms = self.0;
        let (whole, frac) = (ms / 1000, (ms % 1000).abs());
        if frac == 0 {
            return write!(f, "{whole}");
        }
        let sign = if ms < 0 && whole == 0 { "-" } else { "" };
        let (mut frac, mut width) = (frac, 3);
        while frac % 10 == 0 {
            frac /= 10;
            width -= 1;
        }
        write!(f, "{sign}{whole}.{frac:0width$}")
    }
}

#[cfg(test)]
fn ms_as_s(ms: i64) -> String {
    MsAsS(ms).to_string()
}

fn trim(x: f64) -> String {
    MsAsS((x * 1000.0).round() as i64).to_string()
}

/// "76.97 %".
pub fn percent(x: f64) -> String {
    Pct(Some(x)).to_string()
}

/// A share as a percentage, "no value" for none.
#[derive(Clone, Copy)]
struct Pct(Option<f64>);

impl fmt::Display for Pct {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(x) => write!(f, "{:.2} %", x * 100.0),
            None => f.write_str("no value"),
        }
    }
}

/// The figures of a tally, with how each was computed. `micro_s`: the micro-stop
/// threshold (for one machine).
pub fn figures(t: &Tally, cal: &Calendar, reasons: &Reasons, micro_ms: Option<i64>) -> Figures {
    let label = |id: Option<i64>| match id.and_then(|i| reasons.get(i)) {
        Some(r) => r.label(),
        None if id.is_some() => format!("reason {}", id.unwrap_or_default()),
        None => "Not explained".to_string(),
    };
    let span = |f: &mut fmt::Formatter<'_>, a: i64, b: i64| {
        write!(f, "{}–{}", cal.clock_of(a), cal.clock_of(b))
    };
    let mut down_by_reason: Vec<ReasonDown> = t
        .by_reason
        .iter()
        .map(|(id, (ms, n))| ReasonDown {
            reason_id: *id,
            category: id.and_then(|i| reasons.get(i)).map(|r| r.category.clone()),
            label: label(*id),
            s: secs(*ms),
            count: *n,
        })
        .collect();
    down_by_reason.sort_by(|a, b| b.s.total_cmp(&a.s).then(a.label.cmp(&b.label)));
    let merged = t.notes.merged > 1;

    let planned = if t.shift_ms == 0 {
        "No shift in this period, so no planned production time.".to_string()
    } else {
        let shifts = Fmt(|f| {
            if merged {
                write!(f, "{} machine-periods", t.notes.merged)
            } else {
                let each = |f: &mut fmt::Formatter<'_>, (n, a, b): &(String, i64, i64)| {
                    write!(f, "{n} ")?;
                    span(f, *a, *b)
                };
                fmt::Display::fmt(&join(&t.notes.shifts, ", ", each), f)
            }
        });
        let breaks = Fmt(|f| {
            if t.notes.breaks.is_empty() || merged {
                return Ok(());
            }
            write!(
                f,
                " ({})",
                join(&t.notes.breaks, ", ", |f, (a, b)| span(f, *a, *b))
            )
        });
        let stops = Fmt(|f| {
            if t.notes.planned_stops.is_empty() || merged {
                return Ok(());
            }
            let each = |f: &mut fmt::Formatter<'_>, (a, b, r): &(i64, i64, Option<i64>)| {
                span(f, *a, *b)?;
                write!(f, " {}", label(*r))
            };
            write!(f, " ({})", join(&t.notes.planned_stops, ", ", each))
        });
        format!(
            "Shift time {} [{shifts}] − breaks {}{breaks} − planned stops {}{stops} = {} planned production time.",
            DurS(t.shift_ms),
            DurS(t.break_ms),
            DurS(t.planned_stop_ms),
            DurS(t.planned_ms)
        )
    };
    let run = format!(
        "Time in a running state within planned production time: {}.",
        DurS(t.run_ms)
    );
    let no_data = if t.no_data_ms == 0 {
        "None: the machine's state was known throughout planned production time.".to_string()
    } else {
        let where_ = Fmt(|f| {
            if merged || t.notes.no_data.is_empty() {
                return Ok(());
            }
            write!(
                f,
                " ({}{})",
                join(&t.notes.no_data, ", ", |f, (a, b)| span(f, *a, *b)),
                if t.notes.no_data.len() >= 6 {
                    ", …"
                } else {
                    ""
                }
            )
        });
        format!(
            "{} of planned production time without a known state{where_}: the device did not answer, Plantlog was not running, or the state value is not in the machine's state map. Counted neither as running nor as down.",
            DurS(t.no_data_ms)
        )
    };
    let by_state = Fmt(|f| {
        let mut first = true;
        for (k, ms) in DOWN_STATES.iter().zip(t.down_by_state) {
            if ms > 0 {
                let name = match k {
                    StateKind::Stopped => "stopped",
                    StateKind::Idle => "idle",
                    StateKind::Setup => "setup",
                    StateKind::Fault => "fault",
                    StateKind::Running => "running",
                    StateKind::Unknown => "unknown",
                };
                write!(f, "{}{name} {}", if first { ": " } else { ", " }, Dur(ms))?;
                first = false;
            }
        }
        Ok(())
    });
    let unexplained = t.by_reason.get(&None).map_or(0, |e| e.0);
    let micro_under = Fmt(|f| match micro_ms {
        Some(m) => write!(f, " (stop parts under {})", Dur(m)),
        None => Ok(()),
    });
    let down = format!(
        "Planned {} − run {} − no data {} = {}{by_state}; {} micro-stop{}{micro_under} ({}); not explained {}.",
        Dur(t.planned_ms),
        Dur(t.run_ms),
        Dur(t.no_data_ms),
        DurS(t.down_ms),
        t.micro_count,
        if t.micro_count == 1 { "" } else { "s" },
        Dur(t.micro_ms),
        Dur(unexplained),
    );
    let events = &t.events[..t.events.len().min(6)];
    let event_list = Fmt(|f| {
        if events.is_empty() {
            return Ok(());
        }
        let each = |f: &mut fmt::Formatter<'_>, e: &CounterEvent| {
            write!(
                f,
                "{}{} at {} ({} → {}, counted {})",
                if e.scrap { "scrap counter " } else { "" },
                e.kind.replace('_', " "),
                cal.clock_of(e.ts),
                e.previous,
                e.value,
                e.counted
            )
        };
        write!(f, "; {}", join(events, "; ", each))
    });
    let parts = format!(
        "{} parts: the increases of the part counter between consecutive good samples, each counted in the period of the later sample (also outside planned production time){event_list}.",
        t.parts,
    );
    let scrap_notes = Fmt(|f| {
        if t.notes.scrap.is_empty() {
            return Ok(());
        }
        let each = |f: &mut fmt::Formatter<'_>,
                    (ts, n, r, by): &(i64, i64, Option<i64>, String)| {
            write!(f, "{n} at {} by {by}", cal.clock_of(*ts))?;
            match r.and_then(|i| reasons.get(i)) {
                Some(r) => write!(f, " ({})", r.label()),
                None => Ok(()),
            }
        };
        write!(f, " ({})", join(&t.notes.scrap, ", ", each))
    });
    let quality = match t.quality() {
        Some(q) => format!(
            "Good {} / total {} = {}; scrap {} = counter {} + entered {}{scrap_notes}.",
            t.good(),
            t.parts,
            Pct(Some(q)),
            t.scrap(),
            t.scrap_counted,
            t.scrap_entered,
        ),
        None => format!(
            "No parts were counted, so quality has no value (scrap {}).",
            t.scrap()
        ),
    };
    let den = t.planned_ms - t.no_data_ms;
    let availability = match t.availability() {
        Some(a) => format!(
            "Run {} / (planned {} − no data {} = {}) = {}.",
            DurS(t.run_ms),
            Dur(t.planned_ms),
            Dur(t.no_data_ms),
            DurS(den),
            Pct(Some(a))
        ),
        None => "Planned production time less no-data time is 0, so availability has no value."
            .to_string(),
    };
    let ideal_terms = Fmt(|f| {
        if t.ideal.is_empty() {
            return f.write_str("0 parts");
        }
        let mut first = true;
        for (c, n) in &t.ideal {
            write!(
                f,
                "{}{} s × {n} parts",
                if first { "" } else { " + " },
                MsAsS(*c)
            )?;
            first = false;
        }
        Ok(())
    });
    let performance = match (t.ideal_ms(), t.performance()) {
        (Some(i), Some(p)) => format!(
            "Ideal time {} = {ideal_terms} / run {} = {} (not capped at 100 %).",
            DurS(i),
            DurS(t.run_ms),
            Pct(Some(p))
        ),
        (None, _) => format!(
            "{} parts were made before the machine had an ideal cycle time, so performance has no value; a supervisor sets it under Production setup.",
            t.parts_without_ideal
        ),
        (Some(_), None) => "No run time, so performance has no value.".to_string(),
    };
    let oee = match t.oee() {
        Some(o) => format!(
            "Availability {} × performance {} × quality {} = {}.",
            Pct(t.availability()),
            Pct(t.performance()),
            Pct(t.quality()),
            Pct(Some(o))
        ),
        None => {
            let missing: Vec<&str> = [
                ("availability", t.availability()),
                ("performance", t.performance()),
                ("quality", t.quality()),
            ]
            .iter()
            .filter(|(_, v)| v.is_none())
            .map(|(n, _)| *n)
            .collect();
            format!("No value: {} has none.", missing.join(" and "))
        }
    };
    Figures {
        shift_s: secs(t.shift_ms),
        planned_s: secs(t.planned_ms),
        break_s: secs(t.break_ms),
        planned_stop_s: secs(t.planned_stop_ms),
        no_data_s: secs(t.no_data_ms),
        run_s: secs(t.run_ms),
        down_s: secs(t.down_ms),
        down_by_state: DownByState {
            stopped_s: secs(t.down_by_state[0]),
            idle_s: secs(t.down_by_state[1]),
            setup_s: secs(t.down_by_state[2]),
            fault_s: secs(t.down_by_state[3]),
        },
        down_by_reason,
        micro_stops: MicroStops {
            count: t.micro_count,
            s: secs(t.micro_ms),
        },
        parts_total: t.parts,
        parts_good: t.good(),
        parts_scrap: t.scrap(),
        scrap_counted: t.scrap_counted,
        scrap_entered: t.scrap_entered,
        ideal_s: t.ideal_ms().map(secs),
        availability: t.availability(),
        performance: t.performance(),
        quality: t.quality(),
        oee: t.oee(),
        counter_events: t.events.clone(),
        how: How {
            planned,
            run,
            no_data,
            down,
            parts,
            quality,
            availability,
            performance,
            oee,
        },
    }
}

/// A number for CSV: whole numbers without a decimal point.
fn num(x: f64) -> String {
    trim(x)
}

fn opt(x: Option<f64>) -> String {
    x.map_or(String::new(), |v| format!("{v:.6}"))
}

/// The report as CSV: one row per machine and period (lines and the plant follow with
/// the machine column empty), each figure with how it was computed.
pub fn csv(r: &Report) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let header = [
        "machine",
        "line",
        "period",
        "period_start",
        "period_end",
        "shift_s",
        "planned_s",
        "break_s",
        "planned_stop_s",
        "no_data_s",
        "run_s",
        "down_s",
        "down_stopped_s",
        "down_idle_s",
        "down_setup_s",
        "down_fault_s",
        "down_by_reason",
        "micro_stops",
        "micro_stop_s",
        "parts_total",
        "parts_good",
        "parts_scrap",
        "ideal_s",
        "availability",
        "performance",
        "quality",
        "oee",
        "how_planned",
        "how_run",
        "how_no_data",
        "how_down",
        "how_parts",
        "how_quality",
        "how_availability",
        "how_performance",
        "how_oee",
    ];
    let _ = w.write_record(header);
    let stamp = |ms: i64| {
        jiff::Timestamp::from_millisecond(ms)
            .map(|t| t.to_string())
            .unwrap_or_default()
    };
    let mut line = |machine: &str, line: &str, p: &Period, f: &Figures| {
        let reasons = f
            .down_by_reason
            .iter()
            .map(|d| format!("{}={} s ({})", d.label, num(d.s), d.count))
            .collect::<Vec<_>>()
            .join("; ");
        let rec = vec![
            machine.to_string(),
            line.to_string(),
            p.key.clone(),
            stamp(p.start_ms),
            stamp(p.end_ms),
            num(f.shift_s),
            num(f.planned_s),
            num(f.break_s),
            num(f.planned_stop_s),
            num(f.no_data_s),
            num(f.run_s),
            num(f.down_s),
            num(f.down_by_state.stopped_s),
            num(f.down_by_state.idle_s),
            num(f.down_by_state.setup_s),
            num(f.down_by_state.fault_s),
            reasons,
            f.micro_stops.count.to_string(),
            num(f.micro_stops.s),
            f.parts_total.to_string(),
            f.parts_good.to_string(),
            f.parts_scrap.to_string(),
            f.ideal_s.map_or(String::new(), num),
            opt(f.availability),
            opt(f.performance),
            opt(f.quality),
            opt(f.oee),
            f.how.planned.clone(),
            f.how.run.clone(),
            f.how.no_data.clone(),
            f.how.down.clone(),
            f.how.parts.clone(),
            f.how.quality.clone(),
            f.how.availability.clone(),
            f.how.performance.clone(),
            f.how.oee.clone(),
        ];
        let _ = w.write_record(rec);
    };
    for row in &r.rows {
        line(
            &row.machine,
            row.line.as_deref().unwrap_or(""),
            &row.period,
            &row.figures,
        );
    }
    for t in r.lines.iter().chain(&r.plant) {
        let l = t.line.clone().unwrap_or_else(|| "(plant)".to_string());
        line("", &l, &t.period, &t.figures);
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_as_people_say_them() {
        assert_eq!(duration(0), "0 s");
        assert_eq!(duration(45 * 60_000), "45 min");
        assert_eq!(
            duration(7 * 3_600_000 + 30 * 60_000 + 12_000),
            "7 h 30 min 12 s"
        );
        assert_eq!(duration(12_345), "12.345 s");
        assert_eq!(dur_s(3_720_000), "1 h 2 min (3720 s)");
        assert_eq!(dur_s(18_055_200), "5 h 55.200 s (18055.2 s)");
        assert_eq!(ms_as_s(-500), "-0.5");
        assert_eq!(trim(2.4), "2.4");
        assert_eq!(percent(0.769_73), "76.97 %");
    }
}
