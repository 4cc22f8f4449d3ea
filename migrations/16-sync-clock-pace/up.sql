-- Sync (issue 14), what the plant learns while it sends: the central server's clock
-- against this PC's, the bandwidth limit the admin set and the rate measured, and what
-- retention removed before it was sent (reported as lost, never skipped in silence).

-- The central server's clock minus this PC's (ms), measured at the last acknowledged
-- exchange (against the middle of the request's round trip), and when (this PC's
-- clock). clock_off_since: the first exchange of the current run beyond the limit
-- (NULL while within it).
ALTER TABLE sync_state ADD COLUMN clock_skew_ms INTEGER;
ALTER TABLE sync_state ADD COLUMN clock_checked_ts INTEGER;
ALTER TABLE sync_state ADD COLUMN clock_off_since INTEGER;

-- The bandwidth limit (bytes per second; 0: none), and the rate reached as decaying sums
-- of the bytes sent and the time their batches took, pauses included.
ALTER TABLE sync_state ADD COLUMN bandwidth_bps INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sync_state ADD COLUMN rate_bytes REAL NOT NULL DEFAULT 0;
ALTER TABLE sync_state ADD COLUMN rate_ms REAL NOT NULL DEFAULT 0;
-- Items (rollups: tag-hours; otherwise entries or versions) per stream batch and sent in
-- all, for the size of what still waits.
ALTER TABLE sync_streams ADD COLUMN items_sent INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sync_stream_outbox ADD COLUMN items INTEGER NOT NULL DEFAULT 0;

-- Blocks of raw samples removed while some of their samples were not yet sent (a site
-- was set up and raw samples are chosen; switched off counts too): noted here by the
-- trigger below, then decided by the sync task when it makes its next batch: samples
-- still stored for the tag over that time (the compactor merged the block into
-- another) are not lost; otherwise the samples after the position were lost (retention
-- removed them before they were sent) and go to sync_lost.
CREATE TABLE sync_removed (
    id      INTEGER PRIMARY KEY,
    tag_id  INTEGER NOT NULL,
    first   INTEGER NOT NULL,
    last    INTEGER NOT NULL,
    n       INTEGER NOT NULL,
    data    BLOB    NOT NULL
);
CREATE TRIGGER sync_removed_blocks AFTER DELETE ON blocks
WHEN (SELECT site != '' AND instr(',' || classes || ',', ',raw,') > 0
             AND OLD.last >= acked_to_ts
      FROM sync_state WHERE id = 1)
BEGIN
    INSERT INTO sync_removed (tag_id, first, last, n, data)
    VALUES (OLD.tag_id, OLD.first, OLD.last, OLD.n, OLD.data);
END;

-- What retention removed before it was sent, per class: raw samples per tag and time
-- range (from_ts..to_ts, sample times), audit entries by number (from_ts..to_ts are
-- entry ids, tag_id NULL). count: samples or entries.
CREATE TABLE sync_lost (
    id        INTEGER PRIMARY KEY,
    class     TEXT    NOT NULL,
    tag_id    INTEGER,
    from_ts   INTEGER NOT NULL,
    to_ts     INTEGER NOT NULL,
    count     INTEGER NOT NULL,
    found_ts  INTEGER NOT NULL
);
