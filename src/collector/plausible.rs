//! Plausibility before trust: whether a tag's readings look like what a machine can
//! produce, and if not, the likely cause (word order, scale, signedness, a wrong
//! register). A test read judges its raw registers under each word order; the device
//! page judges the values a configured tag stored recently. One place decides, so the
//! two always agree.
//!
//! Pure functions only: nothing here reads a device or the database.

use serde::Serialize;

use super::decode;
use crate::config::{DataType, Order, Tag, TagRole};

/// Something about a tag's readings that looks wrong, with the likely cause.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Finding {
    /// A stable code: `not_a_number`, `huge_float`, `tiny_float`, `all_bits_set`,
    /// `implausible_temperature`, `counter_jump`, `counter_backwards`, `sign_flips`.
    pub code: &'static str,
    /// What looks wrong, with the numbers.
    pub message: String,
    /// The likely cause and what to try.
    pub cause: String,
    /// A word order under which the same registers look right, when one does.
    pub order: Option<Order>,
}

/// What is known about the tag's machine.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Context {
    /// The machine's ideal rate, parts per minute (from its ideal cycle time).
    pub ideal_per_min: Option<f64>,
}

/// One test read's registers and when they came.
#[derive(Debug, Clone, PartialEq)]
pub struct RawRead {
    pub ms: i64,
    pub words: Vec<u16>,
}

/// The word orders that give different values for a type: none for bits, the byte
/// swap for one-register types and text, all four for wider numbers.
pub fn orders_for(data_type: DataType) -> &'static [Order] {
    match data_type {
        DataType::Bool | DataType::Bit => &[],
        DataType::U16 | DataType::I16 | DataType::String => &[Order::Abcd, Order::Badc],
        _ => &[Order::Abcd, Order::Cdab, Order::Badc, Order::Dcba],
    }
}

/// The name of an order as configurations write it.
pub fn order_name(order: Order) -> &'static str {
    match order {
        Order::Abcd => "ABCD",
        Order::Cdab => "CDAB",
        Order::Badc => "BADC",
        Order::Dcba => "DCBA",
    }
}

/// Judges test reads of `tag` (oldest first, the newest last) under its own order; when
/// something looks wrong, tries the other orders and names one under which the same
/// registers look right.
pub fn judge_reads(tag: &Tag, reads: &[RawRead], ctx: &Context) -> Vec<Finding> {
    let mut findings = judge_values(tag, &decoded(tag, reads, tag.order), ctx);
    if findings.is_empty() {
        return findings;
    }
    let better = orders_for(tag.effective_type())
        .iter()
        .copied()
        .filter(|&o| o != tag.order)
        .find(|&o| {
            let values = decoded(tag, reads, o);
            !values.is_empty()
                && values.len() == reads.len()
                && judge_values(&with_order(tag, o), &values, ctx).is_empty()
        });
    if let Some(o) = better {
        let values = decoded(tag, reads, o);
        let shown = values
            .iter()
            .rev()
            .take(3)
            .rev()
            .map(|(_, v)| fmt(*v))
            .collect::<Vec<_>>()
            .join(", ");
        for f in &mut findings {
            f.order = Some(o);
            f.cause = format!(
                "Word order: read as {} the same registers give {shown}, which looks right; choose {} for this tag. {}",
                order_name(o),
                order_name(o),
                f.cause
            );
        }
    }
    findings
}

fn with_order(tag: &Tag, order: Order) -> Tag {
    let mut t = tag.clone();
    t.order = order;
    t
}

/// The reads decoded as `tag` in `order`; reads that decode to no number give NaN.
fn decoded(tag: &Tag, reads: &[RawRead], order: Order) -> Vec<(i64, f64)> {
    let t = with_order(tag, order);
    if t.is_text() {
        return Vec::new();
    }
    let dt = t.effective_type();
    reads
        .iter()
        .filter(|r| r.words.len() >= usize::from(dt.width(t.length)))
        .map(|r| {
            let v = decode::raw(&r.words, dt, order, t.bit.unwrap_or(0))
                .map_or(f64::NAN, |raw| raw * t.scale + t.offset);
            (r.ms, v)
        })
        .collect()
}

/// Bits of the raw number a type holds.
fn bits(dt: DataType) -> Option<u32> {
    match dt {
        DataType::U16 | DataType::I16 => Some(16),
        DataType::U32 | DataType::I32 => Some(32),
        DataType::U64 | DataType::I64 => Some(64),
        _ => None,
    }
}

fn is_signed(dt: DataType) -> bool {
    matches!(dt, DataType::I16 | DataType::I32 | DataType::I64)
}

fn is_temperature(tag: &Tag) -> bool {
    let unit = tag.unit.trim().to_lowercase();
    matches!(
        unit.as_str(),
        "°c" | "c" | "degc" | "deg c" | "°f" | "f" | "degf" | "k" | "°k"
    ) || tag.name.to_lowercase().contains("temp")
}

/// A number as people read it: 6553.5, 1636892909, 1e38.
fn fmt(v: f64) -> String {
    if !v.is_finite() {
        return if v.is_nan() {
            "NaN".into()
        } else {
            "infinity".into()
        };
    }
    if v != 0.0 && (v.abs() >= 1e15 || v.abs() < 1e-6) {
        return format!("{v:e}");
    }
    let rounded = (v * 1e6).round() / 1e6;
    format!("{rounded}")
}

/// Judges decoded values of `tag` (time in ms, oldest first): the newest one alone,
/// then the series.
pub fn judge_values(tag: &Tag, values: &[(i64, f64)], ctx: &Context) -> Vec<Finding> {
    let mut out = Vec::new();
    let Some(&(_, last)) = values.last() else {
        return out;
    };
    let dt = tag.effective_type();
    let unit = if tag.unit.is_empty() {
        String::new()
    } else {
        format!(" {}", tag.unit)
    };
    let is_float = matches!(dt, DataType::F32 | DataType::F64);
    if !last.is_finite() {
        out.push(Finding {
            code: "not_a_number",
            message: format!("The registers hold {} as a float: not a number.", fmt(last)),
            cause: "Wrong word order, or the register is not a float (try u32 or i32), or the wrong register.".into(),
            order: None,
        });
        return out;
    }
    let raw = if tag.scale != 0.0 {
        (last - tag.offset) / tag.scale
    } else {
        last
    };
    if is_float && raw.abs() >= 1e30 {
        out.push(Finding {
            code: "huge_float",
            message: format!("It reads {}{unit}, far beyond anything a machine measures.", fmt(last)),
            cause: "Most often the word order: the two registers of the float are swapped. Otherwise the register is not a float, or it is the wrong register.".into(),
            order: None,
        });
    } else if is_float && raw != 0.0 && raw.abs() < 1e-30 {
        out.push(Finding {
            code: "tiny_float",
            message: format!("It reads {}{unit}, a float too close to 0 to be a measurement.", fmt(last)),
            cause: "Most often the word order: the two registers of the float are swapped. Otherwise the register holds an integer, not a float.".into(),
            order: None,
        });
    }
    if let Some(b) = bits(dt) {
        let full = 2f64.powi(b as i32) - 1.0;
        let r = raw.round();
        let all_set = if is_signed(dt) { r == -1.0 } else { r == full };
        let half = 2f64.powi(b as i32 - 1);
        if all_set && b <= 32 {
            out.push(Finding {
                code: "all_bits_set",
                message: format!(
                    "It reads {}{unit}: every bit of the register{} is set (0x{}).",
                    fmt(last),
                    if b > 16 { "s" } else { "" },
                    "F".repeat((b / 4) as usize)
                ),
                cause: if is_signed(dt) {
                    "Devices send this for \"no value\" (a broken sensor, an unused input); or it is the wrong register.".into()
                } else {
                    format!(
                        "Devices send this for \"no value\" (a broken sensor, an unused input); or the value is signed: as i{b} it would read {}{unit}. Check the type, the sensor and the register.",
                        fmt(tag.offset - tag.scale)
                    )
                },
                order: None,
            });
        } else if !is_signed(dt) && r >= half && is_temperature(tag) {
            out.push(Finding {
                code: "implausible_temperature",
                message: format!("It reads {}{unit}, not a plausible temperature.", fmt(last)),
                cause: format!(
                    "The value is probably signed (a temperature below zero): as i{b} it would read {}{unit}. Choose type i{b}.",
                    fmt((r - 2.0 * half) * tag.scale + tag.offset)
                ),
                order: None,
            });
        }
    }
    if is_temperature(tag) && !out.iter().any(|f| f.code != "tiny_float") {
        let celsius = match tag.unit.trim().to_lowercase().as_str() {
            "°f" | "f" | "degf" => (last - 32.0) / 1.8,
            "k" | "°k" => last - 273.15,
            _ => last,
        };
        if !(-60.0..=1600.0).contains(&celsius) {
            out.push(Finding {
                code: "implausible_temperature",
                message: format!("It reads {}{unit}, not a plausible temperature.", fmt(last)),
                cause: if tag.scale == 1.0 {
                    "Probably the scale: many controllers send tenths of a degree (scale 0.1). Otherwise the wrong register or the word order.".into()
                } else {
                    "Check the scale (tenths: 0.1, hundredths: 0.01), the word order and the register.".into()
                },
                order: None,
            });
        }
    }
    judge_series(tag, values, ctx, &unit, &mut out);
    out
}

fn judge_series(
    tag: &Tag,
    values: &[(i64, f64)],
    ctx: &Context,
    unit: &str,
    out: &mut Vec<Finding>,
) {
    if values.len() < 2 {
        return;
    }
    let dt = tag.effective_type();
    let counter = matches!(tag.role, Some(TagRole::Count | TagRole::Scrap));
    if counter {
        // With the words swapped, each part moves the raw counter by 65,536 exactly.
        if dt.width(None) >= 2 && tag.scale != 0.0 {
            let steps: Vec<f64> = values
                .windows(2)
                .map(|w| ((w[1].1 - w[0].1) / tag.scale).round())
                .filter(|d| d.is_finite() && *d != 0.0)
                .collect();
            if !steps.is_empty() && steps.iter().all(|d| d % 65_536.0 == 0.0) {
                out.push(Finding {
                    code: "counter_jump",
                    message: format!(
                        "The counter moves in steps of 65,536 (from {} to {}): one part looks like 65,536.",
                        fmt(values[0].1),
                        fmt(values[values.len() - 1].1)
                    ),
                    cause: counter_cause(dt),
                    order: None,
                });
                return;
            }
        }
        let range = bits(dt).map(|b| 2f64.powi(b as i32) * tag.scale.abs());
        for w in values.windows(2) {
            let ((t0, v0), (t1, v1)) = (w[0], w[1]);
            if !v0.is_finite() || !v1.is_finite() {
                continue;
            }
            let dv = v1 - v0;
            let secs = ((t1 - t0).max(0) as f64 / 1000.0).max(0.001);
            if let Some(range) = range
                && dv.abs() > range / 2.0
            {
                out.push(Finding {
                    code: "counter_jump",
                    message: format!(
                        "The counter moved from {} to {} in {} s, over half of what the {} can hold.",
                        fmt(v0),
                        fmt(v1),
                        fmt((secs * 10.0).round() / 10.0),
                        dt.name()
                    ),
                    cause: counter_cause(dt),
                    order: None,
                });
                return;
            }
            if let Some(per_min) = ctx.ideal_per_min
                && dv > 0.0
            {
                let plausible = per_min * 10.0 * secs / 60.0;
                if dv > plausible.max(1.0) {
                    out.push(Finding {
                        code: "counter_jump",
                        message: format!(
                            "The counter went up by {} in {} s; the machine's ideal rate is {} a minute, so at most {} would be plausible.",
                            fmt(dv),
                            fmt((secs * 10.0).round() / 10.0),
                            fmt((per_min * 10.0).round() / 10.0),
                            fmt(plausible.max(1.0).floor())
                        ),
                        cause: counter_cause(dt),
                        order: None,
                    });
                    return;
                }
            }
            if dv < 0.0 && v1 != 0.0 {
                out.push(Finding {
                    code: "counter_backwards",
                    message: format!(
                        "The counter went back from {} to {} (a reset goes to 0).",
                        fmt(v0),
                        fmt(v1)
                    ),
                    cause: counter_cause(dt),
                    order: None,
                });
                return;
            }
        }
    }
    if values.len() >= 3 {
        let flips = values.windows(2).all(|w| {
            let (a, b) = (w[0].1, w[1].1);
            a != 0.0 && b != 0.0 && (a < 0.0) != (b < 0.0)
        });
        if flips {
            let shown = values
                .iter()
                .rev()
                .take(4)
                .rev()
                .map(|(_, v)| format!("{}{unit}", fmt(*v)))
                .collect::<Vec<_>>()
                .join(", ");
            out.push(Finding {
                code: "sign_flips",
                message: format!("The value changes sign at every read: {shown}."),
                cause: if dt.width(None) >= 2 {
                    "Most often the word order (the changing low word is read as the high word) or signedness (an unsigned value read as signed).".into()
                } else {
                    "Most often signedness (an unsigned value read as signed: try u16) or the wrong register.".into()
                },
                order: None,
            });
        }
    }
}

fn counter_cause(dt: DataType) -> String {
    if dt.width(None) >= 2 {
        "Most often the word order: with the two registers swapped, every part moves the counter by 65,536. Compare the orders in the test read and pick the one that counts up by a few parts. Otherwise the wrong register or the scale.".into()
    } else {
        "Check the register (a neighbouring one may be the counter) and the scale.".into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::collector::commission::adhoc_tag;
    use crate::config::RegisterKind;

    fn tag(dt: DataType, order: Order) -> Tag {
        adhoc_tag(RegisterKind::Holding, 0, dt, order, None, None)
    }

    fn counter(order: Order) -> Tag {
        let mut t = tag(DataType::U32, order);
        t.role = Some(TagRole::Count);
        t
    }

    /// A u32 counter of `n` parts on the wire, high word first.
    fn wire(n: u32) -> Vec<u16> {
        vec![(n >> 16) as u16, n as u16]
    }

    #[test]
    fn a_counter_in_the_wrong_word_order_jumps_and_the_right_order_is_named() {
        // Issue 9: a CDAB counter copied onto an ABCD device. 1,000 parts then 3 more in
        // 2 s, read with the words swapped: each part is 65,536.
        let reads = vec![
            RawRead {
                ms: 0,
                words: wire(1000),
            },
            RawRead {
                ms: 2000,
                words: wire(1003),
            },
        ];
        let ctx = Context {
            ideal_per_min: Some(60.0),
        };
        let f = judge_reads(&counter(Order::Cdab), &reads, &ctx);
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(f[0].code, "counter_jump");
        assert_eq!(f[0].order, Some(Order::Abcd));
        assert!(f[0].cause.contains("1000, 1003"), "{}", f[0].cause);
        assert!(
            f[0].message
                .contains("steps of 65,536 (from 65536000 to 65732608)"),
            "{}",
            f[0].message
        );
        // The right order passes.
        assert!(judge_reads(&counter(Order::Abcd), &reads, &ctx).is_empty());
    }

    #[test]
    fn a_swapped_counter_is_seen_without_an_ideal_rate() {
        // 10 parts a second, as the pymodbus peer's counter counts, read in CDAB.
        let reads: Vec<RawRead> = [50u32, 60, 70]
            .iter()
            .enumerate()
            .map(|(i, &n)| RawRead {
                ms: i as i64 * 1000,
                words: wire(n),
            })
            .collect();
        let f = judge_reads(&counter(Order::Cdab), &reads, &Context::default());
        assert_eq!(f.len(), 1, "{f:?}");
        assert!(f[0].message.contains("steps of 65,536"), "{}", f[0].message);
        assert_eq!(f[0].order, Some(Order::Abcd));
        assert!(judge_reads(&counter(Order::Abcd), &reads, &Context::default()).is_empty());
    }

    #[test]
    fn a_jump_over_half_the_range_is_flagged_without_an_ideal_rate() {
        let f = judge_values(
            &counter(Order::Abcd),
            &[(0, 10.0), (1000, 3_000_000_000.0)],
            &Context::default(),
        );
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].code, "counter_jump");
        assert!(f[0].message.contains("over half"), "{}", f[0].message);
        // Ten times the ideal rate is the limit: 60/min over 10 s is 100 parts.
        let ctx = Context {
            ideal_per_min: Some(60.0),
        };
        assert!(judge_values(&counter(Order::Abcd), &[(0, 0.0), (10_000, 100.0)], &ctx).is_empty());
        assert_eq!(
            judge_values(&counter(Order::Abcd), &[(0, 0.0), (10_000, 101.0)], &ctx)[0].code,
            "counter_jump"
        );
    }

    #[test]
    fn a_counter_going_back_is_flagged_but_a_reset_to_zero_is_not() {
        let t = counter(Order::Abcd);
        let ctx = Context::default();
        assert!(judge_values(&t, &[(0, 500.0), (1000, 0.0)], &ctx).is_empty());
        assert_eq!(
            judge_values(&t, &[(0, 500.0), (1000, 20.0)], &ctx)[0].code,
            "counter_backwards"
        );
    }

    #[test]
    fn a_temperature_of_6553_5_says_all_bits_and_signedness() {
        let mut t = tag(DataType::U16, Order::Abcd);
        t.scale = 0.1;
        t.unit = "°C".into();
        let f = judge_reads(
            &t,
            &[RawRead {
                ms: 0,
                words: vec![0xFFFF],
            }],
            &Context::default(),
        );
        assert_eq!(f[0].code, "all_bits_set", "{f:?}");
        assert!(f[0].message.contains("6553.5 °C"), "{}", f[0].message);
        assert!(
            f[0].cause.contains("as i16 it would read -0.1 °C"),
            "{}",
            f[0].cause
        );
        // A negative temperature read as unsigned: 0xFFF6 is -1.0 °C.
        let f = judge_values(&t, &[(0, 6552.6)], &Context::default());
        assert_eq!(f[0].code, "implausible_temperature");
        assert!(f[0].cause.contains("-1 °C"), "{}", f[0].cause);
        // 21.5 °C is fine.
        assert!(judge_values(&t, &[(0, 21.5)], &Context::default()).is_empty());
        // 215 °C read without the scale of a controller in tenths is still plausible,
        // 2150 °C is not.
        t.scale = 1.0;
        let f = judge_values(&t, &[(0, 2150.0)], &Context::default());
        assert_eq!(f[0].code, "implausible_temperature");
        assert!(f[0].cause.contains("scale 0.1"), "{}", f[0].cause);
    }

    #[test]
    fn floats_that_are_nan_or_huge_name_the_order_that_reads_right() {
        // 230.5 as f32 is 0x43668000; with the words swapped it is 0x8000_4366, a tiny
        // negative number; 1e38-ish and NaN come from other swaps.
        let t = tag(DataType::F32, Order::Cdab);
        let f = judge_reads(
            &t,
            &[RawRead {
                ms: 0,
                words: vec![0x4366, 0x8000],
            }],
            &Context::default(),
        );
        assert_eq!(f[0].code, "tiny_float", "{f:?}");
        assert_eq!(f[0].order, Some(Order::Abcd));
        assert!(f[0].cause.contains("give 230.5"), "{}", f[0].cause);
        let nan = judge_values(&t, &[(0, f64::NAN)], &Context::default());
        assert_eq!(nan[0].code, "not_a_number");
        let huge = judge_values(&t, &[(0, 1e38)], &Context::default());
        assert_eq!(huge[0].code, "huge_float");
        assert!(judge_values(&t, &[(0, 230.5)], &Context::default()).is_empty());
    }

    #[test]
    fn a_value_flipping_sign_every_read_is_flagged() {
        let t = tag(DataType::I32, Order::Abcd);
        let f = judge_values(&t, &[(0, 5.0), (1, -7.0), (2, 6.0)], &Context::default());
        assert_eq!(f[0].code, "sign_flips");
        assert!(f[0].message.contains("5, -7, 6"), "{}", f[0].message);
        assert!(
            judge_values(&t, &[(0, 5.0), (1, -7.0), (2, -6.0)], &Context::default()).is_empty()
        );
    }

    #[test]
    fn orders_follow_the_width_of_the_type() {
        assert!(orders_for(DataType::Bool).is_empty());
        assert_eq!(orders_for(DataType::U16), &[Order::Abcd, Order::Badc]);
        assert_eq!(orders_for(DataType::F32).len(), 4);
    }
}
