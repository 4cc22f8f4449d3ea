-- The historian: new samples as rows keyed by time first (a commit appends at the end
-- of the table instead of touching a page per tag), older samples as compressed blocks
-- per tag and ten-minute window, and rollups per minute and hour.

CREATE TABLE samples_hot (
    ts       INTEGER NOT NULL,
    tag_id   INTEGER NOT NULL,
    value,
    quality  INTEGER NOT NULL,
    PRIMARY KEY (ts, tag_id)
) WITHOUT ROWID;

INSERT INTO samples_hot (ts, tag_id, value, quality)
    SELECT ts, tag_id, value, quality FROM samples;
DROP TABLE samples;

-- Samples of one tag with t0 <= ts < t0 + window, encoded by store::codec. A rowid
-- table: blocks are appended in time order, so its pages fill up; the index finds a
-- tag's blocks.
CREATE TABLE blocks (
    id      INTEGER PRIMARY KEY,
    tag_id  INTEGER NOT NULL,
    t0      INTEGER NOT NULL,
    n       INTEGER NOT NULL,   -- samples in the block
    first   INTEGER NOT NULL,   -- time of the first sample
    last    INTEGER NOT NULL,   -- time of the last sample
    data    BLOB    NOT NULL
);
CREATE UNIQUE INDEX blocks_tag ON blocks (tag_id, t0);

-- The minute rollups of one tag and hour, encoded by store::codec (a row per minute
-- would take more room than the samples).
CREATE TABLE rollup_1m (
    id      INTEGER PRIMARY KEY,
    tag_id  INTEGER NOT NULL,
    hour    INTEGER NOT NULL,
    data    BLOB    NOT NULL
);
CREATE UNIQUE INDEX rollup_1m_tag ON rollup_1m (tag_id, hour);

CREATE TABLE rollup_1h (
    tag_id    INTEGER NOT NULL,
    t         INTEGER NOT NULL,
    first_ts  INTEGER, first REAL,
    last_ts   INTEGER, last REAL,
    min_ts    INTEGER, min REAL,
    max_ts    INTEGER, max REAL,
    sum       REAL NOT NULL,
    twa_sum   REAL NOT NULL,
    twa_ms    INTEGER NOT NULL,
    good      INTEGER NOT NULL,
    bad       INTEGER NOT NULL,
    PRIMARY KEY (tag_id, t)
) WITHOUT ROWID;

-- What the retention job removed, and when: the history of purges.
CREATE TABLE purges (
    id          INTEGER PRIMARY KEY,
    ts          INTEGER NOT NULL,
    class       TEXT    NOT NULL,
    before_ts   INTEGER NOT NULL,   -- data older than this was removed
    rows        INTEGER NOT NULL,
    samples     INTEGER NOT NULL,
    archive     TEXT    NOT NULL DEFAULT ''   -- file the data went to first, if any
);
