-- The central server's schema, first version. Times of samples are UTC milliseconds
-- (bigint), as on the plant; the view samples_named gives them as timestamptz with the
-- site's and tag's names, for plain SQL.

-- One row per plant. last_seq is the sequence number of the newest batch applied (the
-- plant numbers its batches 1, 2, 3, ...); acked_to_ts says that every sample of the
-- site with ts < acked_to_ts has arrived.
CREATE TABLE sites (
    id             bigserial PRIMARY KEY,
    name           text        NOT NULL UNIQUE,
    created_at     timestamptz NOT NULL DEFAULT now(),
    last_seq       bigint      NOT NULL DEFAULT 0,
    acked_to_ts    bigint      NOT NULL DEFAULT 0,
    last_batch_at  timestamptz,
    samples        bigint      NOT NULL DEFAULT 0
);

-- A site's tokens, as SHA-256 of the token (a token is 256 random bits, so a plain
-- hash is enough; the token itself is shown once when made and never stored).
CREATE TABLE site_tokens (
    id          bigserial   PRIMARY KEY,
    site_id     bigint      NOT NULL REFERENCES sites (id),
    token_hash  bytea       NOT NULL UNIQUE,
    created_at  timestamptz NOT NULL DEFAULT now(),
    revoked_at  timestamptz
);

-- Every batch applied: (site, seq) is the idempotency key. A batch sent again with the
-- same checksum gets the answer it got the first time and changes nothing; the same
-- sequence number with another checksum is refused.
CREATE TABLE batches (
    site_id      bigint      NOT NULL REFERENCES sites (id),
    seq          bigint      NOT NULL,
    checksum     bytea       NOT NULL,
    from_ts      bigint      NOT NULL,
    to_ts        bigint      NOT NULL,
    samples      integer     NOT NULL,
    new_samples  integer     NOT NULL,
    bytes        integer     NOT NULL,
    received_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (site_id, seq)
);

-- Tags as the plant names them, keyed by the plant's stable tag id.
CREATE TABLE tags (
    site_id     bigint      NOT NULL REFERENCES sites (id),
    tag_id      bigint      NOT NULL,
    device      text        NOT NULL,
    name        text        NOT NULL,
    unit        text        NOT NULL,
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (site_id, tag_id)
);

-- Raw samples, a row each. value is NULL unless quality is 0 (good) or the value is
-- text; quality 1 no answer, 2 stale, 3 not a number, 4 reconfigured, 256 + code a
-- Modbus exception (the plant's codes).
CREATE TABLE samples (
    site_id  bigint           NOT NULL,
    tag_id   bigint           NOT NULL,
    ts       bigint           NOT NULL,
    value    double precision,
    text     text,
    quality  integer          NOT NULL,
    PRIMARY KEY (site_id, tag_id, ts)
);
-- Rows arrive in time order, so a BRIN index on time stays tiny and finds a day's rows.
CREATE INDEX samples_ts_brin ON samples USING brin (ts);

-- What happened: sites and tokens made, batches refused.
CREATE TABLE events (
    id       bigserial   PRIMARY KEY,
    at       timestamptz NOT NULL DEFAULT now(),
    site_id  bigint      REFERENCES sites (id),
    kind     text        NOT NULL,
    detail   text        NOT NULL
);

CREATE VIEW samples_named AS
    SELECT s.name AS site, t.device, t.name AS tag, t.unit,
           to_timestamp(x.ts / 1000.0) AS time, x.ts, x.value, x.text, x.quality
    FROM samples x
    JOIN sites s ON s.id = x.site_id
    LEFT JOIN tags t ON t.site_id = x.site_id AND t.tag_id = x.tag_id;
