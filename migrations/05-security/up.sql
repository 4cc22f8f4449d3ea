-- Security: a tamper-evident, append-only audit log; login failures counted compactly
-- per window instead of a row per attempt; second factors (TOTP) and recovery codes;
-- time-limited vendor accounts with their scope; sessions that know whether a second
-- factor was used. Times are UTC milliseconds.

-- Each audit record carries SHA-256(previous record's hash || this record), so a record
-- changed, removed from the middle or inserted later breaks the chain
-- (`plantlog audit verify`). Records written before this migration are sealed into the
-- chain at the next start.
ALTER TABLE audit ADD COLUMN hash BLOB;

-- Where the kept chain starts after the retention job removed the oldest records: the
-- id and hash of the last record removed.
CREATE TABLE audit_anchor (
    id       INTEGER PRIMARY KEY CHECK (id = 1),
    last_id  INTEGER NOT NULL,
    hash     BLOB    NOT NULL,
    ts       INTEGER NOT NULL
);

-- Append-only: a sealed record is never changed, and only records at or before the
-- anchor (which the retention job moves first, in the same transaction) can be removed.
CREATE TRIGGER audit_append_only_update BEFORE UPDATE ON audit
WHEN OLD.hash IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;

CREATE TRIGGER audit_append_only_delete BEFORE DELETE ON audit
WHEN OLD.id > COALESCE((SELECT last_id FROM audit_anchor WHERE id = 1), 0)
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only; only the retention job removes the oldest records');
END;

CREATE TRIGGER audit_sealed_insert BEFORE INSERT ON audit
WHEN NEW.hash IS NULL
BEGIN
    SELECT RAISE(ABORT, 'an audit record needs its chain hash');
END;

-- Failed logins, counted per fixed window: per account name (a keyed hash of the
-- normalised name, so unknown names are never stored), per client address, and per
-- name and address (to audit the first failure of each only).
CREATE TABLE login_failures (
    kind          TEXT    NOT NULL CHECK (kind IN ('name', 'source', 'pair')),
    key           TEXT    NOT NULL,
    window_start  INTEGER NOT NULL,
    count         INTEGER NOT NULL,
    PRIMARY KEY (kind, key, window_start)
) WITHOUT ROWID;

ALTER TABLE sessions ADD COLUMN mfa INTEGER NOT NULL DEFAULT 0;

-- TOTP (RFC 6238): the enrolled secret (base32), one being enrolled, the last time step
-- accepted (a code is never accepted twice).
ALTER TABLE users ADD COLUMN mfa_secret TEXT;
ALTER TABLE users ADD COLUMN mfa_pending TEXT;
ALTER TABLE users ADD COLUMN mfa_last_step INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN mfa_enabled_at INTEGER;

-- Vendor accounts: the company, and when the account ends (at most 30 days ahead).
ALTER TABLE users ADD COLUMN vendor_company TEXT;
ALTER TABLE users ADD COLUMN expires_at INTEGER;

-- Recovery codes, by their SHA-256; each works once.
CREATE TABLE mfa_recovery (
    user_id    INTEGER NOT NULL REFERENCES users(id),
    code_hash  BLOB    NOT NULL,
    used_at    INTEGER,
    PRIMARY KEY (user_id, code_hash)
);

-- What a vendor account may see: machines by key, and permissions (pages).
CREATE TABLE vendor_scope (
    user_id  INTEGER NOT NULL REFERENCES users(id),
    kind     TEXT    NOT NULL CHECK (kind IN ('machine', 'permission')),
    key      TEXT    NOT NULL,
    PRIMARY KEY (user_id, kind, key)
);
