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
