-- 0007: an idempotency key remembers a digest of the request it was first used with, so that
-- reusing the key for a different request is refused instead of silently answered with the
-- first result.
ALTER TABLE idempotency_keys ADD COLUMN body_hash BLOB CHECK (body_hash IS NULL OR length(body_hash) = 32);
