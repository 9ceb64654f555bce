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

-- The rest of the directory (see docs/hsds-profile.md and ARCHITECTURE.md).
--
-- Storage model: each HSDS entry is kept as its HSDS JSON object (`hsds`, the published
-- text; `draft`, a change waiting for review), so every field of HSDS 3.0 survives
-- import and export without a column per field. What the public API filters, sorts and
-- searches on is copied into indexed columns and small link tables when an entry is
-- published. Only published entries (`published = 1`) are ever served publicly.
-- `source_lang` is the language of the HSDS text; translations live in
-- dir_translations. `last_checked_at` is when someone last confirmed the entry is true.
ALTER TABLE dir_organizations ADD COLUMN description TEXT NOT NULL DEFAULT '';
ALTER TABLE dir_organizations ADD COLUMN source_lang TEXT NOT NULL DEFAULT 'en';
ALTER TABLE dir_organizations ADD COLUMN hsds TEXT;
ALTER TABLE dir_organizations ADD COLUMN draft TEXT;
ALTER TABLE dir_organizations ADD COLUMN published BIGINT NOT NULL DEFAULT 0;
ALTER TABLE dir_organizations ADD COLUMN last_checked_at BIGINT;
ALTER TABLE dir_organizations ADD COLUMN draft_at BIGINT;
CREATE INDEX dir_organizations_published_name ON dir_organizations (published, name, id);

ALTER TABLE dir_services ADD COLUMN description TEXT NOT NULL DEFAULT '';
ALTER TABLE dir_services ADD COLUMN source_lang TEXT NOT NULL DEFAULT 'en';
ALTER TABLE dir_services ADD COLUMN hsds TEXT;
ALTER TABLE dir_services ADD COLUMN draft TEXT;
ALTER TABLE dir_services ADD COLUMN published BIGINT NOT NULL DEFAULT 0;
ALTER TABLE dir_services ADD COLUMN last_checked_at BIGINT;
ALTER TABLE dir_services ADD COLUMN draft_at BIGINT;
CREATE INDEX dir_services_published_name ON dir_services (published, name, id);
CREATE INDEX dir_services_updated ON dir_services (updated_at);

-- A place where services are delivered. A confidential location (a shelter for victims)
-- never has its address or coordinates stored here at all: `confidential = 1` and the
-- HSDS object carries only "call to arrange".
CREATE TABLE dir_locations (
    id               TEXT PRIMARY KEY,
    organization_id  TEXT REFERENCES dir_organizations (id),
    name             TEXT NOT NULL DEFAULT '',
    confidential     BIGINT NOT NULL DEFAULT 0,
    source_lang      TEXT NOT NULL DEFAULT 'en',
    hsds             TEXT,
    draft            TEXT,
    published        BIGINT NOT NULL DEFAULT 0,
    last_checked_at  BIGINT,
    draft_at         BIGINT,
    created_at       BIGINT NOT NULL,
    updated_at       BIGINT NOT NULL
);
CREATE INDEX dir_locations_org ON dir_locations (organization_id);

-- A service at a location; published with its service.
CREATE TABLE dir_service_at_locations (
    id           TEXT PRIMARY KEY,
    service_id   TEXT NOT NULL REFERENCES dir_services (id),
    location_id  TEXT REFERENCES dir_locations (id),
    hsds         TEXT NOT NULL,
    updated_at   BIGINT NOT NULL
);
CREATE INDEX dir_sal_service ON dir_service_at_locations (service_id);
CREATE INDEX dir_sal_location ON dir_service_at_locations (location_id);

CREATE TABLE dir_taxonomies (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    hsds        TEXT NOT NULL,
    updated_at  BIGINT NOT NULL
);

CREATE TABLE dir_taxonomy_terms (
    id           TEXT PRIMARY KEY,
    taxonomy_id  TEXT,
    parent_id    TEXT,
    code         TEXT,
    name         TEXT NOT NULL,
    hsds         TEXT NOT NULL,
    updated_at   BIGINT NOT NULL
);
CREATE INDEX dir_taxonomy_terms_taxonomy ON dir_taxonomy_terms (taxonomy_id);
CREATE INDEX dir_taxonomy_terms_parent ON dir_taxonomy_terms (parent_id);

-- Which taxonomy terms an entry carries (its HSDS attributes), for taxonomy filters.
-- entity_type: organization | service | location
CREATE TABLE dir_entity_terms (
    term_id      TEXT NOT NULL,
    entity_type  TEXT NOT NULL,
    entity_id    TEXT NOT NULL,
    taxonomy_id  TEXT,
    PRIMARY KEY (term_id, entity_type, entity_id)
);
CREATE INDEX dir_entity_terms_entity ON dir_entity_terms (entity_type, entity_id);
CREATE INDEX dir_entity_terms_taxonomy ON dir_entity_terms (taxonomy_id, entity_type, entity_id);

-- Languages a service is offered in (HSDS service.languages[].code, lower case).
CREATE TABLE dir_service_languages (
    code        TEXT NOT NULL,
    service_id  TEXT NOT NULL,
    PRIMARY KEY (code, service_id)
);
CREATE INDEX dir_service_languages_service ON dir_service_languages (service_id);

-- The word index for the public text search: each published entry's words in every
-- language it has (folded to lower-case ASCII), so a search is a few index lookups.
CREATE TABLE dir_search_terms (
    term         TEXT NOT NULL,
    entity_type  TEXT NOT NULL,
    entity_id    TEXT NOT NULL,
    PRIMARY KEY (term, entity_type, entity_id)
);
CREATE INDEX dir_search_terms_entity ON dir_search_terms (entity_type, entity_id);

-- Translations of an entry's text fields; HSDS text itself is single-language.
-- Published translations only; a draft carries its own inside the `draft` JSON.
CREATE TABLE dir_translations (
    entity_type  TEXT NOT NULL,
    entity_id    TEXT NOT NULL,
    lang         TEXT NOT NULL,
    field        TEXT NOT NULL,
    value        TEXT NOT NULL,
    PRIMARY KEY (entity_type, entity_id, lang, field)
);
