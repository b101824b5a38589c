-- The catalogue library: a version can be retired (hidden from new sessions), and a session names the
-- catalogue version it was started on, so "which occasions used which version" and "no session uses
-- it" are one indexed query.
ALTER TABLE catalogues ADD COLUMN retired_at INTEGER;
ALTER TABLE sessions ADD COLUMN catalogue_id TEXT;
ALTER TABLE sessions ADD COLUMN catalogue_version TEXT;
UPDATE sessions SET catalogue_id = json_extract(spec, '$.catalogue.id'),
                    catalogue_version = json_extract(spec, '$.catalogue.version');
CREATE INDEX sessions_by_catalogue ON sessions (catalogue_id, catalogue_version);
