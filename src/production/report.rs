//! Production figures as people read them: per machine and period, every figure with
//! how it was computed (which times, which counts), lines and the plant added up, as
//! JSON (the API and `plantlog production report`) and CSV.

use serde::Serialize;

use super::calendar::{By, Calendar, Period};
use super::compute::{DOWN_STATES, Tally};
use super::counter::CounterEvent;
use super::records::Reasons;

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

/// "7 h 30 min 12 s", "45 min", "12.345 s", "0 s".
pub fn duration(ms: i64) -> String {
    if ms == 0 {
        return "0 s".to_string();
    }
    let neg = ms < 0;
    let ms = ms.abs();
    let (h, m, s, frac) = (ms / 3_600_000, ms / 60_000 % 60, ms / 1000 % 60, ms % 1000);
    let mut parts = Vec::new();
    if h > 0 {
        parts.push(format!("{h} h"));
    }
    if m > 0 {
        parts.push(format!("{m} min"));
    }
    if frac > 0 {
        parts.push(format!("{s}.{frac:03} s"));
    } else if s > 0 {
        parts.push(format!("{s} s"));
    }
    format!("{}{}", if neg { "−" } else { "" }, parts.join(" "))
}

/// A duration with its exact seconds: "1 h 2 min (3720 s)".
fn dur_s(ms: i64) -> String {
    let s = secs(ms);
    if ms.abs() < 60_000 {
        duration(ms)
    } else {
        format!("{} ({} s)", duration(ms), trim(s))
    }
}

fn trim(x: f64) -> String {
    let s = format!("{x:.3}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// "76.97 %".
pub fn percent(x: f64) -> String {
    format!("{:.2} %", x * 100.0)
}

fn pct(x: Option<f64>) -> String {
    x.map_or_else(|| "no value".to_string(), percent)
}

/// The figures of a tally, with how each was computed. `micro_s`: the micro-stop
/// threshold (for one machine).
pub fn figures(t: &Tally, cal: &Calendar, reasons: &Reasons, micro_ms: Option<i64>) -> Figures {
    let label = |id: Option<i64>| match id.and_then(|i| reasons.get(i)) {
        Some(r) => r.label(),
        None if id.is_some() => format!("reason {}", id.unwrap_or_default()),
        None => "Not explained".to_string(),
    };
    let span = |a: i64, b: i64| format!("{}–{}", cal.clock(a), cal.clock(b));
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
        let shifts = if merged {
            format!("{} machine-periods", t.notes.merged)
        } else {
            t.notes
                .shifts
                .iter()
                .map(|(n, a, b)| format!("{n} {}", span(*a, *b)))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let breaks = if t.notes.breaks.is_empty() || merged {
            String::new()
        } else {
            format!(
                " ({})",
                t.notes
                    .breaks
                    .iter()
                    .map(|(a, b)| span(*a, *b))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        };
        let stops = if t.notes.planned_stops.is_empty() || merged {
            String::new()
        } else {
            format!(
                " ({})",
                t.notes
                    .planned_stops
                    .iter()
                    .map(|(a, b, r)| format!("{} {}", span(*a, *b), label(*r)))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        };
        format!(
            "Shift time {} [{shifts}] − breaks {}{breaks} − planned stops {}{stops} = {} planned production time.",
            dur_s(t.shift_ms),
            dur_s(t.break_ms),
            dur_s(t.planned_stop_ms),
            dur_s(t.planned_ms)
        )
    };
    let run = format!(
        "Time in a running state within planned production time: {}.",
        dur_s(t.run_ms)
    );
    let no_data = if t.no_data_ms == 0 {
        "None: the machine's state was known throughout planned production time.".to_string()
    } else {
        let where_ = if merged || t.notes.no_data.is_empty() {
            String::new()
        } else {
            format!(
                " ({}{})",
                t.notes
                    .no_data
                    .iter()
                    .map(|(a, b)| span(*a, *b))
                    .collect::<Vec<_>>()
                    .join(", "),
                if t.notes.no_data.len() >= 6 {
                    ", …"
                } else {
                    ""
                }
            )
        };
        format!(
            "{} of planned production time without a known state{where_}: the device did not answer, Plantlog was not running, or the state value is not in the machine's state map. Counted neither as running nor as down.",
            dur_s(t.no_data_ms)
        )
    };
    let by_state: Vec<String> = DOWN_STATES
        .iter()
        .zip(t.down_by_state)
        .filter(|(_, ms)| *ms > 0)
        .map(|(k, ms)| format!("{} {}", format!("{k:?}").to_lowercase(), duration(ms)))
        .collect();
    let unexplained = t.by_reason.get(&None).map_or(0, |e| e.0);
    let down = format!(
        "Planned {} − run {} − no data {} = {}{}; {} micro-stop{}{} ({}); not explained {}.",
        duration(t.planned_ms),
        duration(t.run_ms),
        duration(t.no_data_ms),
        dur_s(t.down_ms),
        if by_state.is_empty() {
            String::new()
        } else {
            format!(": {}", by_state.join(", "))
        },
        t.micro_count,
        if t.micro_count == 1 { "" } else { "s" },
        micro_ms.map_or(String::new(), |m| format!(
            " (stop parts under {})",
            duration(m)
        )),
        duration(t.micro_ms),
        duration(unexplained),
    );
    let events: Vec<String> = t
        .events
        .iter()
        .take(6)
        .map(|e| {
            format!(
                "{}{} at {} ({} → {}, counted {})",
                if e.scrap { "scrap counter " } else { "" },
                e.kind.replace('_', " "),
                cal.clock(e.ts),
                e.previous,
                e.value,
                e.counted
            )
        })
        .collect();
    let parts = format!(
        "{} parts: the increases of the part counter between consecutive good samples, each counted in the period of the later sample (also outside planned production time){}.",
        t.parts,
        if events.is_empty() {
            String::new()
        } else {
            format!("; {}", events.join("; "))
        }
    );
    let scrap_notes: Vec<String> = t
        .notes
        .scrap
        .iter()
        .map(|(ts, n, r, by)| {
            format!(
                "{n} at {} by {by}{}",
                cal.clock(*ts),
                r.and_then(|i| reasons.get(i))
                    .map_or(String::new(), |r| format!(" ({})", r.label()))
            )
        })
        .collect();
    let quality = match t.quality() {
        Some(q) => format!(
            "Good {} / total {} = {}; scrap {} = counter {} + entered {}{}.",
            t.good(),
            t.parts,
            percent(q),
            t.scrap(),
            t.scrap_counted,
            t.scrap_entered,
            if scrap_notes.is_empty() {
                String::new()
            } else {
                format!(" ({})", scrap_notes.join(", "))
            }
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
            dur_s(t.run_ms),
            duration(t.planned_ms),
            duration(t.no_data_ms),
            dur_s(den),
            percent(a)
        ),
        None => "Planned production time less no-data time is 0, so availability has no value."
            .to_string(),
    };
    let ideal_terms: Vec<String> = t
        .ideal
        .iter()
        .map(|(c, n)| format!("{} s × {n} parts", trim(*c as f64 / 1000.0)))
        .collect();
    let performance = match (t.ideal_ms(), t.performance()) {
        (Some(i), Some(p)) => format!(
            "Ideal time {} = {} / run {} = {} (not capped at 100 %).",
            dur_s(i),
            if ideal_terms.is_empty() {
                "0 parts".to_string()
            } else {
                ideal_terms.join(" + ")
            },
            dur_s(t.run_ms),
            percent(p)
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
            pct(t.availability()),
            pct(t.performance()),
            pct(t.quality()),
            percent(o)
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
        assert_eq!(percent(0.769_73), "76.97 %");
    }
}
