-- Scheduled reports (issue 11, src/report/jobs.rs): what the admin set to run when and
-- where it goes, and one row per run and destination in the job history. Times are UTC
-- milliseconds.

CREATE TABLE report_schedules (
    id          INTEGER PRIMARY KEY,
    name        TEXT    NOT NULL,
    kind        TEXT    NOT NULL CHECK (kind IN ('shift', 'production')),
    format      TEXT    NOT NULL CHECK (format IN ('pdf', 'xlsx', 'csv')),
    -- "shift", "daily HH:MM", "weekly DAY HH:MM" or "monthly D HH:MM", plant time
    run_at      TEXT    NOT NULL,
    -- a folder on the PC, or NULL
    folder      TEXT,
    -- 1: also to the next USB stick inserted
    usb         INTEGER NOT NULL DEFAULT 0,
    enabled     INTEGER NOT NULL DEFAULT 1,
    created_at  INTEGER NOT NULL,
    -- runs up to this time have their jobs; the next are after it
    planned_to  INTEGER NOT NULL
);

CREATE TABLE report_jobs (
    id            INTEGER PRIMARY KEY,
    -- NULL once the schedule is removed (the history stays)
    schedule_id   INTEGER,
    schedule_name TEXT    NOT NULL,
    -- when it was to run
    due_at        INTEGER NOT NULL,
    target        TEXT    NOT NULL CHECK (target IN ('folder', 'usb')),
    kind          TEXT    NOT NULL,
    format        TEXT    NOT NULL,
    by            TEXT    NOT NULL,
    -- the range reported on, and its name ("2026-03-02 Early", "2026-W10")
    from_ms       INTEGER NOT NULL,
    to_ms         INTEGER NOT NULL,
    period        TEXT    NOT NULL,
    state         TEXT    NOT NULL CHECK (state IN ('waiting', 'running', 'done', 'failed')),
    started_at    INTEGER,
    finished_at   INTEGER,
    -- where the files went
    written       TEXT,
    error         TEXT,
    UNIQUE (schedule_id, due_at, target)
);

CREATE INDEX report_jobs_state ON report_jobs (state, due_at);
