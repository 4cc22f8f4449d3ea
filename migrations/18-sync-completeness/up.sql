-- Sync (issue 14): what the central server needs to measure completeness, and rollups
-- removed before they were sent.

-- Plantlog's runs on this PC: when it started, when it was last seen running (written
-- every few seconds) and when it stopped cleanly (NULL while running, or after a crash
-- or power cut: then alive_at is the end). Between one run's end and the next run's
-- start Plantlog was not running; the rollups stream sends those periods so the central
-- server can name the cause of a gap.
CREATE TABLE runs (
    id          INTEGER PRIMARY KEY,
    started_at  INTEGER NOT NULL,
    alive_at    INTEGER NOT NULL,
    stopped_at  INTEGER
);

-- Minute and hour rollups removed while not yet sent (a site set up and rollups chosen;
-- an hour at or after the rollups stream's position and older than a day, as retention
-- removes them): noted by the triggers below, decided by the sync task at its next
-- rollups batch: a row written again (an hour's rollups are rewritten by deleting and
-- inserting) or minutes still readable from samples are not lost; otherwise the tag-hour
-- goes to sync_lost (class 'rollups').
CREATE TABLE sync_removed_rollups (
    id      INTEGER PRIMARY KEY,
    -- 'minute' (rollup_1m) or 'hour' (rollup_1h)
    tbl     TEXT    NOT NULL,
    tag_id  INTEGER NOT NULL,
    t       INTEGER NOT NULL
);
CREATE TRIGGER sync_removed_minutes AFTER DELETE ON rollup_1m
WHEN (SELECT site != '' AND instr(',' || classes || ',', ',rollups,') > 0
      FROM sync_state WHERE id = 1)
     AND OLD.hour >= coalesce((SELECT position FROM sync_streams WHERE stream = 'rollups'), 0)
     AND OLD.hour + 3600000 <= CAST(strftime('%s', 'now') AS INTEGER) * 1000 - 86400000
BEGIN
    INSERT INTO sync_removed_rollups (tbl, tag_id, t) VALUES ('minute', OLD.tag_id, OLD.hour);
END;
CREATE TRIGGER sync_removed_hours AFTER DELETE ON rollup_1h
WHEN (SELECT site != '' AND instr(',' || classes || ',', ',rollups,') > 0
      FROM sync_state WHERE id = 1)
     AND OLD.t >= coalesce((SELECT position FROM sync_streams WHERE stream = 'rollups'), 0)
     AND OLD.t + 3600000 <= CAST(strftime('%s', 'now') AS INTEGER) * 1000 - 86400000
BEGIN
    INSERT INTO sync_removed_rollups (tbl, tag_id, t) VALUES ('hour', OLD.tag_id, OLD.t);
END;

-- Hour rollups written below the rollups stream's position or below the end of the
-- hours a batch being made may read (making_to: set before the batch reads them), that
-- is hours sent or on their way (history loaded later into them, late samples merged
-- into them): the tag-hour is noted here and sent again, its minutes and hour as they
-- are now, in the next rollups batch; the central server upserts them by their keys,
-- so each is there once, as on the plant. A note of an hour not sent after all (at or
-- after the position when the next batch is made) is dropped: that hour goes as it is.
ALTER TABLE sync_streams ADD COLUMN making_to INTEGER NOT NULL DEFAULT 0;
CREATE TABLE sync_resend_rollups (
    id      INTEGER PRIMARY KEY,
    tag_id  INTEGER NOT NULL,
    t       INTEGER NOT NULL
);
CREATE TRIGGER sync_rewritten_hours AFTER INSERT ON rollup_1h
WHEN (SELECT site != '' AND instr(',' || classes || ',', ',rollups,') > 0
      FROM sync_state WHERE id = 1)
     AND NEW.t < coalesce((SELECT max(position, making_to) FROM sync_streams WHERE stream = 'rollups'), 0)
BEGIN
    INSERT INTO sync_resend_rollups (tag_id, t) VALUES (NEW.tag_id, NEW.t);
END;
