//! The fonts reports are written in, shipped in assets/fonts/ (DejaVu Sans, under the
//! Bitstream Vera licence in assets/fonts/DejaVu-LICENSE.txt) and embedded, so a report
//! looks the same on every PC and in every PDF reader.
//!
//! DejaVu has no Chinese characters, and a font that has them is 10 to 20 MB (the
//! installer must stay under 15 MB): a text with characters DejaVu lacks is written in
//! a font of the PC's own ([`cjk`]: Microsoft YaHei or SimSun on Windows, WenQuanYi,
//! Noto CJK or Droid Sans Fallback on Linux, or the file PLANTLOG_CJK_FONT names),
//! subset into the PDF like DejaVu.

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

/// The family name of the PC's CJK font ("WenQuanYi Micro Hei"), as SVG charts name
/// it and plotters knows it once [`register_cjk`] ran.
pub fn cjk_family() -> Option<&'static str> {
    static NAME: OnceLock<Option<String>> = OnceLock::new();
    NAME.get_or_init(|| {
        let c = cjk()?;
        let mut db = usvg::fontdb::Database::new();
        db.load_font_data(c.data.to_vec());
        let face = db
            .faces()
            .find(|f| f.index == c.index)
            .or(db.faces().next())?;
        face.families.first().map(|(n, _)| n.clone())
    })
    .as_deref()
}

/// Registers the PC's CJK font with plotters under its family name (once); false when
/// there is none.
pub fn register_cjk() -> bool {
    static DONE: OnceLock<bool> = OnceLock::new();
    *DONE.get_or_init(|| {
        use plotters::style::FontStyle;
        let (Some(c), Some(name)) = (cjk(), cjk_family()) else {
            return false;
        };
        plotters::style::register_font(name, FontStyle::Normal, c.data).is_ok()
            && plotters::style::register_font(name, FontStyle::Bold, c.data).is_ok()
    })
}

/// The fonts for SVG charts read back as vectors; the PC's CJK font too, for the
/// characters DejaVu lacks.
pub fn fontdb() -> Arc<usvg::fontdb::Database> {
    static DB: OnceLock<Arc<usvg::fontdb::Database>> = OnceLock::new();
    DB.get_or_init(|| {
        let mut db = usvg::fontdb::Database::new();
        db.load_font_data(REGULAR.to_vec());
        db.load_font_data(BOLD.to_vec());
        if let Some(c) = cjk() {
            db.load_font_data(c.data.to_vec());
        }
        db.set_sans_serif_family(FAMILY);
        Arc::new(db)
    })
    .clone()
}

/// A font of the PC with Chinese characters.
pub struct Cjk {
    pub path: std::path::PathBuf,
    pub data: &'static [u8],
    /// The face in a collection (.ttc).
    pub index: u32,
    font: FontRef<'static>,
}

/// The font files looked for, in order, with the face to use in a collection.
fn candidates() -> Vec<(std::path::PathBuf, u32)> {
    let mut v = Vec::new();
    if let Some(p) = std::env::var_os("PLANTLOG_CJK_FONT").filter(|p| !p.is_empty()) {
        v.push((std::path::PathBuf::from(p), 0));
    }
    #[cfg(windows)]
    {
        let win = std::env::var_os("WINDIR").unwrap_or_else(|| "C:\\Windows".into());
        let fonts = std::path::Path::new(&win).join("Fonts");
        for f in [
            "msyh.ttc",
            "msyh.ttf",
            "simsun.ttc",
            "simhei.ttf",
            "msjh.ttc",
        ] {
            v.push((fonts.join(f), 0));
        }
    }
    #[cfg(target_os = "macos")]
    for f in [
        "/System/Library/Fonts/PingFang.ttc",
        "/System/Library/Fonts/STHeiti Light.ttc",
        "/Library/Fonts/Arial Unicode.ttf",
    ] {
        v.push((f.into(), 0));
    }
    #[cfg(all(unix, not(target_os = "macos")))]
    for (f, i) in [
        ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0),
        ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0),
        // The collection's Simplified Chinese face.
        ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 2),
        ("/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc", 2),
        (
            "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
            0,
        ),
        (
            "/usr/share/fonts/google-droid-sans-fonts/DroidSansFallbackFull.ttf",
            0,
        ),
    ] {
        v.push((f.into(), i));
    }
    v
}

/// The PC's font with Chinese characters, read once; None when there is none.
pub fn cjk() -> Option<&'static Cjk> {
    static FONT: OnceLock<Option<Cjk>> = OnceLock::new();
    FONT.get_or_init(|| {
        candidates().into_iter().find_map(|(path, index)| {
            let bytes = std::fs::read(&path).ok()?;
            let data: &'static [u8] = Box::leak(bytes.into_boxed_slice());
            let font = FontRef::try_from_slice_and_index(data, index)
                .or_else(|_| FontRef::try_from_slice_and_index(data, 0))
                .ok()?;
            // A font for Chinese: it has "中" (Latin letters may be missing, as in
            // Droid Sans Fallback: DejaVu writes those).
            if font.glyph_id('中').0 == 0 {
                return None;
            }
            let index = if FontRef::try_from_slice_and_index(data, index).is_ok() {
                index
            } else {
                0
            };
            Some(Cjk {
                path,
                data,
                index,
                font,
            })
        })
    })
    .as_ref()
}

fn dejavu(bold: bool) -> &'static FontRef<'static> {
    static FONTS: OnceLock<(FontRef<'static>, FontRef<'static>)> = OnceLock::new();
    let (r, b) = FONTS.get_or_init(|| {
        (
            FontRef::try_from_slice(REGULAR).expect("the shipped font"),
            FontRef::try_from_slice(BOLD).expect("the shipped font"),
        )
    });
    if bold { b } else { r }
}

/// Chinese, Japanese or Korean characters (ideographs, kana, hangul, CJK punctuation
/// and full-width forms).
pub fn has_cjk(text: &str) -> bool {
    text.chars().any(|c| {
        matches!(c as u32,
            0x2E80..=0x9FFF | 0xAC00..=0xD7AF | 0xF900..=0xFAFF | 0xFE30..=0xFE4F
            | 0xFF00..=0xFFEF | 0x20000..=0x2FFFF)
    })
}

/// Whether the PC's CJK font also has Latin letters and digits (Microsoft YaHei and
/// WenQuanYi do, Droid Sans Fallback does not): PNG charts, which cannot mix fonts,
/// are drawn wholly in it only then.
pub fn cjk_has_latin() -> bool {
    cjk().is_some_and(|c| "aA0%".chars().all(|ch| c.font.glyph_id(ch).0 != 0))
}

/// `text` cut into runs of one font: (true: the CJK font, the run). A character is
/// written in the CJK font when DejaVu lacks it and the CJK font has it; without a CJK
/// font the whole text is one DejaVu run.
pub fn runs(text: &str) -> Vec<(bool, &str)> {
    let Some(c) = cjk() else {
        return vec![(false, text)];
    };
    let d = dejavu(false);
    let mut out: Vec<(bool, &str)> = Vec::new();
    let mut start = 0;
    let mut current = None;
    for (i, ch) in text.char_indices() {
        let k = d.glyph_id(ch).0 == 0 && c.font.glyph_id(ch).0 != 0;
        match current {
            Some(prev) if prev != k => {
                out.push((prev, &text[start..i]));
                start = i;
            }
            _ => {}
        }
        current = Some(k);
    }
    if let Some(k) = current {
        out.push((k, &text[start..]));
    }
    out
}

/// The width of `text` at `size` points, each run in the font it is written in.
pub fn width(text: &str, size: f32, bold: bool) -> f32 {
    runs(text)
        .into_iter()
        .map(|(k, run)| match (k, cjk()) {
            (true, Some(c)) => run_width(&c.font, run, size),
            _ => run_width(dejavu(bold), run, size),
        })
        .sum()
}

fn run_width(f: &FontRef<'static>, text: &str, size: f32) -> f32 {
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
