-- Alarm e-mail (issue 13, src/mail): the plant's SMTP server (its password is in the OS
-- keyring, never here), the people's e-mail addresses, and the durable queue of mails
-- that waits out a network or server outage. Times are UTC milliseconds.

-- The SMTP server: one row, set by the admin.
CREATE TABLE mail_settings (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    host        TEXT    NOT NULL,
    port        INTEGER NOT NULL,
    -- starttls (port 587), tls (implicit TLS, port 465) or none (a LAN relay, port 25)
    security    TEXT    NOT NULL CHECK (security IN ('starttls', 'tls', 'none')),
    -- the account on the server ('' when the server takes mail without logging in)
    username    TEXT    NOT NULL DEFAULT '',
    sender      TEXT    NOT NULL,
    updated_at  INTEGER NOT NULL,
    updated_by  TEXT    NOT NULL
);

-- A person's e-mail address: alarms for their role are mailed there.
CREATE TABLE user_emails (
    user_id  INTEGER PRIMARY KEY REFERENCES users(id),
    email    TEXT    NOT NULL
);

-- Mails to send, oldest first, each once. A mail is queued in the same transaction as
-- the alarm transition it tells of; it is sent in id order and marked sent right after
-- the server accepted it. Its Message-ID is fixed when queued, so a mail sent again
-- after a crash in the moment between the server's "250" and the mark is the same mail.
CREATE TABLE mail_queue (
    id           INTEGER PRIMARY KEY,
    message_id   TEXT    NOT NULL UNIQUE,
    created_at   INTEGER NOT NULL,
    -- alarm, escalation, digest
    kind         TEXT    NOT NULL,
    alarm_id     INTEGER REFERENCES alarms(id),
    -- the addresses, comma-separated
    recipients   TEXT    NOT NULL,
    subject      TEXT    NOT NULL,
    body         TEXT    NOT NULL,
    attempts     INTEGER NOT NULL DEFAULT 0,
    next_try_at  INTEGER NOT NULL,
    last_error   TEXT,
    sent_at      INTEGER,
    -- refused for good by the server (a permanent 5xx answer): not tried again
    failed_at    INTEGER
);
CREATE INDEX mail_queue_pending ON mail_queue (id) WHERE sent_at IS NULL AND failed_at IS NULL;
CREATE INDEX mail_queue_created ON mail_queue (created_at);

-- Escalation: which step of an alarm's escalation list was notified, and when.
CREATE TABLE alarm_escalations (
    alarm_id  INTEGER NOT NULL REFERENCES alarms(id),
    step      INTEGER NOT NULL,
    role      TEXT    NOT NULL,
    at        INTEGER NOT NULL,
    PRIMARY KEY (alarm_id, step)
);

-- The daily digest: one per role and day (the plant's local date), once.
CREATE TABLE mail_digests (
    role  TEXT    NOT NULL,
    day   TEXT    NOT NULL,
    at    INTEGER NOT NULL,
    PRIMARY KEY (role, day)
);
