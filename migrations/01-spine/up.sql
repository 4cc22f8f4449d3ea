-- Plantlog schema, first version: plant model identities, configuration history,
-- samples, users, sessions, audit log and settings. Times are UTC milliseconds.

-- Every imported configuration, newest last. The newest row is the running plant.
CREATE TABLE config_versions (
    id          INTEGER PRIMARY KEY,
    ts          INTEGER NOT NULL,
    actor       TEXT    NOT NULL,
    toml        TEXT    NOT NULL,  -- the configuration as exported (canonical form)
    source      TEXT    NOT NULL   -- the text as it was given
);

-- Stable ids for the things samples refer to. Rows are never deleted: something
-- removed from the configuration is marked retired and keeps its history.
CREATE TABLE machines (
    id       INTEGER PRIMARY KEY,
    key      TEXT    NOT NULL UNIQUE,
    name     TEXT    NOT NULL,
    retired  INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE devices (
    id        INTEGER PRIMARY KEY,
    key       TEXT    NOT NULL UNIQUE,
    name      TEXT    NOT NULL,
    protocol  TEXT    NOT NULL,
    endpoint  TEXT    NOT NULL,
    retired   INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE tags (
    id          INTEGER PRIMARY KEY,
    device_id   INTEGER NOT NULL REFERENCES devices(id),
    name        TEXT    NOT NULL,
    label       TEXT    NOT NULL,
    machine_id  INTEGER REFERENCES machines(id),
    unit        TEXT    NOT NULL,
    poll_ms     INTEGER NOT NULL,
    retired     INTEGER NOT NULL DEFAULT 0,
    UNIQUE (device_id, name)
);

-- One row per reading. value is NULL unless quality is 0 (good); quality 1 is no
-- answer, 2 stale, 3 not a number, 256 + code a Modbus exception.
CREATE TABLE samples (
    tag_id   INTEGER NOT NULL,
    ts       INTEGER NOT NULL,
    value    REAL,
    quality  INTEGER NOT NULL,
    PRIMARY KEY (tag_id, ts)
) WITHOUT ROWID;

CREATE TABLE users (
    id                    INTEGER PRIMARY KEY,
    username              TEXT    NOT NULL UNIQUE COLLATE NOCASE,
    display_name          TEXT    NOT NULL,
    role                  TEXT    NOT NULL CHECK (role IN ('operator', 'supervisor',
                              'maintenance', 'quality', 'stores', 'management', 'admin')),
    password_hash         TEXT    NOT NULL,
    disabled              INTEGER NOT NULL DEFAULT 0,
    must_change_password  INTEGER NOT NULL DEFAULT 0,
    created_at            INTEGER NOT NULL,
    updated_at            INTEGER NOT NULL,
    last_login_at         INTEGER
);

-- Sessions by the SHA-256 of their token; the token itself is only in the cookie.
CREATE TABLE sessions (
    token_hash    BLOB    PRIMARY KEY,
    user_id       INTEGER NOT NULL REFERENCES users(id),
    created_at    INTEGER NOT NULL,
    last_seen_at  INTEGER NOT NULL,
    client        TEXT    NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE audit (
    id        INTEGER PRIMARY KEY,
    ts        INTEGER NOT NULL,
    actor_id  INTEGER,
    actor     TEXT    NOT NULL,
    action    TEXT    NOT NULL,
    target    TEXT    NOT NULL DEFAULT '',
    detail    TEXT    NOT NULL DEFAULT '',
    client    TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX audit_ts ON audit(ts);

CREATE TABLE settings (
    key    TEXT PRIMARY KEY,
    value  TEXT NOT NULL
);
