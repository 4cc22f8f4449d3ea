-- Blocks of closed history span an hour (fresh ones ten minutes, as before): each block
-- says how long its window is. Blocks of shorter span, and blocks written by an older
-- Plantlog, are found through a small partial index: the compactor merges them into
-- hour blocks of the current format in the background (store::convert).

ALTER TABLE blocks ADD COLUMN span INTEGER NOT NULL DEFAULT 600000;

CREATE INDEX blocks_short ON blocks (t0) WHERE span < 3600000;
