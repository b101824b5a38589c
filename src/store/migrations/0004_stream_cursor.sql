-- Several nodes: the last command-stream entry whose events are stored, written in the same transaction,
-- so a node taking a session over resumes the stream exactly where the stored state ends. NULL on one node.
ALTER TABLE sessions ADD COLUMN stream_cursor TEXT;
