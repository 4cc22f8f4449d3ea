-- Completeness per shift and tag (issue 14). A plant's rollups batches carry, beside
-- the rollups, records (table records, stream 'rollups') that say what was expected and
-- why some samples did not come:
--   kind 'shift'          key: start (UTC ms); data: name, day (the production day, the
--                         plant's local date), from_ts, to_ts, timezone
--   kind 'tag'            key: tag id; data: tag, device, name, interval_ms (the longest
--                         time between stored samples while the device answers: the poll
--                         interval for every-poll tags, the heartbeat for the others),
--                         poll_ms, record (every_poll, on_change, deadband, swinging_door)
--   kind 'plantlog_down'  key: from_ts; data: from_ts, to_ts (Plantlog was not running)
--   kind 'device_offline' key: tag@from_ts; data: tag, from_ts, to_ts (the tag's device
--                         did not answer; a stretch across batches comes in pieces that
--                         join end to start, and the views join them)

CREATE INDEX records_kind ON records (kind, site_id) WHERE stream = 'rollups';

CREATE VIEW shifts AS
    SELECT r.site_id, s.name AS site, r.data->>'day' AS day, r.data->>'name' AS shift,
           (r.data->>'from_ts')::bigint AS from_ts, (r.data->>'to_ts')::bigint AS to_ts,
           to_timestamp((r.data->>'from_ts')::bigint / 1000.0) AS shift_start,
           to_timestamp((r.data->>'to_ts')::bigint / 1000.0) AS shift_end,
           r.data->>'timezone' AS timezone
    FROM records r JOIN sites s ON s.id = r.site_id
    WHERE r.stream = 'rollups' AND r.kind = 'shift';

CREATE VIEW tag_expectations AS
    SELECT r.site_id, (r.data->>'tag')::bigint AS tag_id, r.data->>'device' AS device,
           r.data->>'name' AS tag, (r.data->>'interval_ms')::bigint AS interval_ms,
           (r.data->>'poll_ms')::bigint AS poll_ms, r.data->>'record' AS record
    FROM records r
    WHERE r.stream = 'rollups' AND r.kind = 'tag' AND (r.data->>'interval_ms')::bigint > 0;

-- Per site, shift and tag: the samples expected (the shift's length over the tag's
-- interval), the good samples that arrived (from the minute rollups, at most the
-- expected), and their fraction.
CREATE VIEW completeness AS
    SELECT sh.site, sh.day, sh.shift, sh.shift_start, sh.shift_end, sh.from_ts, sh.to_ts,
           e.device, e.tag, e.tag_id, e.interval_ms, e.record,
           (sh.to_ts - sh.from_ts) / e.interval_ms AS expected,
           least(a.good, (sh.to_ts - sh.from_ts) / e.interval_ms) AS arrived,
           least(a.good, (sh.to_ts - sh.from_ts) / e.interval_ms)::double precision
               / greatest((sh.to_ts - sh.from_ts) / e.interval_ms, 1) AS fraction,
           sh.site_id
    FROM shifts sh
    JOIN tag_expectations e ON e.site_id = sh.site_id
    CROSS JOIN LATERAL (
        SELECT coalesce(sum(m.good), 0)::bigint AS good FROM rollups_1m m
        WHERE m.site_id = sh.site_id AND m.tag_id = e.tag_id
          AND m.t >= sh.from_ts AND m.t < sh.to_ts) a;

-- The known causes of missing samples, per site and tag: the device offline (pieces
-- joined), Plantlog not running (every tag), and not yet synced (from the rollups
-- stream's position on).
CREATE VIEW gap_causes AS
    WITH off AS (
        SELECT site_id, (data->>'tag')::bigint AS tag_id,
               (data->>'from_ts')::bigint AS from_ts, (data->>'to_ts')::bigint AS to_ts
        FROM records WHERE stream = 'rollups' AND kind = 'device_offline'
    ), marked AS (
        SELECT *, CASE WHEN from_ts <= max(to_ts) OVER (PARTITION BY site_id, tag_id
                       ORDER BY from_ts, to_ts ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)
                  THEN 0 ELSE 1 END AS starts
        FROM off
    ), grouped AS (
        SELECT *, sum(starts) OVER (PARTITION BY site_id, tag_id ORDER BY from_ts, to_ts
                                    ROWS UNBOUNDED PRECEDING) AS grp
        FROM marked
    )
    SELECT site_id, tag_id, min(from_ts) AS from_ts, max(to_ts) AS to_ts,
           'device offline' AS cause
    FROM grouped GROUP BY site_id, tag_id, grp
    UNION ALL
    SELECT r.site_id, e.tag_id, (r.data->>'from_ts')::bigint, (r.data->>'to_ts')::bigint,
           'Plantlog not running'
    FROM records r JOIN tag_expectations e ON e.site_id = r.site_id
    WHERE r.stream = 'rollups' AND r.kind = 'plantlog_down'
    UNION ALL
    SELECT st.site_id, e.tag_id, st.position, 9223372036854775807, 'not yet synced'
    FROM site_streams st JOIN tag_expectations e ON e.site_id = st.site_id
    WHERE st.stream = 'rollups';

-- Per site, shift and tag, the gaps with a known cause, clipped to the shift; a cause
-- whose whole minutes hold the samples expected after all (history loaded later) is
-- not a gap.
CREATE VIEW completeness_gaps AS
    WITH g AS (
        SELECT sh.site, sh.day, sh.shift, sh.shift_start, sh.from_ts AS shift_from_ts,
               sh.site_id, c.tag_id, c.cause,
               greatest(c.from_ts, sh.from_ts) AS from_ts, least(c.to_ts, sh.to_ts) AS to_ts
        FROM shifts sh
        JOIN gap_causes c ON c.site_id = sh.site_id AND c.from_ts < sh.to_ts AND c.to_ts > sh.from_ts
    )
    SELECT g.site, g.day, g.shift, g.shift_start, e.device, e.tag, g.tag_id, g.from_ts, g.to_ts,
           to_timestamp(g.from_ts / 1000.0) AS gap_start, to_timestamp(g.to_ts / 1000.0) AS gap_end,
           (g.to_ts - g.from_ts) / 1000.0 AS seconds, g.cause, g.shift_from_ts, g.site_id
    FROM g JOIN tag_expectations e ON e.site_id = g.site_id AND e.tag_id = g.tag_id
    WHERE NOT EXISTS (
        SELECT 1 FROM (SELECT ((g.from_ts + 59999) / 60000) * 60000 AS a,
                              (g.to_ts / 60000) * 60000 AS b) w
        WHERE w.b > w.a
          AND (SELECT coalesce(sum(m.good), 0) FROM rollups_1m m
               WHERE m.site_id = g.site_id AND m.tag_id = g.tag_id AND m.t >= w.a AND m.t < w.b)
              >= (w.b - w.a) / e.interval_ms);
