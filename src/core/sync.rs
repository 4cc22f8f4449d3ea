//! Sync (issue 14) as the admin sees it: the status read from the sync room.

use super::{Core, Error};
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
}
