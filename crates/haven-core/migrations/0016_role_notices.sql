-- Notices to an organisation's administrators that an account of the organisation was given
-- a role that reads persons (the firewall by organisation kind, issue 15): one row per
-- administrator told, like `notifications`. Ids and role codes only, never personal data.
CREATE TABLE role_notices (
    id           TEXT PRIMARY KEY,
    recipient    TEXT NOT NULL REFERENCES users (id),
    user_id      TEXT NOT NULL REFERENCES users (id),
    granted_by   TEXT NOT NULL,
    roles_before TEXT NOT NULL,
    roles_after  TEXT NOT NULL,
    created_at   BIGINT NOT NULL
);
CREATE INDEX role_notices_recipient ON role_notices (recipient, created_at);
