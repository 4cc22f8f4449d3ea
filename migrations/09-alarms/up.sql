-- Alarms (issue 13, src/alerts): one row per occurrence of an alarm, from when it was
-- raised until it is both cleared and acknowledged ("normal", closed_at set); every
-- transition of it in alarm_events, with who and when. Times are UTC milliseconds.
--
-- The state of an open alarm: active unacknowledged (cleared_at NULL, acked_at NULL),
-- active acknowledged (cleared_at NULL), cleared unacknowledged (acked_at NULL).
-- Shelved and suppressed are marks on an open alarm, not states of their own.

CREATE TABLE alarms (
    id            INTEGER PRIMARY KEY,
    -- the alarm's stable key: the rule's key, "/bitN" after it, or "system/<code>"
    key           TEXT    NOT NULL,
    rule          TEXT    NOT NULL,
    kind          TEXT    NOT NULL,
    name          TEXT    NOT NULL,
    priority      TEXT    NOT NULL CHECK (priority IN ('critical', 'high', 'medium', 'low')),
    -- the roles that receive it, comma-separated
    roles         TEXT    NOT NULL,
    action        TEXT    NOT NULL DEFAULT '',
    machine       TEXT,
    value         REAL,
    raised_at     INTEGER NOT NULL,
    cleared_at    INTEGER,
    acked_at      INTEGER,
    acked_by      TEXT,
    ack_comment   TEXT,
    shelved_until INTEGER,
    shelved_by    TEXT,
    shelve_reason TEXT,
    -- its machine is in a planned stop: not announced
    suppressed    INTEGER NOT NULL DEFAULT 0,
    closed_at     INTEGER
);
-- At most one open occurrence per alarm.
CREATE UNIQUE INDEX alarms_open ON alarms (key) WHERE closed_at IS NULL;
CREATE INDEX alarms_raised ON alarms (raised_at);

CREATE TABLE alarm_events (
    id        INTEGER PRIMARY KEY,
    alarm_id  INTEGER NOT NULL REFERENCES alarms(id),
    at        INTEGER NOT NULL,
    -- raised, cleared, returned, acknowledged, shelved, unshelved, suppressed,
    -- unsuppressed, normal
    what      TEXT    NOT NULL,
    -- a user's name, or "plantlog" for what the rules did
    by        TEXT    NOT NULL,
    comment   TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX alarm_events_alarm ON alarm_events (alarm_id, id);
CREATE INDEX alarm_events_at ON alarm_events (at);
