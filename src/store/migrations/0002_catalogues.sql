-- Catalogues imported by facilitators. Built-in catalogues ship in the binary and are not stored.
CREATE TABLE catalogues (
    id          TEXT NOT NULL,
    version     TEXT NOT NULL,
    catalogue   TEXT NOT NULL,   -- JSON, the catalogue format of docs/protocol.md
    imported_at INTEGER NOT NULL, -- ms since the Unix epoch
    PRIMARY KEY (id, version)
);
