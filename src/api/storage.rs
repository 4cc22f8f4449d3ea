//! Storage: where the data is, how big, how much room is left, how long each class is
//! kept, what the next purge removes and what the last ones did. Shortening a retention
//! must be confirmed, and is audited.

use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::error::{ApiError, ApiResult, Body};
use super::session::Authed;
use crate::app::Core;
use crate::auth::Permission;
use crate::auth::audit::{self, AuditEntry};
use crate::sample::now_ms;
use crate::store::WriterStatus;
use crate::store::compact::CompactorStatus;
use crate::store::guard::{self, DiskStatus};
use crate::store::retention::{self, Purge, Settings, Step};

#[derive(Serialize)]
pub struct StorageJson {
    data_dir: String,
    database_path: String,
    /// The database file and its write-ahead log.
    database_bytes: u64,
    disk: DiskStatus,
    retention: Settings,
    disk_warn_mb: u64,
    /// What the next retention run removes.
    next_purge: Vec<Step>,
    purges: Vec<Purge>,
    writer: Option<WriterStatus>,
    compactor: Option<CompactorStatus>,
    hot_rows: i64,
    blocks: i64,
    block_samples: i64,
    archive_dir: String,
}

async fn storage_json(core: &Arc<Core>) -> ApiResult<StorageJson> {
    let (retention, warn, next, purges, hot, blocks, samples) = core
        .db
        .run(|c| {
            let s = retention::settings(c)?;
            let next = retention::plan(c, &s, now_ms())?;
            let purges = retention::history(c, 20)?;
            let warn = guard::warn_mb(c)?;
            let hot: i64 = c.query_row("SELECT count(*) FROM samples_hot", [], |r| r.get(0))?;
            let (blocks, samples): (i64, i64) = c.query_row(
                "SELECT count(*), coalesce(sum(n), 0) FROM blocks",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?;
            Ok::<_, ApiError>((s, warn, next, purges, hot, blocks, samples))
        })
        .await?;
    let path = core.db.path().to_path_buf();
    let bytes = ["", "-wal"]
        .iter()
        .filter_map(|suffix| std::fs::metadata(format!("{}{suffix}", path.display())).ok())
        .map(|m| m.len())
        .sum();
    Ok(StorageJson {
        data_dir: core.data_dir.root().display().to_string(),
        database_path: path.display().to_string(),
        database_bytes: bytes,
        disk: core.disk.read().unwrap_or_else(|e| e.into_inner()).clone(),
        retention,
        disk_warn_mb: warn,
        next_purge: next,
        purges,
        writer: core.bus.writer().map(|w| w.status()),
        compactor: core
            .compactor
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone(),
        hot_rows: hot,
        blocks,
        block_samples: samples,
        archive_dir: core.data_dir.root().join("archive").display().to_string(),
    })
}

pub async fn get_storage(
    State(core): State<Arc<Core>>,
    auth: Authed,
) -> ApiResult<Json<StorageJson>> {
    auth.require(Permission::ViewConfig)?;
    Ok(Json(storage_json(&core).await?))
}

#[derive(Deserialize)]
pub struct StorageChange {
    raw_days: Option<u32>,
    minute_days: Option<u32>,
    hour_days: Option<u32>,
    audit_days: Option<u32>,
    archive: bool,
    disk_warn_mb: u64,
    /// Required when a retention gets shorter.
    #[serde(default)]
    confirm: bool,
}

pub async fn put_storage(
    State(core): State<Arc<Core>>,
    auth: Authed,
    Body(change): Body<StorageChange>,
) -> ApiResult<Json<StorageJson>> {
    let actor = auth.require(Permission::EditConfig)?.actor();
    let new = Settings {
        raw_days: change.raw_days,
        minute_days: change.minute_days,
        hour_days: change.hour_days,
        audit_days: change.audit_days,
        archive: change.archive,
    };
    for (name, days) in [
        ("raw_days", new.raw_days),
        ("minute_days", new.minute_days),
        ("hour_days", new.hour_days),
        ("audit_days", new.audit_days),
    ] {
        if days == Some(0) || days.is_some_and(|d| d > 36_500) {
            let mut e = ApiError::bad_request(
                "bad_retention",
                format!("{name} must be 1 to 36500 days, or null to keep for ever"),
            );
            e.extra = Some(json!({ "field": name }));
            return Err(e);
        }
    }
    let confirm = change.confirm;
    let warn_mb = change.disk_warn_mb;
    let saved = core
        .db
        .run(move |c| {
            let old = retention::settings(c)?;
            let shorter = old.shortened_by(&new);
            if !shorter.is_empty() && !confirm {
                let would = retention::plan(c, &new, now_ms())?;
                let mut e = ApiError::new(
                    StatusCode::CONFLICT,
                    "confirm_required",
                    format!(
                        "This shortens how long {} data is kept: data older than the new retention will be removed.",
                        shorter.iter().map(|c| c.name()).collect::<Vec<_>>().join(", ")
                    ),
                );
                e.extra = Some(json!({ "would_remove": would }));
                return Err(e);
            }
            let tx = c.transaction()?;
            retention::set_settings(&tx, &new)?;
            guard::set_warn_mb(&tx, warn_mb)?;
            let describe = |d: Option<u32>| d.map_or("for ever".to_string(), |d| format!("{d} days"));
            let detail = retention::Class::ALL
                .iter()
                .map(|k| format!("{} {} -> {}", k.name(), describe(old.days(*k)), describe(new.days(*k))))
                .chain([format!("archive {}", new.archive), format!("disk warning below {warn_mb} MB")])
                .collect::<Vec<_>>()
                .join("; ");
            audit::record(&tx, &AuditEntry::new(&actor, "retention.change", "storage", &detail))?;
            tx.commit()?;
            Ok(())
        })
        .await;
    saved?;
    crate::app::check_disk(&core).await;
    core.retention_now.notify_one();
    Ok(Json(storage_json(&core).await?))
}
