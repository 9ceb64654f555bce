-- The review of directory drafts (issue 5): who approved or rejected a draft, when, and
-- why. A rejected draft is kept here (not in the entry's `draft` column) so that the
-- submitter sees the reason next to what they wrote and can correct it, while the review
-- queue holds only drafts still waiting. Directory content is public, not personal data;
-- `reviewed_by` is a user id, shown to the organisation's staff as the reviewer.
CREATE TABLE dir_reviews (
    id           TEXT PRIMARY KEY,
    entity_type  TEXT NOT NULL,
    entity_id    TEXT NOT NULL,
    -- approved | rejected
    decision     TEXT NOT NULL,
    reason       TEXT NOT NULL DEFAULT '',
    draft        TEXT,
    reviewed_by  TEXT NOT NULL,
    reviewed_at  BIGINT NOT NULL
);
CREATE INDEX dir_reviews_entity ON dir_reviews (entity_type, entity_id, reviewed_at);
