//! Sync (issue 14) as the admin sees it: the status read from the sync room.

use super::{Core, Error};
use crate::auth::audit::{self, Actor, AuditEntry};
use crate::sample::now_ms;
use crate::store::StoreError;
use crate::sync::{self, SyncStatus};

impl Core {
    /// Sync's state, position and backlog, read now.
    pub async fn sync_status(&self) -> Result<SyncStatus, Error> {
        let dir = self.data_folder().to_path_buf();
        Ok(self
            .db()
            .run(move |c| Ok::<_, StoreError>(sync::status(c, &dir, now_ms())?))
            .await?)
    }

    /// Sets how fast a backlog drains (bytes per second on average, 0: no limit);
    /// audited. Kept while sync is off. Returns the status with the new limit.
    pub async fn set_sync_bandwidth(
        &self,
        bytes_per_second: i64,
        actor: Actor,
    ) -> Result<SyncStatus, Error> {
        let dir = self.data_folder().to_path_buf();
        self.db()
            .run(move |c| {
                let tx = crate::store::write_tx(c)?;
                let old = sync::pace::limit(&tx)?;
                if let Err(message) = sync::pace::set_limit(&tx, bytes_per_second) {
                    let mut params = serde_json::Map::new();
                    params.insert("bytes".into(), bytes_per_second.into());
                    return Err(Error::Refused {
                        code: "bad_bandwidth",
                        message,
                        field: Some("bytes_per_second"),
                        params,
                    });
                }
                if old != bytes_per_second {
                    audit::record(
                        &tx,
                        &AuditEntry::new(
                            &actor,
                            "sync.bandwidth",
                            "sync",
                            &format!("bandwidth limit {old} -> {bytes_per_second} bytes/s"),
                        ),
                    )?;
                }
                tx.commit()?;
                Ok(sync::status(c, &dir, now_ms())?)
            })
            .await
    }
}

/// The source name of sync's conditions in the alarm engine.
pub const ALARM_SOURCE: &str = "sync";

impl Core {
    /// Hands the alarm engine sync's clock check (issue 14): this PC's clock off by more
    /// than a minute from the central server's at the last exchange is a system alarm,
    /// `system/sync/clock_off`; it clears at an exchange within the minute or when sync
    /// is switched off. Called by the alarm job before each tick.
    pub async fn watch_sync_clock(&self) -> Result<(), Error> {
        let clock = self
            .db()
            .run(|c| {
                let on: bool =
                    c.query_row("SELECT enabled FROM sync_state WHERE id = 1", [], |r| {
                        r.get(0)
                    })?;
                Ok::<_, StoreError>(if on { sync::clock::read(c)? } else { None })
            })
            .await?;
        let alarm = clock.and_then(|c| {
            crate::health::clock_alarm(
                &crate::health::ClockCheck {
                    skew_ms: c.skew_ms,
                    checked_ms: c.checked_ts,
                    off_since_ms: c.off_since,
                },
                sync::clock::describe,
            )
        });
        let list = alarm
            .map(|a| {
                let key = format!("{}{ALARM_SOURCE}/{}", crate::alerts::SYSTEM, a.code);
                crate::alerts::Condition {
                    def: crate::alerts::AlarmDef {
                        rule: key.clone(),
                        key,
                        kind: "system",
                        name: "Clock differs from the central server's".into(),
                        priority: crate::config::Priority::Medium,
                        roles: vec!["admin".into(), "maintenance".into()],
                        action: a.message,
                        machine: None,
                    },
                    since_ms: a.since_ms,
                }
            })
            .into_iter()
            .collect();
        self.alerts().set_conditions(ALARM_SOURCE, list);
        Ok(())
    }
}
