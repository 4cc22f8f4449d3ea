-- Data classes beyond raw samples (issue 14): minute and hour rollups as rows, and
-- production entries, the audit log and configuration versions as records. Each plant
-- stream has its own numbering and high-water mark; (site, stream, seq) is the
-- idempotency key of its batches, and rows are upserted by their keys, so a batch sent
-- again changes nothing.

CREATE TABLE site_streams (
    site_id        bigint      NOT NULL REFERENCES sites (id),
    stream         text        NOT NULL,
    last_seq       bigint      NOT NULL DEFAULT 0,
    position       bigint      NOT NULL DEFAULT 0,
    rows           bigint      NOT NULL DEFAULT 0,
    last_batch_at  timestamptz,
    PRIMARY KEY (site_id, stream)
);

CREATE TABLE stream_batches (
    site_id      bigint      NOT NULL REFERENCES sites (id),
    stream       text        NOT NULL,
    seq          bigint      NOT NULL,
    checksum     bytea       NOT NULL,
    from_pos     bigint      NOT NULL,
    to_pos       bigint      NOT NULL,
    rows         integer     NOT NULL,
    bytes        integer     NOT NULL,
    received_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (site_id, stream, seq)
);

-- Rollups of one tag and bucket (t: the bucket's start, UTC ms): first, last, smallest
-- and largest good value with their times, sum (mean = sum / good), time-weighted sum
-- over twa_ms (time-weighted mean = twa_sum / twa_ms), counts of good and bad samples.
CREATE TABLE rollups_1m (
    site_id   bigint NOT NULL,
    tag_id    bigint NOT NULL,
    t         bigint NOT NULL,
    first_ts  bigint, first double precision,
    last_ts   bigint, last  double precision,
    min_ts    bigint, min   double precision,
    max_ts    bigint, max   double precision,
    sum       double precision NOT NULL,
    twa_sum   double precision NOT NULL,
    twa_ms    bigint NOT NULL,
    good      bigint NOT NULL,
    bad       bigint NOT NULL,
    PRIMARY KEY (site_id, tag_id, t)
);
CREATE INDEX rollups_1m_t_brin ON rollups_1m USING brin (t);

CREATE TABLE rollups_1h (LIKE rollups_1m INCLUDING ALL);

-- Production entries, audit entries and configuration versions, by the plant's kind
-- (its table: reason, stop_reason, planned_stop, scrap, ideal_cycle, audit,
-- config_version) and key there; at: when it was entered or changed (UTC ms); data: its
-- fields, with machines and reasons by their keys and names.
CREATE TABLE records (
    site_id      bigint      NOT NULL REFERENCES sites (id),
    stream       text        NOT NULL,
    kind         text        NOT NULL,
    key          text        NOT NULL,
    at           bigint      NOT NULL,
    data         jsonb       NOT NULL,
    received_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (site_id, stream, kind, key)
);

CREATE VIEW rollups_1h_named AS
    SELECT s.name AS site, t.device, t.name AS tag, t.unit, to_timestamp(r.t / 1000.0) AS hour,
           r.*, CASE WHEN r.good > 0 THEN r.sum / r.good END AS mean,
           CASE WHEN r.twa_ms > 0 THEN r.twa_sum / r.twa_ms END AS twa
    FROM rollups_1h r JOIN sites s ON s.id = r.site_id
    LEFT JOIN tags t ON t.site_id = r.site_id AND t.tag_id = r.tag_id;

CREATE VIEW rollups_1m_named AS
    SELECT s.name AS site, t.device, t.name AS tag, t.unit, to_timestamp(r.t / 1000.0) AS minute,
           r.*, CASE WHEN r.good > 0 THEN r.sum / r.good END AS mean,
           CASE WHEN r.twa_ms > 0 THEN r.twa_sum / r.twa_ms END AS twa
    FROM rollups_1m r JOIN sites s ON s.id = r.site_id
    LEFT JOIN tags t ON t.site_id = r.site_id AND t.tag_id = r.tag_id;

CREATE VIEW audit_log AS
    SELECT s.name AS site, r.key::bigint AS id, to_timestamp(r.at / 1000.0) AS time,
           r.data->>'actor' AS actor, r.data->>'action' AS action,
           r.data->>'target' AS target, r.data->>'detail' AS detail, r.data->>'client' AS client
    FROM records r JOIN sites s ON s.id = r.site_id WHERE r.kind = 'audit';

CREATE VIEW config_versions AS
    SELECT s.name AS site, r.key::bigint AS id, to_timestamp(r.at / 1000.0) AS time,
           r.data->>'actor' AS actor, r.data->>'toml' AS toml
    FROM records r JOIN sites s ON s.id = r.site_id WHERE r.kind = 'config_version';

CREATE VIEW production_entries AS
    SELECT s.name AS site, r.kind, r.key, r.data->>'machine' AS machine,
           to_timestamp(r.at / 1000.0) AS changed, r.data
    FROM records r JOIN sites s ON s.id = r.site_id WHERE r.stream = 'production';
