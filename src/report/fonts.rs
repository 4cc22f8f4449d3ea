//! The fonts reports are written in, shipped in assets/fonts/ (DejaVu Sans, under the
//! Bitstream Vera licence in assets/fonts/DejaVu-LICENSE.txt) and embedded, so a report
//! looks the same on every PC and in every PDF reader.

use std::sync::{Arc, OnceLock};

use ab_glyph::{Font as _, FontRef};

pub static REGULAR: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
pub static BOLD: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans-Bold.ttf");

/// The family name charts ask for.
pub const FAMILY: &str = "DejaVu Sans";

/// Registers the fonts with plotters (once): charts draw text with them.
pub fn register() {
    static DONE: OnceLock<()> = OnceLock::new();
    DONE.get_or_init(|| {
        use plotters::style::FontStyle;
        // The bytes are a valid font (a test reads them): an error cannot happen.
        let _ = plotters::style::register_font("sans-serif", FontStyle::Normal, REGULAR);
        let _ = plotters::style::register_font("sans-serif", FontStyle::Bold, BOLD);
        let _ = plotters::style::register_font(FAMILY, FontStyle::Normal, REGULAR);
        let _ = plotters::style::register_font(FAMILY, FontStyle::Bold, BOLD);
    });
}

/// The fonts for SVG charts read back as vectors.
pub fn fontdb() -> Arc<usvg::fontdb::Database> {
    static DB: OnceLock<Arc<usvg::fontdb::Database>> = OnceLock::new();
    DB.get_or_init(|| {
        let mut db = usvg::fontdb::Database::new();
        db.load_font_data(REGULAR.to_vec());
        db.load_font_data(BOLD.to_vec());
        db.set_sans_serif_family(FAMILY);
        Arc::new(db)
    })
    .clone()
}

/// The width of `text` at `size` points.
pub fn width(text: &str, size: f32, bold: bool) -> f32 {
    static FONTS: OnceLock<(FontRef<'static>, FontRef<'static>)> = OnceLock::new();
    let (r, b) = FONTS.get_or_init(|| {
        (
            FontRef::try_from_slice(REGULAR).expect("the shipped font"),
            FontRef::try_from_slice(BOLD).expect("the shipped font"),
        )
    });
    let f = if bold { b } else { r };
    let per_em = f.units_per_em().unwrap_or(2048.0);
    let mut w = 0.0;
    let mut prev = None;
    for c in text.chars() {
        let id = f.glyph_id(c);
        if let Some(p) = prev {
            w += f.kern_unscaled(p, id);
        }
        w += f.h_advance_unscaled(id);
        prev = Some(id);
    }
    w / per_em * size
}
