-- An organisation's start page lists its sessions and its imported catalogues.
CREATE INDEX sessions_by_organisation ON sessions (organisation_id, created_at);
CREATE INDEX catalogues_by_organisation ON catalogues (organisation_id);
