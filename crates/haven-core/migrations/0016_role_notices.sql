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

-- The firewall by organisation kind: a police liaison unit is never in the public
-- directory. Entries published before the rule existed are withdrawn and unlinked.
UPDATE dir_services SET published = 0 WHERE organization_id IN (
    SELECT d.id FROM dir_organizations d JOIN organisations o ON o.id = d.haven_org_id
    WHERE o.kind = 'police_liaison');
UPDATE dir_locations SET published = 0 WHERE organization_id IN (
    SELECT d.id FROM dir_organizations d JOIN organisations o ON o.id = d.haven_org_id
    WHERE o.kind = 'police_liaison');
UPDATE dir_organizations SET published = 0, haven_org_id = NULL WHERE haven_org_id IN (
    SELECT id FROM organisations WHERE kind = 'police_liaison');
