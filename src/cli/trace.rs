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

use plantlog::tr;

use super::{lang, open_db};

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
            "{}",
            tr!(
                lang(),
                "cli-config-none",
                folder = data_dir.display().to_string()
            )
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
            "{}",
            tr!(
                lang(),
                "cli-trace-not-found",
                lot = lot.trim(),
                folder = data_dir.display().to_string()
            )
        );
    }
    if json {
        let v = serde_json::json!({"material_lots": materials, "lots": lots});
        return out(&(serde_json::to_string_pretty(&v)? + "\n"));
    }
    use std::fmt::Write;
    let cal = plantlog::production::Calendar::new(&plant.config);
    let tz = plant.timezone();
    let l = lang();
    // English keeps the calendar's own form; the other languages their locale's.
    let when = |ms: i64| match l {
        plantlog::i18n::Lang::En => cal.date_time(ms),
        _ => l.datetime(ms, &tz),
    };
    let mut text = String::new();
    for m in &materials {
        let _ = writeln!(
            text,
            "{}",
            tr!(
                l,
                "cli-trace-material-lot",
                code = m.code.as_str(),
                quantity = super::number(m.quantity),
                unit = m.unit.as_str(),
                material = m.material.as_str(),
                supplier = m.supplier.as_str(),
                supplier_lot = m.supplier_lot.as_str(),
                received = when(m.received_at),
                on_hand = super::number(m.on_hand)
            )
        );
    }
    let _ = writeln!(
        text,
        "\n{}",
        tr!(l, "cli-trace-used-in", count = lots.len())
    );
    for lt in &lots {
        let _ = writeln!(
            text,
            "  {}",
            tr!(
                l,
                "cli-trace-lot",
                code = lt.code.as_str(),
                product = lt.product.as_str(),
                machine = lt.machine.as_str(),
                from = when(lt.started_at),
                to = lt
                    .ended_at
                    .map_or_else(|| tr!(l, "cli-trace-running"), &when)
            )
        );
    }
    out(&text)
}
