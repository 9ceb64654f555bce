-- The services directory, modelled on Open Referral HSDS 3.0. This file fixes the two tables
-- other parts of Haven refer to (referrals point at a service; a service belongs to a
-- directory organisation, which may be a member of Haven's network). The directory module
-- adds the rest of its tables below; columns added to these two must be nullable or have a
-- default.

-- An organisation as the directory publishes it. `haven_org_id` links it to the network
-- member whose partner staff keep it up to date and who receive referrals to its services;
-- imported organisations that are not network members have none.
CREATE TABLE dir_organizations (
    id            TEXT PRIMARY KEY,
    haven_org_id  TEXT REFERENCES organisations (id),
    name          TEXT NOT NULL,
    created_at    BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL
);
CREATE INDEX dir_organizations_haven_org ON dir_organizations (haven_org_id);

-- A service: what an organisation offers.
CREATE TABLE dir_services (
    id               TEXT PRIMARY KEY,
    organization_id  TEXT NOT NULL REFERENCES dir_organizations (id),
    name             TEXT NOT NULL,
    -- HSDS status: active | inactive | defunct | temporarily closed
    status           TEXT NOT NULL DEFAULT 'active',
    created_at       BIGINT NOT NULL,
    updated_at       BIGINT NOT NULL
);
CREATE INDEX dir_services_org ON dir_services (organization_id);
