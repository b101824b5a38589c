-- The owner model (docs/decisions/0005): staff accounts, organisations with units and members, and the
-- server-side sessions behind sign-in cookies. Participants never have an account.

-- A member of staff: the least needed to sign in and be named inside an organisation.
CREATE TABLE accounts (
    id            TEXT PRIMARY KEY,
    name          TEXT NOT NULL,
    email         TEXT UNIQUE,          -- lower case; NULL for an account that signs in with OpenID only
    password_hash TEXT,                 -- Argon2id (PHC string); NULL without a local password
    created_at    INTEGER NOT NULL      -- ms since the Unix epoch
);

CREATE TABLE organisations (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    created_at INTEGER NOT NULL
);

-- Verksamhetsområden: Äldreomsorg, IFO, Funktionsnedsättning, …
CREATE TABLE units (
    id              TEXT PRIMARY KEY,
    organisation_id TEXT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    name            TEXT NOT NULL
);

CREATE TABLE memberships (
    organisation_id TEXT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    account_id      TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    role            TEXT NOT NULL,      -- admin, facilitator or viewer
    PRIMARY KEY (organisation_id, account_id)
);

-- A signed-in browser: only the hash of the cookie's token is kept.
CREATE TABLE web_sessions (
    token_hash TEXT PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    csrf_token TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);

-- Who owns a session or an imported catalogue; NULL for what was made before organisations (it keeps
-- working through its key) and for anonymous sessions under --allow-anonymous.
ALTER TABLE sessions ADD COLUMN organisation_id TEXT REFERENCES organisations(id);
ALTER TABLE catalogues ADD COLUMN organisation_id TEXT REFERENCES organisations(id);
