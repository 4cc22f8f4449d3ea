-- Minute rollups of version 3 (store::minutes::v3). Rows written by an older version
-- (the first byte of data is the version) stay readable; the compactor finds them
-- through this index and rewrites them in version 3 (store::convert). Rows in the
-- current version are not in the index, so it costs nothing once they are rewritten.
CREATE INDEX rollup_1m_outdated ON rollup_1m (id) WHERE substr(data, 1, 1) < x'03';
