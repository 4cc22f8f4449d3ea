-- Sync to a central server (issue 14): where it goes, how far it got, and the batch
-- on its way. The token is not here: it is a secret (src/sync/token.rs).

-- The one sync setting and its position. Off by default. acked_to_ts: every sample with
-- ts < acked_to_ts was acknowledged by the central server; next_seq numbers the next
-- batch made.
CREATE TABLE sync_state (
    id              INTEGER PRIMARY KEY CHECK (id = 1),
    enabled         INTEGER NOT NULL DEFAULT 0,
    url             TEXT    NOT NULL DEFAULT '',
    site            TEXT    NOT NULL DEFAULT '',
    pin_sha256      TEXT    NOT NULL DEFAULT '',  -- the central server's certificate, when pinned
    interval_ms     INTEGER NOT NULL DEFAULT 5000,
    max_backoff_ms  INTEGER NOT NULL DEFAULT 60000,
    acked_to_ts     INTEGER NOT NULL DEFAULT 0,
    next_seq        INTEGER NOT NULL DEFAULT 1,
    last_seq        INTEGER NOT NULL DEFAULT 0,   -- the newest batch acknowledged
    last_ack_ts     INTEGER,                      -- when (the plant's clock)
    last_samples    INTEGER NOT NULL DEFAULT 0,
    last_bytes      INTEGER NOT NULL DEFAULT 0,
    last_attempt_ts INTEGER,
    last_error      TEXT    NOT NULL DEFAULT '',  -- empty after a batch went through
    failures        INTEGER NOT NULL DEFAULT 0,   -- attempts failed in a row
    parked          TEXT    NOT NULL DEFAULT ''   -- why the central server refused the batch
);
INSERT INTO sync_state (id) VALUES (1);

-- The batch made and not yet acknowledged: kept as sent, so a batch whose
-- acknowledgement was lost goes again byte for byte (the central server recognises it
-- by site, seq and checksum). At most one row.
CREATE TABLE sync_outbox (
    seq       INTEGER PRIMARY KEY,
    from_ts   INTEGER NOT NULL,
    to_ts     INTEGER NOT NULL,
    samples   INTEGER NOT NULL,
    checksum  TEXT    NOT NULL,
    body      BLOB    NOT NULL,
    made_ts   INTEGER NOT NULL
);
