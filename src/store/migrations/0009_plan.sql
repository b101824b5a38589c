-- The living plan between occasions: an organisation's actions (docs/decisions/0005), each stored whole
-- as JSON (domain::roadmap::PlanAction) with its history. An action taken over from a workshop's plan has
-- the id "{join code}-{action id}", so taking it over twice adds it once.
CREATE TABLE plan_actions (
    id              TEXT PRIMARY KEY,
    organisation_id TEXT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    action          TEXT NOT NULL,
    updated_at      INTEGER NOT NULL   -- ms since the Unix epoch
);

CREATE INDEX plan_by_organisation ON plan_actions (organisation_id, updated_at);
