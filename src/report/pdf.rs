//! A report as a print-ready PDF (A4 or Letter), with krilla: the text in the embedded
//! DejaVu Sans (subset), charts placed as vectors from their SVG, and on every page the
//! plant, the title, the range with its time zone, who generated it and when, and
//! "Page i of n". Laid out first (pages of drawing operations), then drawn, so the page
//! count is known on every page. No clock and no random IDs: the same report gives the
//! same bytes.

use krilla::color::rgb;
use krilla::geom::{PathBuilder, Point, Rect, Size, Transform};
use krilla::metadata::{DateTime, Metadata};
use krilla::num::NormalizedF32;
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::surface::Surface;
use krilla::text::{Font, TextDirection};
use krilla::{Document, SerializeSettings};
use krilla_svg::{SurfaceExt, SvgSettings};

use super::{Cell, Chart, Doc, Item, Lang, Paper, RenderError, Table, chart, fonts};
use crate::i18n::t;
use crate::tr;

const MARGIN: f32 = 42.0;
const HEAD: f32 = 30.0;
const FOOT: f32 = 34.0;
const GREY: (u8, u8, u8) = (90, 90, 90);
const BLACK: (u8, u8, u8) = (20, 20, 20);

enum Op {
    Text {
        x: f32,
        y: f32,
        size: f32,
        bold: bool,
        colour: (u8, u8, u8),
        text: String,
    },
    Rect {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        colour: (u8, u8, u8),
    },
    Line {
        x1: f32,
        y: f32,
        x2: f32,
    },
    Svg {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        tree: Box<usvg::Tree>,
    },
}

/// Lays out pages top to bottom.
struct Layout {
    w: f32,
    h: f32,
    pages: Vec<Vec<Op>>,
    y: f32,
}

impl Layout {
    fn new(paper: Paper) -> Layout {
        let (w, h) = paper.size();
        Layout {
            w,
            h,
            pages: vec![Vec::new()],
            y: MARGIN + HEAD,
        }
    }

    fn width(&self) -> f32 {
        self.w - 2.0 * MARGIN
    }

    fn bottom(&self) -> f32 {
        self.h - MARGIN - FOOT
    }

    fn new_page(&mut self) {
        self.pages.push(Vec::new());
        self.y = MARGIN + HEAD;
    }

    /// Starts a new page unless `need` points are left.
    fn room(&mut self, need: f32) {
        if self.y + need > self.bottom() && self.y > MARGIN + HEAD + 1.0 {
            self.new_page();
        }
    }

    fn op(&mut self, op: Op) {
        self.pages.last_mut().expect("a page").push(op);
    }

    fn text(&mut self, x: f32, size: f32, bold: bool, colour: (u8, u8, u8), text: &str) {
        let y = self.y + size;
        self.op(Op::Text {
            x,
            y,
            size,
            bold,
            colour,
            text: text.to_string(),
        });
    }

    /// A paragraph, wrapped at the text width.
    fn para(&mut self, size: f32, bold: bool, text: &str) {
        let mut line = String::new();
        let mut lines = Vec::new();
        for word in text.split_whitespace() {
            let next = if line.is_empty() {
                word.to_string()
            } else {
                format!("{line} {word}")
            };
            if fonts::width(&next, size, bold) > self.width() && !line.is_empty() {
                lines.push(std::mem::replace(&mut line, word.to_string()));
            } else {
                line = next;
            }
        }
        if !line.is_empty() {
            lines.push(line);
        }
        for l in lines {
            self.room(size * 1.4);
            self.text(MARGIN, size, bold, BLACK, &l);
            self.y += size * 1.4;
        }
    }

    fn table(&mut self, t: &Table, tz: &jiff::tz::TimeZone, lang: Lang) {
        let heads: Vec<String> = t.columns.iter().map(|c| c.header()).collect();
        let body: Vec<Vec<String>> = t
            .rows
            .iter()
            .map(|r| r.iter().map(|c| c.text(tz, lang)).collect())
            .collect();
        let numeric: Vec<bool> = (0..heads.len())
            .map(|i| t.rows.iter().any(|r| r.get(i).is_some_and(Cell::is_number)))
            .collect();
        // The font size that fits the widest cells of every column in the width.
        let mut size = 8.0f32;
        let pad = 4.0;
        let widths = |size: f32| -> Vec<f32> {
            (0..heads.len())
                .map(|i| {
                    let h = fonts::width(&heads[i], size, true);
                    body.iter()
                        .map(|r| fonts::width(r.get(i).map_or("", |s| s), size, false))
                        .fold(h, f32::max)
                        + 2.0 * pad
                })
                .collect()
        };
        let mut w = widths(size);
        while w.iter().sum::<f32>() > self.width() && size > 5.0 {
            size -= 0.5;
            w = widths(size);
        }
        // Spread what is left over the columns.
        let sum: f32 = w.iter().sum();
        if sum < self.width() && !w.is_empty() {
            let extra = (self.width() - sum) / w.len() as f32;
            for x in &mut w {
                *x += extra.min(30.0);
            }
        }
        let row_h = size * 1.7;
        let total_w: f32 = w.iter().sum();
        let header = |l: &mut Layout| {
            l.op(Op::Rect {
                x: MARGIN,
                y: l.y,
                w: total_w,
                h: row_h,
                colour: (225, 232, 240),
            });
            let mut x = MARGIN;
            for (i, h) in heads.iter().enumerate() {
                let tw = fonts::width(h, size, true);
                let tx = if numeric[i] {
                    x + w[i] - pad - tw
                } else {
                    x + pad
                };
                l.op(Op::Text {
                    x: tx,
                    y: l.y + size * 1.25,
                    size,
                    bold: true,
                    colour: BLACK,
                    text: h.clone(),
                });
                x += w[i];
            }
            l.y += row_h;
        };
        self.room(row_h * 3.0);
        header(self);
        for (ri, r) in body.iter().enumerate() {
            if self.y + row_h > self.bottom() {
                self.new_page();
                header(self);
            }
            if ri % 2 == 1 {
                self.op(Op::Rect {
                    x: MARGIN,
                    y: self.y,
                    w: total_w,
                    h: row_h,
                    colour: (246, 246, 246),
                });
            }
            let mut x = MARGIN;
            for (i, s) in r.iter().enumerate() {
                let tw = fonts::width(s, size, false);
                let tx = if numeric[i] {
                    x + w[i] - pad - tw
                } else {
                    x + pad
                };
                self.op(Op::Text {
                    x: tx,
                    y: self.y + size * 1.25,
                    size,
                    bold: false,
                    colour: BLACK,
                    text: s.clone(),
                });
                x += w[i];
            }
            self.y += row_h;
        }
        self.op(Op::Line {
            x1: MARGIN,
            y: self.y,
            x2: MARGIN + total_w,
        });
        self.y += 10.0;
    }

    fn chart(&mut self, c: &Chart, tz: &jiff::tz::TimeZone, lang: Lang) -> Result<(), RenderError> {
        let svg = chart::svg(c, tz, lang)?;
        let opts = usvg::Options {
            fontdb: fonts::fontdb(),
            ..usvg::Options::default()
        };
        let tree = usvg::Tree::from_str(&svg, &opts)
            .map_err(|e| RenderError::Chart(c.title().into(), e.to_string()))?;
        let w = self.width();
        let h = w * chart::SIZE.1 as f32 / chart::SIZE.0 as f32;
        self.room(h + 8.0);
        let y = self.y;
        self.op(Op::Svg {
            x: MARGIN,
            y,
            w,
            h,
            tree: Box::new(tree),
        });
        self.y += h + 8.0;
        Ok(())
    }
}

fn fill(s: &mut Surface<'_>, (r, g, b): (u8, u8, u8)) {
    s.set_fill(Some(Fill {
        paint: rgb::Color::new(r, g, b).into(),
        opacity: NormalizedF32::ONE,
        rule: Default::default(),
    }));
}

fn rect(x: f32, y: f32, w: f32, h: f32) -> Option<krilla::geom::Path> {
    let mut pb = PathBuilder::new();
    pb.push_rect(Rect::from_xywh(x, y, w, h)?);
    pb.finish()
}

/// The report as PDF bytes.
pub fn render(doc: &Doc, paper: Paper) -> Result<Vec<u8>, RenderError> {
    let tz = doc.tz();
    let mut l = Layout::new(paper);
    // The first page's title block.
    l.text(MARGIN, 18.0, true, BLACK, &doc.title);
    l.y += 26.0;
    l.text(MARGIN, 11.0, true, BLACK, &doc.plant);
    l.y += 16.0;
    l.text(MARGIN, 9.5, false, GREY, &doc.range());
    l.y += 22.0;
    for s in &doc.sections {
        // A heading stays with its first item: a chart's height, or a few lines.
        let first = match s.items.first() {
            Some(Item::Chart(_)) => 30.0 + l.width() * chart::SIZE.1 as f32 / chart::SIZE.0 as f32,
            _ => 60.0,
        };
        l.room(first);
        l.y += 4.0;
        l.text(MARGIN, 12.5, true, BLACK, &s.title);
        l.y += 20.0;
        for item in &s.items {
            match item {
                Item::Text(t) => {
                    l.para(9.0, false, t);
                    l.y += 6.0;
                }
                Item::Table(t) => l.table(t, &tz, doc.lang),
                Item::Chart(c) => l.chart(c, &tz, doc.lang)?,
            }
        }
        l.y += 6.0;
    }

    let settings = SerializeSettings {
        // No XMP packet: it would carry a random instance ID.
        xmp_metadata: false,
        ..SerializeSettings::default()
    };
    let mut document = Document::new_with(settings);
    let regular = Font::new(fonts::REGULAR.to_vec().into(), 0)
        .ok_or_else(|| RenderError::Pdf("the embedded font cannot be read".into()))?;
    let bold = Font::new(fonts::BOLD.to_vec().into(), 0)
        .ok_or_else(|| RenderError::Pdf("the embedded font cannot be read".into()))?;
    // Text with Chinese characters is written in the PC's CJK font (subset like
    // DejaVu); without one, the report says what to install rather than print boxes.
    let cjk = match fonts::cjk() {
        Some(c) => Some(Font::new(c.data.to_vec().into(), c.index).ok_or_else(|| {
            RenderError::Pdf(format!("the font {} cannot be read", c.path.display()))
        })?),
        None => None,
    };
    let lacks_cjk = std::cell::Cell::new(false);
    let n = l.pages.len();
    let generated = tr!(
        doc.lang,
        "report-generated",
        who = doc.generated_by.as_str(),
        at = doc.time(doc.generated_at_ms),
        zone = doc.timezone.as_str()
    );
    let (w, h) = (l.w, l.h);
    for (i, ops) in l.pages.into_iter().enumerate() {
        let size = Size::from_wh(w, h).ok_or_else(|| RenderError::Pdf("page size".into()))?;
        let mut page = document.start_page_with(PageSettings::new(size));
        let mut s = page.surface();
        // Each run of the text in its font: DejaVu, or the CJK font for what DejaVu
        // lacks.
        let text = |s: &mut Surface<'_>, x: f32, y: f32, size: f32, b: bool, t: &str| {
            if cjk.is_none() && fonts::has_cjk(t) {
                lacks_cjk.set(true);
            }
            let mut x = x;
            for (k, run) in fonts::runs(t) {
                let font = match &cjk {
                    Some(c) if k => c.clone(),
                    _ if b => bold.clone(),
                    _ => regular.clone(),
                };
                s.draw_text(
                    Point::from_xy(x, y),
                    font,
                    size,
                    run,
                    false,
                    TextDirection::Auto,
                );
                x += fonts::width(run, size, b && !k);
            }
        };
        // Running head and foot.
        fill(&mut s, GREY);
        text(&mut s, MARGIN, MARGIN, 8.0, true, &doc.plant);
        let tw = fonts::width(&doc.title, 8.0, false);
        text(&mut s, w - MARGIN - tw, MARGIN, 8.0, false, &doc.title);
        let foot = h - MARGIN;
        text(&mut s, MARGIN, foot - 11.0, 7.5, false, &doc.range());
        text(&mut s, MARGIN, foot, 7.5, false, &generated);
        let pn = tr!(doc.lang, "report-page", page = i + 1, pages = n);
        let pw = fonts::width(&pn, 8.0, false);
        text(&mut s, w - MARGIN - pw, foot, 8.0, false, &pn);
        s.set_fill(None);
        s.set_stroke(Some(Stroke {
            paint: rgb::Color::new(180, 180, 180).into(),
            width: 0.5,
            ..Stroke::default()
        }));
        for y in [MARGIN + 6.0, foot - 22.0] {
            let mut pb = PathBuilder::new();
            pb.move_to(MARGIN, y);
            pb.line_to(w - MARGIN, y);
            if let Some(p) = pb.finish() {
                s.draw_path(&p);
            }
        }
        s.set_stroke(None);
        for op in ops {
            match op {
                Op::Text {
                    x,
                    y,
                    size,
                    bold: b,
                    colour,
                    text: t,
                } => {
                    fill(&mut s, colour);
                    text(&mut s, x, y, size, b, &t);
                }
                Op::Rect { x, y, w, h, colour } => {
                    fill(&mut s, colour);
                    if let Some(p) = rect(x, y, w, h) {
                        s.draw_path(&p);
                    }
                }
                Op::Line { x1, y, x2 } => {
                    s.set_fill(None);
                    s.set_stroke(Some(Stroke {
                        paint: rgb::Color::new(120, 120, 120).into(),
                        width: 0.6,
                        ..Stroke::default()
                    }));
                    let mut pb = PathBuilder::new();
                    pb.move_to(x1, y);
                    pb.line_to(x2, y);
                    if let Some(p) = pb.finish() {
                        s.draw_path(&p);
                    }
                    s.set_stroke(None);
                }
                Op::Svg { x, y, w, h, tree } => {
                    s.push_transform(&Transform::from_translate(x, y));
                    let size =
                        Size::from_wh(w, h).ok_or_else(|| RenderError::Pdf("chart size".into()))?;
                    s.draw_svg(&tree, size, SvgSettings::default());
                    s.pop();
                }
            }
        }
        s.finish();
        page.finish();
    }
    if lacks_cjk.get() {
        return Err(RenderError::Pdf(t(doc.lang, "report-no-cjk-font")));
    }
    let at = jiff::Timestamp::from_millisecond(doc.generated_at_ms)
        .unwrap_or(jiff::Timestamp::UNIX_EPOCH)
        .to_zoned_datetime(jiff::tz::TimeZone::UTC);
    let date = DateTime::new(at.year() as u16)
        .month(at.month() as u8)
        .day(at.day() as u8)
        .hour(at.hour() as u8)
        .minute(at.minute() as u8)
        .second(at.second() as u8)
        .utc_offset_hour(0)
        .utc_offset_minute(0);
    document.set_metadata(
        Metadata::new()
            .title(format!("{} – {}", doc.title, doc.plant))
            .creator("Plantlog".into())
            .producer("Plantlog".into())
            .authors(vec![doc.generated_by.clone()])
            .creation_date(date)
            .language(doc.lang.tag().into()),
    );
    document
        .finish()
        .map_err(|e| RenderError::Pdf(format!("{e:?}")))
}
