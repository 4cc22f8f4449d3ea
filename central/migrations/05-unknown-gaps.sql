-- Gaps without a known cause, listed by time (issue 14): per site, shift and tag, every
-- stretch longer than half an interval beyond the tag's interval between two good
-- samples that arrived (from the minute rollups' first and last good sample times, so
-- to the millisecond at the stretch's edges) is a gap, from the first sample that did
-- not come (the sample before plus the interval) to the next that did, clipped to the
-- shift; the shift's start and end count as samples. One that overlaps a gap with a
-- known cause (device offline, Plantlog not running, not yet synced) is left to that
-- cause. Missing samples inside one minute whose first and last samples came are not
-- located (they lower the fraction only). A minute of a text tag counts as covered.

CREATE OR REPLACE VIEW completeness_gaps AS
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
              >= (w.b - w.a) / e.interval_ms)
    UNION ALL
    SELECT sh.site, sh.day, sh.shift, sh.shift_start, e.device, e.tag, e.tag_id,
           p.prev_last + e.interval_ms, p.next_first,
           to_timestamp((p.prev_last + e.interval_ms) / 1000.0),
           to_timestamp(p.next_first / 1000.0),
           (p.next_first - p.prev_last - e.interval_ms) / 1000.0, 'cause not known',
           sh.from_ts, sh.site_id
    FROM shifts sh
    JOIN tag_expectations e ON e.site_id = sh.site_id
    CROSS JOIN LATERAL (
        SELECT lag(pt.last_ts, 1, sh.from_ts - e.interval_ms) OVER (ORDER BY pt.t) AS prev_last,
               pt.first_ts AS next_first
        FROM (
            SELECT m.t, coalesce(m.first_ts, m.t) AS first_ts,
                   coalesce(m.last_ts, m.t + 60000 - e.interval_ms) AS last_ts
            FROM rollups_1m m
            WHERE m.site_id = sh.site_id AND m.tag_id = e.tag_id
              AND m.t >= sh.from_ts AND m.t < sh.to_ts AND m.good > 0
            UNION ALL
            SELECT sh.to_ts, sh.to_ts, sh.to_ts
        ) pt
    ) p
    WHERE p.next_first - p.prev_last > e.interval_ms * 3 / 2
      AND NOT EXISTS (
          SELECT 1 FROM gap_causes c
          WHERE c.site_id = sh.site_id AND c.tag_id = e.tag_id
            AND c.from_ts < p.next_first AND c.to_ts > p.prev_last + e.interval_ms);
