-- Sync beyond raw samples (issue 14): the data classes the admin lets leave the plant,
-- and per stream (rollups, production, audit, configuration versions) its own position
-- and numbering, and the batch on its way. Raw samples keep sync_state's position.

-- Which classes leave the plant, comma-separated: raw, rollups, production, audit,
-- config. The default is rollups and production, not raw samples.
ALTER TABLE sync_state ADD COLUMN classes TEXT NOT NULL DEFAULT 'rollups,production';
-- A plant that synced before this version sent its raw samples: it goes on sending them
-- (nothing it sent before stops silently), and the new classes besides.
UPDATE sync_state SET classes = 'raw,rollups,production' WHERE site != '';

-- One row per stream once it sent something. position: the stream's high-water mark
-- (rollups: the start of the first hour not yet acknowledged; production: the change
-- time not yet acknowledged; audit and config: the next row id).
CREATE TABLE sync_streams (
    stream       TEXT    PRIMARY KEY,
    position     INTEGER NOT NULL DEFAULT 0,
    next_seq     INTEGER NOT NULL DEFAULT 1,
    last_seq     INTEGER NOT NULL DEFAULT 0,
    last_ack_ts  INTEGER,
    rows_sent    INTEGER NOT NULL DEFAULT 0,
    bytes_sent   INTEGER NOT NULL DEFAULT 0
);

-- A stream's batch made and not yet acknowledged, kept as sent (at most one per stream).
CREATE TABLE sync_stream_outbox (
    stream    TEXT    NOT NULL,
    seq       INTEGER NOT NULL,
    from_pos  INTEGER NOT NULL,
    to_pos    INTEGER NOT NULL,
    rows      INTEGER NOT NULL,
    checksum  TEXT    NOT NULL,
    body      BLOB    NOT NULL,
    made_ts   INTEGER NOT NULL,
    PRIMARY KEY (stream, seq)
);
