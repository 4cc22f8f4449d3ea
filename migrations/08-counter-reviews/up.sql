-- Counter reviews (issue 9): a part or scrap counter step that was implausible (over
-- half the register's range, or faster than the machine's maximum rate) counts nothing
-- until a supervisor reviews it: accepted (the step's parts count) or corrected (the
-- count entered here counts). One row per event, keyed by the machine, the event's
-- sample time and which counter; a new review replaces the old one, and every review is
-- in the audit log. Times are UTC milliseconds.

CREATE TABLE counter_reviews (
    machine_id  INTEGER NOT NULL REFERENCES machines(id),
    ts          INTEGER NOT NULL,
    scrap       INTEGER NOT NULL DEFAULT 0,
    decision    TEXT    NOT NULL CHECK (decision IN ('accepted', 'corrected')),
    parts       INTEGER NOT NULL CHECK (parts >= 0),
    -- the readings of the step, as the engine saw them
    previous    INTEGER NOT NULL,
    value       INTEGER NOT NULL,
    comment     TEXT    NOT NULL DEFAULT '',
    entered_by  TEXT    NOT NULL,
    entered_at  INTEGER NOT NULL,
    PRIMARY KEY (machine_id, ts, scrap)
) WITHOUT ROWID;
