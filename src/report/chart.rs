//! Charts drawn with plotters: bars, a Pareto (bars largest first with the cumulative
//! share as a line), and a state timeline. The same drawing goes to SVG (placed in the
//! PDF as vectors) and to PNG (written beside it).

use plotters::coord::Shift;
use plotters::prelude::*;

use super::{Chart, Lang, RenderError, State, StateRow, fonts};
use crate::i18n::t;

/// The chart's size in pixels (SVG user units; the PDF scales it to the text width).
pub const SIZE: (u32, u32) = (900, 340);

thread_local! {
    /// The family charts draw text in: DejaVu ("sans-serif"), or for a PNG with
    /// Chinese text the PC's CJK font (plotters' bitmap backend has no fallback).
    static FONT: std::cell::Cell<&'static str> = const { std::cell::Cell::new("sans-serif") };
}

fn font() -> &'static str {
    FONT.with(|f| f.get())
}

/// Runs `f` with charts drawing in the PC's CJK font when `c` has Chinese text and
/// the font has Latin letters too (plotters' bitmap backend has no fallback; in SVG
/// it spares usvg a fallback per character), else in DejaVu.
fn in_font<T>(c: &Chart, lang: Lang, f: impl FnOnce() -> T) -> T {
    let family = fonts::cjk_family()
        .filter(|_| has_cjk(c, lang) && fonts::cjk_has_latin() && fonts::register_cjk());
    if let Some(name) = family {
        FONT.with(|x| x.set(name));
    }
    let out = f();
    FONT.with(|x| x.set("sans-serif"));
    out
}

/// Whether the chart has CJK text to draw.
fn has_cjk(c: &Chart, lang: Lang) -> bool {
    let names: Vec<&str> = match c {
        Chart::Bars { labels, .. } | Chart::Pareto { labels, .. } => {
            labels.iter().map(String::as_str).collect()
        }
        Chart::Timeline { rows, .. } => rows.iter().map(|r| r.0.as_str()).collect(),
        _ => Vec::new(),
    };
    lang == Lang::Zh || fonts::has_cjk(c.title()) || names.iter().any(|n| fonts::has_cjk(n))
}
const AXIS: RGBColor = RGBColor(60, 60, 60);
const BAR: RGBColor = RGBColor(47, 111, 176);
const LINE: RGBColor = RGBColor(214, 96, 40);

pub fn colour(s: State) -> RGBColor {
    match s {
        State::Running => RGBColor(46, 160, 67),
        State::Idle => RGBColor(236, 186, 42),
        State::Setup => RGBColor(70, 130, 220),
        State::Stopped => RGBColor(240, 130, 40),
        State::Fault => RGBColor(210, 45, 45),
        State::NoData => RGBColor(215, 215, 215),
    }
}

/// Shortens a label to `n` characters with an ellipsis.
fn short(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(n - 1).collect();
        t.push('…');
        t
    }
}

type Res<E> = Result<(), DrawingAreaErrorKind<E>>;

fn bars<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    title: &str,
    unit: &str,
    labels: &[String],
    values: &[f64],
    pareto: bool,
    lang: Lang,
) -> Res<DB::ErrorType> {
    let n = labels.len().max(1);
    let max = values.iter().cloned().fold(0.0, f64::max);
    let top = if max > 0.0 { max * 1.1 } else { 1.0 };
    let every = n.div_ceil(16).max(1);
    let mut b = ChartBuilder::on(root);
    b.caption(title, (font(), 20))
        .margin(10)
        .x_label_area_size(40)
        .y_label_area_size(60);
    if pareto {
        b.right_y_label_area_size(50);
    }
    // A lone bar stands in the middle of three slots, a third of the plot wide (on a
    // range of one slot plotters would draw it as a sliver at the edge).
    let (slots, off) = if n == 1 { (3, 1) } else { (n, 0) };
    let x = (0..slots - 1).into_segmented();
    let chart = b.build_cartesian_2d(x.clone(), 0.0..top)?;
    let label = |v: &SegmentValue<usize>| match v {
        SegmentValue::CenterOf(i) if *i >= off && (i - off) % every == 0 => labels
            .get(i - off)
            .map(|l| {
                // Many days: "11-26" rather than "2026-11-26".
                let is_date = l.len() == 10 && l.as_bytes()[4] == b'-' && l.as_bytes()[7] == b'-';
                if n > 8 && is_date {
                    l[5..].to_string()
                } else {
                    short(l, if n > 8 { 10 } else { 16 })
                }
            })
            .unwrap_or_default(),
        _ => String::new(),
    };
    let whole = |v: &f64| format!("{v:.0}");
    // The mesh and bars of the primary axes (the secondary's labels go right).
    macro_rules! primary {
        ($chart:expr) => {{
            $chart
                .configure_mesh()
                .disable_x_mesh()
                .y_max_light_lines(1)
                .light_line_style(RGBColor(238, 238, 238))
                .y_desc(unit)
                .x_labels(slots.min(40))
                .x_label_formatter(&label)
                .y_label_formatter(&whole)
                .label_style((font(), 12).into_font().color(&AXIS))
                .axis_desc_style((font(), 13))
                .draw()?;
            // A bar of nothing is not drawn (a rectangle of no height).
            $chart.draw_series(values.iter().enumerate().filter(|(_, v)| **v > 0.0).map(
                |(i, v)| {
                    let mut r = Rectangle::new(
                        [
                            (SegmentValue::Exact(i + off), 0.0),
                            (SegmentValue::Exact(i + off + 1), *v),
                        ],
                        BAR.filled(),
                    );
                    r.set_margin(0, 0, 4, 4);
                    r
                },
            ))?;
        }};
    }
    if pareto {
        let total: f64 = values.iter().sum();
        let mut chart = chart.set_secondary_coord(x, 0.0..100.0);
        primary!(chart);
        chart
            .configure_secondary_axes()
            .y_desc(t(lang, "report-chart-cumulative"))
            .y_label_formatter(&whole)
            .label_style((font(), 12).into_font().color(&AXIS))
            .axis_desc_style((font(), 13))
            .draw()?;
        let mut cum = 0.0;
        let pts: Vec<_> = values
            .iter()
            .enumerate()
            .map(|(i, v)| {
                cum += v;
                (
                    SegmentValue::CenterOf(i + off),
                    if total > 0.0 {
                        cum / total * 100.0
                    } else {
                        0.0
                    },
                )
            })
            .collect();
        // A line needs two points (one reason alone is its dot).
        if pts.len() > 1 {
            chart.draw_secondary_series(LineSeries::new(pts.clone(), LINE.stroke_width(2)))?;
        }
        chart.draw_secondary_series(pts.into_iter().map(|p| Circle::new(p, 4, LINE.filled())))?;
    } else {
        let mut chart = chart;
        primary!(chart);
    }
    root.present()
}

fn timeline<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    title: &str,
    from: i64,
    to: i64,
    rows: &[StateRow],
    tz: &jiff::tz::TimeZone,
    lang: Lang,
) -> Res<DB::ErrorType> {
    let (main, legend) = root.split_vertically(SIZE.1 - 34);
    let n = rows.len().max(1);
    // A lone machine's row stands in the middle of three, as a lone bar does.
    let (slots, off) = if n == 1 { (3, 1) } else { (n, 0) };
    let to = to.max(from + 1);
    let mut chart = ChartBuilder::on(&main)
        .caption(title, (font(), 20))
        .margin(10)
        .x_label_area_size(30)
        .y_label_area_size(130)
        .margin_right(24)
        .build_cartesian_2d(
            0.0..(to - from) as f64 / 3_600_000.0,
            (0..slots - 1).into_segmented(),
        )?;
    // Hours since the start: the ticks fall on whole hours when the range starts on one.
    let h = |ms: i64| (ms - from) as f64 / 3_600_000.0;
    let hour = |x: &f64| {
        let t = super::local(from + (x * 3_600_000.0).round() as i64, tz);
        t.get(11..).unwrap_or("").to_string()
    };
    let name = |v: &SegmentValue<usize>| match v {
        SegmentValue::CenterOf(i) if *i >= off && i - off < n => rows
            .get(n - 1 - (i - off))
            .map(|r| short(&r.0, 18))
            .unwrap_or_default(),
        _ => String::new(),
    };
    chart
        .configure_mesh()
        .disable_y_mesh()
        .light_line_style(RGBColor(235, 235, 235))
        .x_labels(10)
        .x_label_formatter(&hour)
        .y_labels(slots)
        .y_label_formatter(&name)
        .label_style((font(), 12).into_font().color(&AXIS))
        .draw()?;
    for (i, (_, segs)) in rows.iter().enumerate() {
        let y = n - 1 - i + off;
        // A state shorter than a pixel is not drawn (it would be a rectangle of no width).
        let px = (to - from) / 700;
        chart.draw_series(segs.iter().filter(|(a, b, _)| b - a > px).map(|(a, b, s)| {
            let mut r = Rectangle::new(
                [
                    (h(*a), SegmentValue::Exact(y)),
                    (h(*b), SegmentValue::Exact(y + 1)),
                ],
                colour(*s).filled(),
            );
            r.set_margin(5, 5, 0, 0);
            r
        }))?;
    }
    let states = [
        State::Running,
        State::Idle,
        State::Setup,
        State::Stopped,
        State::Fault,
        State::NoData,
    ];
    let mut x = 140;
    for s in states {
        legend.draw(&Rectangle::new([(x, 8), (x + 14, 22)], colour(s).filled()))?;
        let label = s.label(lang);
        legend.draw(&Text::new(
            label.as_str(),
            (x + 19, 8),
            (font(), 13).into_font().color(&AXIS),
        ))?;
        x += 26 + fonts::width(&label, 13.0 * 0.75, false) as i32 * 4 / 3 + 14;
    }
    root.present()
}

/// A tag's mean per period as a line, with its minimum and maximum as thin lines.
fn line<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    title: &str,
    unit: &str,
    from: i64,
    to: i64,
    points: &[(i64, f64, f64, f64)],
    tz: &jiff::tz::TimeZone,
) -> Res<DB::ErrorType> {
    let to = to.max(from + 1);
    let lo = points.iter().map(|p| p.1).fold(f64::INFINITY, f64::min);
    let hi = points.iter().map(|p| p.3).fold(f64::NEG_INFINITY, f64::max);
    let (lo, hi) = if lo.is_finite() && hi.is_finite() {
        let pad = ((hi - lo) * 0.08).max(hi.abs() * 0.01).max(0.01);
        (lo - pad, hi + pad)
    } else {
        (0.0, 1.0)
    };
    let span_h = (to - from) as f64 / 3_600_000.0;
    let mut chart = ChartBuilder::on(root)
        .caption(title, (font(), 20))
        .margin(10)
        .margin_right(24)
        .x_label_area_size(30)
        .y_label_area_size(60)
        .build_cartesian_2d(0.0..span_h, lo..hi)?;
    let h = |ms: i64| (ms - from) as f64 / 3_600_000.0;
    // Under two days: clock times; longer: dates.
    let when = |x: &f64| {
        let t = super::local(from + (x * 3_600_000.0).round() as i64, tz);
        if span_h <= 48.0 {
            t.get(11..).unwrap_or("").to_string()
        } else {
            t.get(5..10).unwrap_or("").to_string()
        }
    };
    let decimals = if hi - lo >= 20.0 {
        0
    } else if hi - lo >= 2.0 {
        1
    } else {
        2
    };
    let value = |v: &f64| format!("{v:.decimals$}");
    chart
        .configure_mesh()
        .light_line_style(RGBColor(238, 238, 238))
        .x_labels(10)
        .x_label_formatter(&when)
        .y_labels(8)
        .y_label_formatter(&value)
        .y_desc(unit)
        .label_style((font(), 12).into_font().color(&AXIS))
        .axis_desc_style((font(), 13))
        .draw()?;
    let pale = RGBColor(150, 180, 215);
    // Lines need two points; a period alone shows as its mark below.
    if points.len() > 1 {
        chart.draw_series(LineSeries::new(
            points.iter().map(|p| (h(p.0), p.1)),
            pale.stroke_width(1),
        ))?;
        chart.draw_series(LineSeries::new(
            points.iter().map(|p| (h(p.0), p.3)),
            pale.stroke_width(1),
        ))?;
        chart.draw_series(LineSeries::new(
            points.iter().map(|p| (h(p.0), p.2)),
            BAR.stroke_width(2),
        ))?;
    }
    // A mark on each mean, so a period alone (no neighbour to join) shows too.
    chart.draw_series(
        points
            .iter()
            .map(|p| Circle::new((h(p.0), p.2), 3, BAR.filled())),
    )?;
    root.present()
}

/// A control chart: the values joined in order, the center line, the control limits
/// dashed, the spec limits dotted, and the flagged points in red.
fn control<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    c: &Chart,
    lang: Lang,
) -> Res<DB::ErrorType> {
    let Chart::Control {
        title,
        unit,
        values,
        first,
        limits,
        spec,
        flagged,
    } = c
    else {
        return Ok(());
    };
    let (first, limits, spec) = (*first, *limits, *spec);
    let (main, legend) = root.split_vertically(SIZE.1 - 30);
    let mut all: Vec<f64> = values.to_vec();
    if let Some((c, l, u)) = limits {
        all.extend([c, l, u]);
    }
    all.extend(spec.0);
    all.extend(spec.1);
    let lo = all.iter().cloned().fold(f64::INFINITY, f64::min);
    let hi = all.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
    let (lo, hi) = if lo.is_finite() && hi.is_finite() {
        let pad = ((hi - lo) * 0.08).max(hi.abs() * 0.001).max(1e-6);
        (lo - pad, hi + pad)
    } else {
        (0.0, 1.0)
    };
    let n = values.len().max(1);
    // Values are numbered from `first`; x is that number.
    let x_of = |i: usize| (i + first) as f64;
    let (x0, x1) = (first as f64 - 0.5, (n + first) as f64 - 0.5);
    let mut chart = ChartBuilder::on(&main)
        .caption(title, (font(), 20))
        .margin(10)
        .margin_right(24)
        .x_label_area_size(30)
        .y_label_area_size(70)
        .build_cartesian_2d(x0..x1, lo..hi)?;
    let span = hi - lo;
    let decimals = if span >= 20.0 {
        0
    } else if span >= 2.0 {
        1
    } else if span >= 0.2 {
        2
    } else {
        3
    };
    let value = |v: &f64| format!("{v:.decimals$}");
    let whole = |v: &f64| {
        if (v - v.round()).abs() < 1e-9 && *v >= 1.0 {
            format!("{v:.0}")
        } else {
            String::new()
        }
    };
    chart
        .configure_mesh()
        .light_line_style(RGBColor(238, 238, 238))
        .x_labels(n.min(20))
        .x_label_formatter(&whole)
        .y_labels(8)
        .y_label_formatter(&value)
        .y_desc(unit)
        .label_style((font(), 12).into_font().color(&AXIS))
        .axis_desc_style((font(), 13))
        .draw()?;
    let centre = RGBColor(46, 140, 67);
    let limit = RGBColor(200, 40, 40);
    let spec_colour = RGBColor(236, 150, 30);
    let dashed = |y: f64, c: RGBColor, dash: f64| {
        // Dashes as short segments (plotters' dashed series is not in every backend).
        let mut segs = Vec::new();
        let mut x = x0;
        while x < x1 {
            segs.push(PathElement::new(
                vec![(x, y), ((x + dash).min(x1), y)],
                c.stroke_width(2),
            ));
            x += dash * 2.0;
        }
        segs
    };
    let dash = (x1 - x0) / 80.0;
    if let Some((c, l, u)) = limits {
        chart.draw_series(std::iter::once(PathElement::new(
            vec![(x0, c), (x1, c)],
            centre.stroke_width(2),
        )))?;
        chart.draw_series(dashed(l, limit, dash))?;
        chart.draw_series(dashed(u, limit, dash))?;
    }
    for s in [spec.0, spec.1].into_iter().flatten() {
        chart.draw_series(dashed(s, spec_colour, dash / 3.0))?;
    }
    chart.draw_series(LineSeries::new(
        values.iter().enumerate().map(|(i, v)| (x_of(i), *v)),
        BAR.stroke_width(2),
    ))?;
    chart.draw_series(values.iter().enumerate().map(|(i, v)| {
        if flagged.contains(&i) {
            Circle::new((x_of(i), *v), 6, limit.filled())
        } else {
            Circle::new((x_of(i), *v), 3, BAR.filled())
        }
    }))?;
    let items: [(String, RGBColor, bool, bool); 4] = [
        (
            t(lang, "report-legend-center"),
            centre,
            limits.is_some(),
            false,
        ),
        (
            t(lang, "report-legend-limits"),
            limit,
            limits.is_some(),
            false,
        ),
        (
            t(lang, "report-legend-spec"),
            spec_colour,
            spec.0.is_some() || spec.1.is_some(),
            false,
        ),
        (
            t(lang, "report-legend-rule"),
            limit,
            !flagged.is_empty(),
            true,
        ),
    ];
    let mut x = 80;
    for (label, c, shown, dot) in items {
        if !shown {
            continue;
        }
        if dot {
            legend.draw(&Circle::new((x + 7, 14), 6, c.filled()))?;
        } else {
            legend.draw(&PathElement::new(
                vec![(x, 14), (x + 18, 14)],
                c.stroke_width(3),
            ))?;
        }
        legend.draw(&Text::new(
            label.as_str(),
            (x + 24, 7),
            (font(), 13).into_font().color(&AXIS),
        ))?;
        x += 36 + fonts::width(&label, 13.0 * 0.75, false) as i32 * 4 / 3 + 14;
    }
    root.present()
}

fn draw<DB: DrawingBackend>(
    root: DrawingArea<DB, Shift>,
    c: &Chart,
    tz: &jiff::tz::TimeZone,
    lang: Lang,
) -> Res<DB::ErrorType> {
    root.fill(&WHITE)?;
    match c {
        Chart::Bars {
            title,
            unit,
            labels,
            values,
        } => bars(&root, title, unit, labels, values, false, lang),
        Chart::Pareto {
            title,
            unit,
            labels,
            values,
        } => {
            // The ten largest reasons; the table beside it lists them all.
            let k = labels.len().min(10);
            bars(&root, title, unit, &labels[..k], &values[..k], true, lang)
        }
        Chart::Timeline {
            title,
            from_ms,
            to_ms,
            rows,
        } => timeline(&root, title, *from_ms, *to_ms, rows, tz, lang),
        Chart::Line {
            title,
            unit,
            from_ms,
            to_ms,
            points,
        } => line(&root, title, unit, *from_ms, *to_ms, points, tz),
        Chart::Control { .. } => control(&root, c, lang),
    }
}

/// The chart as SVG text.
pub fn svg(c: &Chart, tz: &jiff::tz::TimeZone, lang: Lang) -> Result<String, RenderError> {
    fonts::register();
    let mut s = String::new();
    in_font(c, lang, || {
        let root = SVGBackend::with_string(&mut s, SIZE).into_drawing_area();
        draw(root, c, tz, lang).map_err(|e| RenderError::Chart(c.title().into(), e.to_string()))
    })?;
    Ok(s)
}

/// The chart as a PNG image, the SVG.s size.
pub fn png_tz(c: &Chart, tz: &jiff::tz::TimeZone, lang: Lang) -> Result<Vec<u8>, RenderError> {
    fonts::register();
    let err = |e: String| RenderError::Chart(c.title().into(), e);
    let (w, h) = SIZE;
    let mut buf = vec![0u8; (w * h * 3) as usize];
    let drawn = in_font(c, lang, || {
        let root = BitMapBackend::with_buffer(&mut buf, (w, h)).into_drawing_area();
        draw(root, c, tz, lang).map_err(|e| err(e.to_string()))
    });
    drawn?;
    let mut out = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut out, w, h);
        enc.set_color(png::ColorType::Rgb);
        enc.set_depth(png::BitDepth::Eight);
        let mut wr = enc.write_header().map_err(|e| err(e.to_string()))?;
        wr.write_image_data(&buf).map_err(|e| err(e.to_string()))?;
    }
    Ok(out)
}

/// The chart as PNG, times in UTC.
pub fn png_utc(c: &Chart) -> Result<Vec<u8>, RenderError> {
    png_tz(c, &jiff::tz::TimeZone::UTC, Lang::En)
}
