-- Hot samples packed per commit: one row per commit of the writer (or per insert)
-- holding all its samples, encoded by store::hot, instead of a row per sample keyed
-- (ts, tag_id). A commit then writes the page its row lands on, not the five or so
-- pages a key-ordered table rebalances at its end (about 90 bytes written a sample at
-- 200 tags). The old rows are packed by Plantlog right after this migration
-- (store::hot::adopt_rows), then samples_hot_rows is dropped.
ALTER TABLE samples_hot RENAME TO samples_hot_rows;

CREATE TABLE samples_hot (
    id      INTEGER PRIMARY KEY,
    first   INTEGER NOT NULL,   -- time of the first sample
    last    INTEGER NOT NULL,   -- time of the last sample
    n       INTEGER NOT NULL,   -- samples in the row
    data    BLOB    NOT NULL
);
