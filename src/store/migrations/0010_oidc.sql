-- OpenID Connect sign-in (docs/decisions/0005): an account that signs in through the organisation's identity
-- provider is found by the provider's issuer and the subject it gives the person; nothing else of theirs is
-- kept but a name and, when the provider has verified it, an email.
ALTER TABLE accounts ADD COLUMN oidc_issuer TEXT;
ALTER TABLE accounts ADD COLUMN oidc_subject TEXT;
CREATE UNIQUE INDEX accounts_oidc ON accounts (oidc_issuer, oidc_subject);

-- A sign-in under way, between the redirect to the provider and its way back: found by the hash of its
-- `state`, used once, forgotten after ten minutes. In the store rather than in one node's memory, so the
-- callback may land on any node.
CREATE TABLE oidc_logins (
    state_hash    TEXT PRIMARY KEY,
    nonce         TEXT NOT NULL,
    pkce_verifier TEXT NOT NULL,
    next          TEXT NOT NULL,        -- the page to return to, a path on this site
    created_at    INTEGER NOT NULL,     -- ms since the Unix epoch
    expires_at    INTEGER NOT NULL
);
