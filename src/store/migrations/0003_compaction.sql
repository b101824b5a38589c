-- When a session's raw ballots were reduced to their distributions (ms since the Unix epoch), or NULL.
ALTER TABLE sessions ADD COLUMN compacted_at INTEGER;
