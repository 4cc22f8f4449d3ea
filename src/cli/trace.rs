//! `plantlog trace LOT`: a production lot's whole story (materials and supplier lots,
//! machine and times, people, checks, scrap, stops), or, given a supplier lot or a
//! material lot's label, every production lot that used it. The same figures as the
//! lot page (`GET /api/quality/lots/{code}`).

use std::path::PathBuf;

use anyhow::{Result, bail};

use plantlog::config;
use plantlog::quality::store::{self, QualityError};
use plantlog::quality::trace;
use plantlog::sample::now_ms;

use super::open_db;

/// Prints to stdout; a reader that went away (`| head`) ends the output quietly.
fn out(text: &str) -> Result<()> {
    use std::io::Write;
    match std::io::stdout().lock().write_all(text.as_bytes()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        r => Ok(r?),
    }
}

pub fn run(data_dir: PathBuf, lot: String, json: bool) -> Result<()> {
    let db = open_db(&data_dir)?;
    let plant = db.with(|c| Ok::<_, anyhow::Error>(config::load_plant(c)?))?;
    if plant.version == 0 {
        bail!(
            "{} has no configuration yet; import one with: plantlog config import FILE.toml",
            data_dir.display()
        );
    }
    let story = db.with(|c| {
        Ok::<_, anyhow::Error>(match trace::story(c, &plant, &lot, now_ms()) {
            Ok(s) => Some(s),
            Err(QualityError::NotFound(_)) => None,
            Err(e) => return Err(e.into()),
        })
    })?;
    if let Some(s) = story {
        if json {
            out(&(serde_json::to_string_pretty(&s)? + "\n"))?;
        } else {
            out(&trace::story_text(&s, &plant))?;
        }
        return Ok(());
    }
    // Not a production lot: a supplier lot or our label of a material lot.
    let (materials, lots) = db.with(|c| {
        let m: Vec<_> = store::material_lots(c, true)?
            .into_iter()
            .filter(|m| {
                m.supplier_lot.eq_ignore_ascii_case(lot.trim())
                    || m.code.eq_ignore_ascii_case(lot.trim())
            })
            .collect();
        Ok::<_, anyhow::Error>((m, store::lots_using(c, &lot)?))
    })?;
    if materials.is_empty() {
        bail!(
            "there is no production lot, supplier lot or material lot \"{}\" in {}",
            lot.trim(),
            data_dir.display()
        );
    }
    if json {
        let v = serde_json::json!({"material_lots": materials, "lots": lots});
        return out(&(serde_json::to_string_pretty(&v)? + "\n"));
    }
    use std::fmt::Write;
    let cal = plantlog::production::Calendar::new(&plant.config);
    let mut text = String::new();
    for m in &materials {
        let _ = writeln!(
            text,
            "Material lot {}: {} {} {} from {} (supplier lot {}), received {}, {} on hand",
            m.code,
            m.quantity,
            m.unit,
            m.material,
            m.supplier,
            m.supplier_lot,
            cal.date_time(m.received_at),
            m.on_hand
        );
    }
    let _ = writeln!(text, "\nUsed in {} production lots:", lots.len());
    for l in &lots {
        let _ = writeln!(
            text,
            "  {}  {} on {}  {} to {}",
            l.code,
            l.product,
            l.machine,
            cal.date_time(l.started_at),
            l.ended_at
                .map_or_else(|| "running".to_string(), |t| cal.date_time(t))
        );
    }
    out(&text)
}
