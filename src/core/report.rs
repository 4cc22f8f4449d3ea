//! Reports as the API, the command line and the scheduler ask for them: which report,
//! which range, built from the production engine by `report::build`, rendered by
//! `report::render`.

use super::Error;
use crate::production::By;
use crate::report::{self, Doc, Kind, build::Stamp};
use crate::sample::now_ms;

/// A report's model over [from, to), `to` clipped to now. `by` cuts the production
/// report (default: by month, one row per machine for a month's range).
pub fn build(
    conn: &mut rusqlite::Connection,
    kind: Kind,
    from: i64,
    to: i64,
    by: Option<By>,
    generated_by: &str,
    lang: report::Lang,
) -> Result<Doc, Error> {
    let plant = crate::config::load_plant(conn).map_err(|e| Error::Internal(e.to_string()))?;
    let now = now_ms();
    if from >= to.min(now) {
        return Err(Error::invalid(
            "bad_range",
            "the start must be before the end, and not in the future",
        ));
    }
    let stamp = Stamp {
        generated_by: generated_by.to_string(),
        generated_at_ms: now,
        lang,
    };
    Ok(match kind {
        Kind::Shift => report::build::shift(conn, &plant, from, to, &stamp, now)?,
        Kind::Production => {
            report::build::production(conn, &plant, from, to, by.unwrap_or(By::Month), &stamp, now)?
        }
        Kind::Energy => {
            report::energy::energy_report(conn, &plant, from, to.min(now), &stamp, now)?
        }
        Kind::Tag => {
            return Err(Error::invalid(
                "tags_needed",
                "a tag report needs its tags: choose them and hour or day",
            ));
        }
        Kind::Lot => {
            return Err(Error::invalid(
                "lot_needed",
                "a lot's story is made for one lot: GET /api/quality/lots/{code}/story.pdf, or the button on the lot's page",
            ));
        }
        Kind::Spc => {
            return Err(Error::invalid(
                "characteristic_needed",
                "an SPC report is made for one measured characteristic: GET /api/reports/spc?characteristic=ID",
            ));
        }
    })
}

/// The tag report of `tags` (ids, or device/tag names) over [from, to), `to` clipped
/// to now.
pub fn build_tags(
    conn: &mut rusqlite::Connection,
    tags: &[String],
    from: i64,
    to: i64,
    step: report::tags::Step,
    generated_by: &str,
    lang: report::Lang,
) -> Result<Doc, Error> {
    let plant = crate::config::load_plant(conn).map_err(|e| Error::Internal(e.to_string()))?;
    let now = now_ms();
    let to = to.min(now);
    if from >= to {
        return Err(Error::invalid(
            "bad_range",
            "the start must be before the end, and not in the future",
        ));
    }
    let mut ids = Vec::new();
    for t in tags {
        let id = t
            .parse::<i64>()
            .ok()
            .filter(|id| plant.tag(*id).is_some())
            .or_else(|| {
                let (d, n) = t.split_once('/')?;
                plant.tag_id(d, n)
            });
        match id {
            Some(id) => ids.push(id),
            None => {
                let mut params = serde_json::Map::new();
                params.insert("tag".into(), t.as_str().into());
                return Err(Error::Refused {
                    code: "unknown_tag",
                    message: format!("no such tag: {t}; give tag ids or device/tag names"),
                    field: Some("tags"),
                    params,
                });
            }
        }
    }
    if ids.is_empty() {
        return Err(Error::invalid("tags_needed", "choose at least one tag"));
    }
    let hours = (to - from) / 3_600_000;
    if step == report::tags::Step::Hour && hours > 24 * 62 {
        return Err(Error::invalid(
            "range_too_long",
            "hourly figures cover at most 62 days; choose by day for a longer range",
        ));
    }
    let stamp = Stamp {
        generated_by: generated_by.to_string(),
        generated_at_ms: now,
        lang,
    };
    Ok(report::tags::tag_report(
        conn, &plant, &ids, from, to, step, &stamp,
    )?)
}

/// A report rendered: its file's bytes.
pub fn render(doc: &Doc, format: report::Format, opts: &report::Options) -> Result<Vec<u8>, Error> {
    report::render(doc, format, opts).map_err(|e| Error::Internal(e.to_string()))
}

/// What goes on a removable drive.
#[derive(Debug, Clone)]
pub struct DriveExport {
    /// The folder on the drive (its root, or a folder on it).
    pub to: std::path::PathBuf,
    /// The range of the reports and samples.
    pub from: i64,
    pub until: i64,
    pub reports: Vec<ReportItem>,
    /// Raw samples of these tags (ids or device/tag).
    pub tags: Vec<String>,
    pub config: bool,
    pub audit: bool,
    /// Largest file; CSVs are split under it (FAT32: 4 GiB less one byte).
    pub max_file: u64,
}

/// One report of an export: which, its format and range, and the file's stem (the
/// report's own, "production-2026-03-01", when None).
#[derive(Debug, Clone)]
pub struct ReportItem {
    pub kind: Kind,
    pub format: report::Format,
    pub from: i64,
    pub to: i64,
    pub by: Option<By>,
    pub stem: Option<String>,
    /// The tag report's tags (ids or device/tag); empty for the other kinds.
    pub tags: Vec<String>,
}

/// A folder name FAT accepts: "Demo Plant 2026-03-02".
fn folder_name(plant: &str, day: &str) -> String {
    let clean: String = plant
        .chars()
        .map(|c| {
            if "<>:\"/\\|?*".contains(c) || c.is_control() {
                '_'
            } else {
                c
            }
        })
        .collect();
    format!("{} {day}", clean.trim().trim_end_matches('.'))
}

/// Stages the chosen set, writes it to the drive with `removable::write` and audits
/// the export (who, what, where, size, checksum), or its failure. `tmp` is a folder on
/// the PC's disk for staging.
#[allow(clippy::too_many_arguments)]
pub fn export_to_drive(
    conn: &mut rusqlite::Connection,
    req: &DriveExport,
    actor: &crate::auth::audit::Actor,
    tmp: &std::path::Path,
    opts: &report::Options,
    progress: &mut dyn FnMut(&crate::removable::write::Progress),
    cancel: &std::sync::atomic::AtomicBool,
) -> Result<crate::removable::write::Written, Error> {
    use crate::auth::audit::{self, AuditEntry};
    use crate::removable::write::{self, Stage};
    use std::sync::atomic::Ordering;
    // Cancel takes effect at every stage: before and after each report is built, after
    // it is rendered and after each of its charts, at each ten-minute window of raw
    // samples, at each page of the audit log, and at each chunk written to the drive.
    let stopped = || cancel.load(Ordering::Relaxed);
    let check = || {
        if stopped() {
            Err(Error::invalid(
                "export_cancelled",
                "the export was cancelled before anything was written to the drive",
            ))
        } else {
            Ok(())
        }
    };
    let result = (|| {
        let plant = crate::config::load_plant(conn).map_err(|e| Error::Internal(e.to_string()))?;
        let tz = plant.timezone();
        let now = now_ms();
        let stage_err = |e: write::WriteError| Error::invalid("export_failed", e.to_string());
        let mut stage = Stage::new(tmp, req.max_file).map_err(stage_err)?;
        let mut what = Vec::new();
        let lang = crate::i18n::for_actor(conn, actor.id);
        stage.speak(lang);
        for r in &req.reports {
            check()?;
            let doc = match r.kind {
                // By hour over up to two days, by production day beyond.
                Kind::Tag => {
                    let step = if r.to - r.from <= 2 * 86_400_000 {
                        report::tags::Step::Hour
                    } else {
                        report::tags::Step::Day
                    };
                    build_tags(conn, &r.tags, r.from, r.to, step, &actor.name, lang)?
                }
                k => build(conn, k, r.from, r.to, r.by, &actor.name, lang)?,
            };
            check()?;
            for (name, bytes) in
                report_files_until(&doc, r.format, r.stem.as_deref(), opts, &stopped)?
            {
                stage.add(&name, &doc.title, &bytes).map_err(stage_err)?;
            }
            what.push(format!(
                "{}.{}",
                r.stem.clone().unwrap_or_else(|| doc.stem()),
                r.format.extension()
            ));
        }
        if !req.tags.is_empty() {
            check()?;
            let mut tags = Vec::new();
            for t in &req.tags {
                let id = t.parse::<i64>().ok().or_else(|| {
                    let (d, n) = t.split_once('/')?;
                    plant.tag_id(d, n)
                });
                match id
                    .map(|id| crate::store::export::tag(conn, id))
                    .transpose()?
                    .flatten()
                {
                    Some(x) => tags.push(x),
                    None => {
                        return Err(Error::invalid(
                            "unknown_tag",
                            format!("no such tag: {t}; give tag ids or device/tag names"),
                        ));
                    }
                }
            }
            let names: Vec<String> = tags
                .iter()
                .map(|t| format!("{}/{}", t.device, t.name))
                .collect();
            stage
                .add_csv(
                    "samples",
                    &crate::tr!(lang, "report-manifest-samples", tags = names.join(", ")),
                    |w| {
                        crate::store::export::write_csv_until(
                            conn, &tags, req.from, req.until, &tz, w, &stopped,
                        )
                        .map(|_| ())
                        .map_err(|e| std::io::Error::other(e.to_string()))
                    },
                )
                .map_err(|e| {
                    if stopped() {
                        check().unwrap_err()
                    } else {
                        stage_err(e)
                    }
                })?;
            what.push(format!("samples of {} tags", tags.len()));
        }
        if req.config {
            stage
                .add(
                    "configuration.toml",
                    &crate::tr!(lang, "report-manifest-config"),
                    crate::config::export(&plant.config).as_bytes(),
                )
                .map_err(stage_err)?;
            what.push("configuration".into());
        }
        if req.audit {
            let mut csv = String::from("id,time,actor,action,target,detail,client\n");
            let mut before = None;
            let mut all = Vec::new();
            loop {
                check()?;
                let page = audit::list(conn, 1000, before)?;
                let Some(last) = page.last() else { break };
                before = Some(last.id);
                all.extend(page);
            }
            all.reverse();
            let mut w = ::csv::Writer::from_writer(Vec::new());
            for e in &all {
                let _ = w.write_record([
                    e.id.to_string(),
                    report::local(e.ts, &tz),
                    e.actor.clone(),
                    e.action.clone(),
                    e.target.clone(),
                    e.detail.clone(),
                    e.client.clone(),
                ]);
            }
            csv.push_str(&String::from_utf8_lossy(
                &w.into_inner().map_err(|e| Error::Internal(e.to_string()))?,
            ));
            stage
                .add(
                    "audit-log.csv",
                    &crate::tr!(lang, "report-manifest-audit"),
                    csv.as_bytes(),
                )
                .map_err(stage_err)?;
            what.push("audit log".into());
        }
        check()?;
        let day = report::local(now, &tz);
        let folder = folder_name(&plant.config.site.name, &day[..10]);
        let head = crate::tr!(
            lang,
            "report-manifest-head",
            plant = plant.config.site.name.as_str(),
            by = actor.name.as_str(),
            at = day.as_str(),
            zone = plant.config.site.timezone.as_str(),
            from = report::local(req.from, &tz),
            until = report::local(req.until, &tz)
        );
        let w = write::write(
            &stage,
            &req.to,
            &folder,
            &head,
            req.max_file,
            progress,
            cancel,
        )
        .map_err(|e| Error::invalid("export_failed", e.to_string()))?;
        Ok((w, what))
    })();
    match result {
        Ok((w, what)) => {
            audit::record(
                conn,
                &AuditEntry::new(
                    actor,
                    "export.removable",
                    &w.folder,
                    &format!(
                        "{}; {} files, {} bytes, SHA256SUMS sha256 {}",
                        what.join(", "),
                        w.files.len() + 2,
                        w.bytes,
                        w.sums_sha256
                    ),
                ),
            )?;
            Ok(w)
        }
        Err(e) => {
            audit::record(
                conn,
                &AuditEntry::new(
                    actor,
                    "export.removable_failed",
                    &req.to.display().to_string(),
                    &e.to_string(),
                ),
            )?;
            Err(e)
        }
    }
}

/// A report's files: the report ("STEM.pdf") and, beside a PDF, its charts as PNG
/// ("STEM-chart1.png").
pub fn report_files(
    doc: &Doc,
    format: report::Format,
    stem: Option<&str>,
    opts: &report::Options,
) -> Result<Vec<(String, Vec<u8>)>, Error> {
    report_files_until(doc, format, stem, opts, &|| false)
}

/// [`report_files`], stopping with an `export_cancelled` error when `stop` says so
/// (checked after the report is rendered and after each chart).
pub fn report_files_until(
    doc: &Doc,
    format: report::Format,
    stem: Option<&str>,
    opts: &report::Options,
    stop: &dyn Fn() -> bool,
) -> Result<Vec<(String, Vec<u8>)>, Error> {
    let cancelled = || {
        Error::invalid(
            "export_cancelled",
            "the export was cancelled before anything was written to the drive",
        )
    };
    let stem = stem.map_or_else(|| doc.stem(), str::to_string);
    let mut out = vec![(
        format!("{stem}.{}", format.extension()),
        render(doc, format, opts)?,
    )];
    if format == report::Format::Pdf {
        let tz = doc.tz();
        for (i, c) in doc.charts().enumerate() {
            if stop() {
                return Err(cancelled());
            }
            let png = report::chart::png_tz(c, &tz, doc.lang)
                .map_err(|e| Error::Internal(e.to_string()))?;
            out.push((format!("{stem}-chart{}.png", i + 1), png));
        }
    }
    if stop() {
        return Err(cancelled());
    }
    Ok(out)
}

/// A rendered report, for a download.
#[derive(Debug, Clone)]
pub struct ReportFile {
    pub name: String,
    pub mime: &'static str,
    pub bytes: Vec<u8>,
}

/// What `GET /api/reports/file` asks for.
#[derive(Debug, Clone)]
pub struct ReportFileRequest {
    pub kind: Kind,
    /// UTC ms, RFC 3339, or a date (that production day's start).
    pub from: String,
    pub to: String,
    pub by: Option<By>,
    pub format: report::Format,
    pub paper: report::Paper,
    pub opts: report::Options,
    /// The tag report's tags (ids or device/tag) and periods.
    pub tags: Vec<String>,
    pub step: report::tags::Step,
}

impl super::Core {
    /// A report of every machine, rendered, by `actor` (printed in the report).
    pub async fn report_file(
        &self,
        req: ReportFileRequest,
        actor: &crate::auth::audit::Actor,
    ) -> Result<ReportFile, Error> {
        let who = actor.name.clone();
        let id = actor.id;
        let (from, to) = {
            let plant = self.plant();
            (
                super::production::parse_time(&plant, &req.from)?,
                super::production::parse_time(&plant, &req.to)?,
            )
        };
        self.db()
            .run(move |c| {
                // In the language of the user who asks.
                let lang = crate::i18n::for_actor(c, id);
                let doc = match req.kind {
                    Kind::Tag => build_tags(c, &req.tags, from, to, req.step, &who, lang)?,
                    k => build(c, k, from, to, req.by, &who, lang)?,
                };
                let opts = report::Options {
                    paper: req.paper,
                    ..req.opts
                };
                let bytes = render(&doc, req.format, &opts)?;
                Ok(ReportFile {
                    name: format!("{}.{}", doc.stem(), req.format.extension()),
                    mime: req.format.mime(),
                    bytes,
                })
            })
            .await
    }

    /// The removable drives mounted now.
    pub async fn removable_drives(&self) -> Result<Vec<crate::removable::Drive>, Error> {
        tokio::task::spawn_blocking(crate::removable::drives)
            .await
            .map_err(|e| Error::Internal(e.to_string()))
    }
}
