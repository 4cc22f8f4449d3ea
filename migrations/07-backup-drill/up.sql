-- Restore drills: the newest good backup restored into a temporary folder and checked
-- (src/backup/drill.rs). One row per drill; the Backups page shows the newest, and a
-- failed or overdue drill raises a system alarm. The interval is the setting
-- `backup.drill_days` in `settings` (30 when unset). Times are UTC milliseconds.

CREATE TABLE backup_drills (
    id           INTEGER PRIMARY KEY,
    started_at   INTEGER NOT NULL,
    took_ms      INTEGER NOT NULL,
    -- the target's name and the backup's folder, as they were at the drill
    target       TEXT    NOT NULL DEFAULT '',
    backup       TEXT    NOT NULL DEFAULT '',
    passed       INTEGER NOT NULL,
    -- why it failed, or what was checked when it passed
    detail       TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX backup_drills_started ON backup_drills (started_at);
