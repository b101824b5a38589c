-- The PostgreSQL schema: the same tables as the SQLite file (src/store/migrations), in one step.

-- A session's fixed part, written once when it is created.
CREATE TABLE sessions (
    id              TEXT PRIMARY KEY,
    code            TEXT NOT NULL UNIQUE,
    facilitator_key TEXT NOT NULL,
    spec            TEXT NOT NULL,   -- JSON: title, scale, areas, items
    created_at      BIGINT NOT NULL, -- ms since the Unix epoch
    compacted_at    BIGINT,          -- when raw ballots were reduced to distributions, or NULL
    stream_cursor   TEXT             -- last command-stream entry whose events are stored (several nodes)
);

-- Everything that happens in a session, in order. Replaying these rebuilds the session.
-- The primary key is also the fence between two nodes that both believe they own a session:
-- only one of them can store event number n.
CREATE TABLE events (
    session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    seq        BIGINT NOT NULL,
    event      TEXT NOT NULL,        -- JSON, see domain::session::Event
    PRIMARY KEY (session_id, seq)
);

-- Catalogues imported by facilitators. Built-in catalogues ship in the binary and are not stored.
CREATE TABLE catalogues (
    id          TEXT NOT NULL,
    version     TEXT NOT NULL,
    catalogue   TEXT NOT NULL,    -- JSON, the catalogue format of docs/protocol.md
    imported_at BIGINT NOT NULL,  -- ms since the Unix epoch
    PRIMARY KEY (id, version)
);
