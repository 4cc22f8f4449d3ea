-- Token rotation with a grace period (issue 14): a rotated site's old tokens stay valid
-- until expires_at, then are refused like revoked ones. NULL: no end.
ALTER TABLE site_tokens ADD COLUMN expires_at timestamptz;
