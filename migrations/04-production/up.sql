-- Production: the reason tree, what people entered about stops, planned stops, scrap
-- and ideal cycle times (each with who entered it and when; the audit log records the
-- same), which machines each operator works on, the andon displays' tokens, and the
-- production engine's hourly summaries of the stored samples. Times are UTC ms.

-- The plant's reasons: for downtime (planned or not) and for scrap, as category and
-- reason. Rows are never deleted (stored entries refer to them); `active` hides one.
CREATE TABLE reasons (
    id          INTEGER PRIMARY KEY,
    kind        TEXT    NOT NULL CHECK (kind IN ('downtime', 'scrap')),
    category    TEXT    NOT NULL,
    name        TEXT    NOT NULL,
    planned     INTEGER NOT NULL DEFAULT 0,
    active      INTEGER NOT NULL DEFAULT 1,
    created_by  TEXT    NOT NULL,
    created_at  INTEGER NOT NULL,
    UNIQUE (kind, category, name)
);

-- The reason of a stop from `at` on: `at` is the stop's start, or a point inside a long
-- stop where it was split; the entry holds until the next entry or the stop's end. A
-- NULL reason is an explicit "not explained" part of a split stop.
CREATE TABLE stop_reasons (
    machine_id  INTEGER NOT NULL REFERENCES machines(id),
    at          INTEGER NOT NULL,
    reason_id   INTEGER REFERENCES reasons(id),
    comment     TEXT    NOT NULL DEFAULT '',
    entered_by  TEXT    NOT NULL,
    entered_at  INTEGER NOT NULL,
    PRIMARY KEY (machine_id, at)
) WITHOUT ROWID;

-- Stops planned ahead (maintenance, no orders), for one machine or (NULL) all of them.
CREATE TABLE planned_stops (
    id            INTEGER PRIMARY KEY,
    machine_id    INTEGER REFERENCES machines(id),
    from_ts       INTEGER NOT NULL,
    to_ts         INTEGER NOT NULL CHECK (to_ts > from_ts),
    reason_id     INTEGER NOT NULL REFERENCES reasons(id),
    comment       TEXT    NOT NULL DEFAULT '',
    entered_by    TEXT    NOT NULL,
    entered_at    INTEGER NOT NULL,
    cancelled_by  TEXT,
    cancelled_at  INTEGER
);
CREATE INDEX planned_stops_to ON planned_stops (to_ts);

-- Scrap entered by people (a scrap counter tag counts on its own).
CREATE TABLE scrap (
    id          INTEGER PRIMARY KEY,
    machine_id  INTEGER NOT NULL REFERENCES machines(id),
    ts          INTEGER NOT NULL,
    parts       INTEGER NOT NULL CHECK (parts > 0),
    reason_id   INTEGER REFERENCES reasons(id),
    comment     TEXT    NOT NULL DEFAULT '',
    entered_by  TEXT    NOT NULL,
    entered_at  INTEGER NOT NULL
);
CREATE INDEX scrap_machine_ts ON scrap (machine_id, ts);

-- A machine's ideal cycle time from `from_ts` on (a product or recipe change).
CREATE TABLE ideal_cycles (
    machine_id  INTEGER NOT NULL REFERENCES machines(id),
    from_ts     INTEGER NOT NULL,
    cycle_ms    INTEGER NOT NULL CHECK (cycle_ms > 0),
    comment     TEXT    NOT NULL DEFAULT '',
    entered_by  TEXT    NOT NULL,
    entered_at  INTEGER NOT NULL,
    PRIMARY KEY (machine_id, from_ts)
) WITHOUT ROWID;

-- The machines an operator works on (what their views and reports show).
CREATE TABLE operator_machines (
    user_id     INTEGER NOT NULL REFERENCES users(id),
    machine_id  INTEGER NOT NULL REFERENCES machines(id),
    PRIMARY KEY (user_id, machine_id)
) WITHOUT ROWID;

-- Andon displays: a screen that shows the board without a login, by a token whose
-- SHA-256 is kept here (the token itself only in the display's address).
CREATE TABLE displays (
    id           INTEGER PRIMARY KEY,
    name         TEXT    NOT NULL,
    token_hash   BLOB    NOT NULL UNIQUE,
    machines     TEXT    NOT NULL DEFAULT '',  -- machine keys, comma-separated; '' = all
    cycle_s      INTEGER NOT NULL DEFAULT 0,   -- 0: every machine at once; else s per page
    created_by   TEXT    NOT NULL,
    created_at   INTEGER NOT NULL,
    revoked_by   TEXT,
    revoked_at   INTEGER,
    last_used_at INTEGER,
    last_client  TEXT
);

-- The production engine's summary of one machine's samples in one hour: its state
-- changes, parts per minute, counter events, and the engine's state at the hour's start
-- and end (production::summary). Derived data: rebuilt from the samples when they
-- change (an import) or when `recipe` (how they are read) no longer matches.
CREATE TABLE production_hours (
    machine_id  INTEGER NOT NULL,
    hour        INTEGER NOT NULL,
    recipe      INTEGER NOT NULL,
    data        BLOB    NOT NULL,
    PRIMARY KEY (machine_id, hour)
) WITHOUT ROWID;
