-- A session's fixed part, written once when it is created.
CREATE TABLE sessions (
    id              TEXT PRIMARY KEY,
    code            TEXT NOT NULL UNIQUE,
    facilitator_key TEXT NOT NULL,
    spec            TEXT NOT NULL,  -- JSON: title, scale, areas, items
    created_at      INTEGER NOT NULL -- ms since the Unix epoch
);

-- Everything that happens in a session, in order. Replaying these rebuilds the session.
CREATE TABLE events (
    session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    seq        INTEGER NOT NULL,
    event      TEXT NOT NULL,       -- JSON, see domain::session::Event
    PRIMARY KEY (session_id, seq)
) WITHOUT ROWID;
