-- Members join an organisation by a link an admin hands out: only the hash of its token is kept, and a
-- link works once, until it expires.
CREATE TABLE invitations (
    token_hash      TEXT PRIMARY KEY,
    organisation_id TEXT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    role            TEXT NOT NULL,      -- admin, facilitator or viewer
    created_at      INTEGER NOT NULL,   -- ms since the Unix epoch
    expires_at      INTEGER NOT NULL,
    used_at         INTEGER
);

