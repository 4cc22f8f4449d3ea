-- Backups: where they go (targets, each with its schedule and retention) and every run
-- with its verification. The backups themselves live on the targets, each a folder with
-- its manifest (src/backup/); these tables are what the admin page shows and the
-- system alarm reads. Times are UTC milliseconds.

CREATE TABLE backup_targets (
    id            INTEGER PRIMARY KEY,
    name          TEXT    NOT NULL UNIQUE,
    -- a folder: on another drive (E:\Backups), a network share (\\server\share\plant
    -- on Windows, a mounted share elsewhere), a stick's drive
    path          TEXT    NOT NULL,
    -- 'hourly', 'daily HH:MM' or 'weekly DAY HH:MM', in the plant's time zone
    schedule      TEXT    NOT NULL,
    keep_hourly   INTEGER NOT NULL DEFAULT 24,
    keep_daily    INTEGER NOT NULL DEFAULT 7,
    keep_weekly   INTEGER NOT NULL DEFAULT 4,
    keep_monthly  INTEGER NOT NULL DEFAULT 12,
    enabled       INTEGER NOT NULL DEFAULT 1,
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL
);

-- One row per attempt. `name` is the backup's folder on the target; `verification` the
-- checks' results as JSON. A run left 'running' by a stopped process is marked failed
-- when Plantlog starts again.
CREATE TABLE backup_runs (
    id            INTEGER PRIMARY KEY,
    target_id     INTEGER NOT NULL REFERENCES backup_targets(id) ON DELETE CASCADE,
    started_at    INTEGER NOT NULL,
    finished_at   INTEGER,
    name          TEXT    NOT NULL DEFAULT '',
    status        TEXT    NOT NULL CHECK (status IN ('running', 'good', 'failed')),
    bytes         INTEGER NOT NULL DEFAULT 0,
    error_code    TEXT,
    error         TEXT,
    verification  TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX backup_runs_target ON backup_runs (target_id, started_at);
