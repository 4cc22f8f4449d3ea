-- Raw samples written below the raw position after it passed them (history loaded
-- afterwards, a device's buffered readings merged late): noted here per tag and range
-- by the triggers below and sent again by the next raw batch (sync::again); the central
-- server inserts samples by (site, tag, time) once, so what it has already is not
-- doubled. A note is removed when the batch that carried it is acknowledged.
CREATE TABLE sync_again_raw (
    id       INTEGER PRIMARY KEY,
    tag_id   INTEGER NOT NULL,
    -- sample times, to_ts exclusive
    from_ts  INTEGER NOT NULL,
    to_ts    INTEGER NOT NULL
);

-- The end of the range a raw batch being made may read (set before it reads): samples
-- below it are sent or on their way.
ALTER TABLE sync_state ADD COLUMN raw_making_to INTEGER NOT NULL DEFAULT 0;
-- The newest note of sync_again_raw a batch carries (removed at its acknowledgement).
ALTER TABLE sync_outbox ADD COLUMN again_to INTEGER NOT NULL DEFAULT 0;

-- A rewrite of a tag's window or hour (store::blocks::Rewrite) removes the blocks it
-- replaces, then inserts the new one, in one transaction: the removed blocks' samples
-- are counted here, and the insert compares. More samples than were removed means
-- samples came in from outside the blocks: a backfill, or hot rows (late samples) merged
-- into a window or hour already packed. The same count is a merge or a conversion
-- (nothing new). The first packing of a window's hot rows (nothing removed) is the
-- ordinary path and is not noted.
CREATE TABLE sync_rewrite_removed (
    tag_id  INTEGER NOT NULL,
    t0      INTEGER NOT NULL,
    n       INTEGER NOT NULL
);
CREATE INDEX sync_rewrite_removed_tag ON sync_rewrite_removed (tag_id, t0);

CREATE TRIGGER sync_again_removed_blocks AFTER DELETE ON blocks
WHEN (SELECT site != '' AND instr(',' || classes || ',', ',raw,') > 0
             AND OLD.first < max(acked_to_ts, raw_making_to)
      FROM sync_state WHERE id = 1)
BEGIN
    INSERT INTO sync_rewrite_removed (tag_id, t0, n) VALUES (OLD.tag_id, OLD.t0, OLD.n);
END;
CREATE TRIGGER sync_again_removed_fresh AFTER DELETE ON blocks_fresh
WHEN (SELECT site != '' AND instr(',' || classes || ',', ',raw,') > 0
             AND OLD.first < max(acked_to_ts, raw_making_to)
      FROM sync_state WHERE id = 1)
BEGIN
    INSERT INTO sync_rewrite_removed (tag_id, t0, n) VALUES (OLD.tag_id, OLD.t0, OLD.n);
END;

-- An hour block starting below the position: noted when it holds more samples than the
-- blocks it replaced. Every rewrite removes its blocks right before its insert, so what
-- else is counted at an insert is stale (blocks retention removed) and is cleared.
CREATE TRIGGER sync_again_hour_blocks AFTER INSERT ON blocks
WHEN (SELECT site != '' AND instr(',' || classes || ',', ',raw,') > 0
      FROM sync_state WHERE id = 1)
BEGIN
    INSERT INTO sync_again_raw (tag_id, from_ts, to_ts)
    SELECT NEW.tag_id, NEW.first, NEW.last + 1 FROM sync_state
     WHERE id = 1 AND NEW.first < max(acked_to_ts, raw_making_to)
       AND NEW.n > coalesce((SELECT sum(n) FROM sync_rewrite_removed
                             WHERE tag_id = NEW.tag_id AND t0 >= NEW.t0
                               AND t0 < NEW.t0 + max(NEW.span, 3600000)), 0);
    DELETE FROM sync_rewrite_removed;
END;
-- A window's fresh block (600000 ms): noted when it replaced one (late hot samples
-- merged into a window packed before) and holds more samples than it.
CREATE TRIGGER sync_again_fresh_blocks AFTER INSERT ON blocks_fresh
WHEN (SELECT site != '' AND instr(',' || classes || ',', ',raw,') > 0
      FROM sync_state WHERE id = 1)
BEGIN
    INSERT INTO sync_again_raw (tag_id, from_ts, to_ts)
    SELECT NEW.tag_id, NEW.first, NEW.last + 1 FROM sync_state
     WHERE id = 1 AND NEW.first < max(acked_to_ts, raw_making_to)
       AND NEW.n > (SELECT sum(n) FROM sync_rewrite_removed
                    WHERE tag_id = NEW.tag_id AND t0 >= NEW.t0 AND t0 < NEW.t0 + 600000);
    DELETE FROM sync_rewrite_removed;
END;

-- Production entries changed without a new change time: a reason renamed, moved to
-- another category or switched off keeps its created_at, and the entries naming it
-- (stop reasons, planned stops, scrap) keep theirs. When one already sent (below the
-- production stream's position, or below the end of the batch being made) changes,
-- the reason and the entries naming it are noted here and go again, as they are now,
-- in the next production batch (sync::streams); the central server upserts records by
-- (site, stream, kind, key). kind: the record's kind; a, b: its key in its table
-- (reason, planned_stop, scrap: id; stop_reason: machine_id, at).
CREATE TABLE sync_resend_records (
    id    INTEGER PRIMARY KEY,
    kind  TEXT    NOT NULL,
    a     INTEGER NOT NULL,
    b     INTEGER NOT NULL DEFAULT 0
);
CREATE TRIGGER sync_changed_reasons AFTER UPDATE ON reasons
WHEN (SELECT site != '' AND instr(',' || classes || ',', ',production,') > 0
      FROM sync_state WHERE id = 1)
BEGIN
    INSERT INTO sync_resend_records (kind, a)
    SELECT 'reason', NEW.id
     WHERE NEW.created_at < coalesce((SELECT max(position, making_to) FROM sync_streams
                                      WHERE stream = 'production'), 0);
    INSERT INTO sync_resend_records (kind, a, b)
    SELECT 'stop_reason', machine_id, at FROM stop_reasons
     WHERE reason_id = NEW.id
       AND entered_at < coalesce((SELECT max(position, making_to) FROM sync_streams
                                  WHERE stream = 'production'), 0);
    INSERT INTO sync_resend_records (kind, a)
    SELECT 'planned_stop', id FROM planned_stops
     WHERE reason_id = NEW.id
       AND max(entered_at, coalesce(cancelled_at, 0))
           < coalesce((SELECT max(position, making_to) FROM sync_streams
                       WHERE stream = 'production'), 0);
    INSERT INTO sync_resend_records (kind, a)
    SELECT 'scrap', id FROM scrap
     WHERE reason_id = NEW.id
       AND entered_at < coalesce((SELECT max(position, making_to) FROM sync_streams
                                  WHERE stream = 'production'), 0);
END;
