-- Closed history in hour blocks, fresh data in ten-minute blocks kept apart.
--
-- Blocks of `blocks` say how long their window is: an hour for closed history written
-- now, ten minutes for blocks an older Plantlog wrote. Those are found through a small
-- partial index, and the compactor merges them into hour blocks of the current format
-- in the background (store::convert).

ALTER TABLE blocks ADD COLUMN span INTEGER NOT NULL DEFAULT 600000;

CREATE INDEX blocks_short ON blocks (t0) WHERE span < 3600000;

-- Fresh blocks: the hot rows of ten minutes of one tag, packed, until their hour closes
-- and they are merged into the tag's hour block. Keyed by time first, so one window's
-- blocks of every tag are written side by side (keyed by tag, a window would dirty a
-- page per tag); a rowid table, so a block of a few kilobytes stays on its page.
CREATE TABLE blocks_fresh (
    id      INTEGER PRIMARY KEY,
    t0      INTEGER NOT NULL,
    tag_id  INTEGER NOT NULL,
    n       INTEGER NOT NULL,
    first   INTEGER NOT NULL,
    last    INTEGER NOT NULL,
    data    BLOB    NOT NULL
);
CREATE UNIQUE INDEX blocks_fresh_key ON blocks_fresh (t0, tag_id);
