//! Storage as the admin sees it: where the data is, how big, how much room is left, how
//! long each class is kept, what the next purge removes and what the last ones did;
//! and the change of retention, confirmed when it removes data, and audited.

use serde::Serialize;

use super::{Core, Error};
use crate::auth::audit::{self, Actor, AuditEntry};
use crate::auth::policy;
use crate::sample::now_ms;
use crate::store::compact::CompactorStatus;
use crate::store::guard::{self, DiskStatus};
use crate::store::retention::{self, Change, Purge, Settings, Step};
use crate::store::{self, Holdings, WriterStatus};

#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct StorageView {
    pub data_dir: String,
    pub database_path: String,
    /// The database file and its write-ahead log.
    pub database_bytes: u64,
    pub disk: DiskStatus,
    pub retention: Settings,
    pub disk_warn_mb: u64,
    /// What the next retention run removes.
    pub next_purge: Vec<Step>,
    pub purges: Vec<Purge>,
    pub writer: Option<WriterStatus>,
    pub compactor: Option<CompactorStatus>,
    #[serde(flatten)]
    pub holdings: Holdings,
    pub archive_dir: String,
}

impl Core {
    /// The storage page's facts, read now.
    pub async fn storage(&self) -> Result<StorageView, Error> {
        let (retention, warn, next, purges, holdings) = self
            .db()
            .run(|c| {
                let s = retention::settings(c)?;
                let next = retention::plan(c, &s, now_ms())?;
                let purges = retention::history(c, 20)?;
                let warn = guard::warn_mb(c)?;
                let holdings = store::holdings(c)?;
                Ok::<_, Error>((s, warn, next, purges, holdings))
            })
            .await?;
        let path = self.db().path();
        Ok(StorageView {
            data_dir: self.data_folder().display().to_string(),
            database_path: path.display().to_string(),
            database_bytes: store::database_bytes(path),
            disk: self.disk_status(),
            retention,
            disk_warn_mb: warn,
            next_purge: next,
            purges,
            writer: Some(self.writer_status()),
            compactor: self.compactor_status(),
            holdings,
            archive_dir: self.data_folder().join("archive").display().to_string(),
        })
    }

    /// Changes retention and the disk warning level. A shorter retention must be
    /// confirmed; the change is audited in the same transaction. The disk alarm and the
    /// retention job follow at once.
    /// The audit log's retention cannot go below the floor of the security settings
    /// (a year by default) unless `audit_confirm_text` is the typed confirmation; going
    /// below it is audited on its own.
    pub async fn change_storage(&self, change: Change, actor: Actor) -> Result<(), Error> {
        self.change_storage_confirmed(change, None, actor).await
    }

    /// [`Core::change_storage`] with the typed confirmation for the audit floor.
    pub async fn change_storage_confirmed(
        &self,
        change: Change,
        audit_confirm_text: Option<String>,
        actor: Actor,
    ) -> Result<(), Error> {
        self.db()
            .run(move |c| {
                let tx = crate::store::write_tx(c)?;
                let floor = policy::load(&tx)?.audit_floor_days;
                let below = change.settings.audit_days.is_some_and(|d| d < floor);
                if below && audit_confirm_text.as_deref() != Some(policy::AUDIT_CONFIRM_TEXT) {
                    return Err(Error::Invalid {
                        code: "audit_floor",
                        message: format!(
                            "the audit log is kept at least {floor} days; to keep it shorter, type \"{}\" to confirm (it is recorded)",
                            policy::AUDIT_CONFIRM_TEXT
                        ),
                        field: Some("audit_days"),
                    });
                }
                let detail = retention::change(&tx, &change, now_ms())?;
                if below {
                    audit::record(
                        &tx,
                        &AuditEntry::new(
                            &actor,
                            "retention.audit_below_floor",
                            "storage",
                            &format!(
                                "audit log kept {} days, below the floor of {floor} days, confirmed by typing",
                                change.settings.audit_days.unwrap_or_default()
                            ),
                        ),
                    )?;
                }
                audit::record(
                    &tx,
                    &AuditEntry::new(&actor, "retention.change", "storage", &detail),
                )?;
                tx.commit()?;
                Ok::<_, Error>(())
            })
            .await?;
        self.check_disk().await;
        self.retention_wake.notify_one();
        Ok(())
    }
}
