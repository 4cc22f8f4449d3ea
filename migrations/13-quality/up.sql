-- Quality checks and material traceability (issue 15, src/quality/store.rs). Nothing
-- here is overwritten: a plan change retires the old characteristic and adds a new one,
-- a corrected check is a new row that names the one it corrects, a disposition is a new
-- row (the newest counts), and stock is the sum of the moves. Times are UTC
-- milliseconds; "by" is the display name of who entered it, "by_id" their user id (NULL
-- from the command line or the demo).

CREATE TABLE quality_products (
    id          INTEGER PRIMARY KEY,
    code        TEXT    NOT NULL UNIQUE COLLATE NOCASE,
    name        TEXT    NOT NULL,
    -- {"press-1": 12.5}: ideal cycle seconds by machine key
    cycle_json  TEXT    NOT NULL DEFAULT '{}',
    created_at  INTEGER NOT NULL
);

CREATE TABLE quality_characteristics (
    id            INTEGER PRIMARY KEY,
    product_id    INTEGER NOT NULL REFERENCES quality_products(id),
    name          TEXT    NOT NULL,
    kind          TEXT    NOT NULL CHECK (kind IN ('measured', 'attribute')),
    nominal       REAL,
    lower         REAL,
    upper         REAL,
    unit          TEXT,
    every         TEXT    NOT NULL,
    grace_minutes INTEGER NOT NULL,
    grace_parts   INTEGER NOT NULL,
    gauge         TEXT,
    -- 0 once a newer version of the plan replaced it (its checks keep pointing here)
    active        INTEGER NOT NULL DEFAULT 1,
    created_at    INTEGER NOT NULL
);
CREATE INDEX quality_characteristics_product ON quality_characteristics (product_id, active);

CREATE TABLE quality_materials (
    id          INTEGER PRIMARY KEY,
    code        TEXT    NOT NULL UNIQUE COLLATE NOCASE,
    name        TEXT    NOT NULL,
    unit        TEXT    NOT NULL,
    created_at  INTEGER NOT NULL
);

-- A production lot (order) run on one machine.
CREATE TABLE production_lots (
    id           INTEGER PRIMARY KEY,
    code         TEXT    NOT NULL UNIQUE COLLATE NOCASE,
    product_id   INTEGER NOT NULL REFERENCES quality_products(id),
    machine_key  TEXT    NOT NULL,
    started_at   INTEGER NOT NULL,
    started_by   TEXT    NOT NULL,
    started_by_id INTEGER,
    ended_at     INTEGER,
    ended_by     TEXT,
    ended_by_id  INTEGER,
    CHECK (ended_at IS NULL OR ended_at >= started_at)
);
CREATE INDEX production_lots_machine ON production_lots (machine_key, started_at);
-- One running lot per machine.
CREATE UNIQUE INDEX production_lots_running ON production_lots (machine_key) WHERE ended_at IS NULL;

CREATE TABLE quality_checks (
    id                INTEGER PRIMARY KEY,
    lot_id            INTEGER NOT NULL REFERENCES production_lots(id),
    characteristic_id INTEGER NOT NULL REFERENCES quality_characteristics(id),
    -- a measured value, or NULL for an attribute check
    value             REAL,
    -- an attribute check's pass (1) or fail (0), NULL for a measured one
    passed            INTEGER,
    in_spec           INTEGER NOT NULL,
    -- parts of the lot counted when it was made (for "every N parts")
    parts             INTEGER NOT NULL DEFAULT 0,
    source            TEXT    NOT NULL DEFAULT 'typed' CHECK (source IN ('typed', 'gauge', 'demo')),
    comment           TEXT    NOT NULL DEFAULT '',
    -- the check this one corrects (that one then no longer counts)
    corrects          INTEGER REFERENCES quality_checks(id),
    at                INTEGER NOT NULL,
    by                TEXT    NOT NULL,
    by_id             INTEGER
);
CREATE INDEX quality_checks_lot ON quality_checks (lot_id, characteristic_id, at);
CREATE INDEX quality_checks_char ON quality_checks (characteristic_id, at);

CREATE TABLE quality_dispositions (
    id          INTEGER PRIMARY KEY,
    check_id    INTEGER NOT NULL REFERENCES quality_checks(id),
    disposition TEXT    NOT NULL CHECK (disposition IN ('rework', 'scrap', 'accept_deviation')),
    comment     TEXT    NOT NULL,
    at          INTEGER NOT NULL,
    by          TEXT    NOT NULL,
    by_id       INTEGER
);
CREATE INDEX quality_dispositions_check ON quality_dispositions (check_id, at);

CREATE TABLE lot_scrap (
    id          INTEGER PRIMARY KEY,
    lot_id      INTEGER NOT NULL REFERENCES production_lots(id),
    parts       INTEGER NOT NULL CHECK (parts > 0),
    reason      TEXT    NOT NULL,
    comment     TEXT    NOT NULL DEFAULT '',
    at          INTEGER NOT NULL,
    by          TEXT    NOT NULL,
    by_id       INTEGER
);
CREATE INDEX lot_scrap_lot ON lot_scrap (lot_id);

-- A lot of material received from a supplier; `code` is the label on it (scanned).
CREATE TABLE material_lots (
    id            INTEGER PRIMARY KEY,
    code          TEXT    NOT NULL UNIQUE COLLATE NOCASE,
    material_id   INTEGER NOT NULL REFERENCES quality_materials(id),
    supplier      TEXT    NOT NULL,
    supplier_lot  TEXT    NOT NULL,
    quantity      REAL    NOT NULL CHECK (quantity > 0),
    received_at   INTEGER NOT NULL,
    certificate   TEXT    NOT NULL DEFAULT '',
    by            TEXT    NOT NULL,
    by_id         INTEGER
);
CREATE INDEX material_lots_supplier ON material_lots (supplier_lot);

-- Every move of a material lot: received, issued (to a machine, and the lot running on
-- it), returned, scrapped. Stock on hand = received + returned - issued - scrapped.
CREATE TABLE material_moves (
    id              INTEGER PRIMARY KEY,
    material_lot_id INTEGER NOT NULL REFERENCES material_lots(id),
    kind            TEXT    NOT NULL CHECK (kind IN ('receive', 'issue', 'return', 'scrap')),
    quantity        REAL    NOT NULL CHECK (quantity > 0),
    machine_key     TEXT,
    lot_id          INTEGER REFERENCES production_lots(id),
    comment         TEXT    NOT NULL DEFAULT '',
    at              INTEGER NOT NULL,
    by              TEXT    NOT NULL,
    by_id           INTEGER
);
CREATE INDEX material_moves_lot ON material_moves (material_lot_id, at);
CREATE INDEX material_moves_production_lot ON material_moves (lot_id);
