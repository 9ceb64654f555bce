-- Street outreach (Reach Out model): contacts recorded on a phone, often offline, and
-- synchronised later. A contact's personal data (aliases, free text, the per-person detail)
-- is sealed with the contact's own data key; the columns beside it hold only what the team
-- lead's figures need (when, which area, how many people, what was done).

-- The areas a team works in: configuration per organisation. An organisation without rows
-- here is offered the defaults of the `outreach_area` list in config_lists.
CREATE TABLE outreach_areas (
    org_id    TEXT NOT NULL REFERENCES organisations (id),
    code      TEXT NOT NULL,
    label     TEXT NOT NULL,
    position  BIGINT NOT NULL DEFAULT 0,
    active    BIGINT NOT NULL DEFAULT 1,
    PRIMARY KEY (org_id, code)
);

-- Per-team settings. No row means: no location at all, records kept on the device 14 days.
CREATE TABLE outreach_settings (
    org_id          TEXT PRIMARY KEY REFERENCES organisations (id),
    coarse_location BIGINT NOT NULL DEFAULT 0,
    device_days     BIGINT NOT NULL DEFAULT 14
);

-- One meeting of workers with one or more people. `id` is made by the device (UUIDv7).
-- `payload_mac` is a keyed MAC of the normalised payload, so a repeated submission is
-- recognised without keeping a readable copy.
CREATE TABLE outreach_contacts (
    id           TEXT PRIMARY KEY,
    org_id       TEXT NOT NULL REFERENCES organisations (id),
    version      BIGINT NOT NULL,
    payload_mac  TEXT NOT NULL,
    data_key     TEXT,
    sealed       {BLOB},
    contact_at   BIGINT NOT NULL,
    area         TEXT NOT NULL,
    people       BIGINT NOT NULL,
    contacted    BIGINT NOT NULL,
    informed     BIGINT NOT NULL,
    referred     BIGINT NOT NULL,
    counselling  BIGINT NOT NULL,
    followup_at  BIGINT,
    created_at   BIGINT NOT NULL,
    created_by   TEXT NOT NULL,
    updated_at   BIGINT NOT NULL,
    updated_by   TEXT NOT NULL
);
CREATE INDEX outreach_contacts_org_at ON outreach_contacts (org_id, contact_at);
CREATE INDEX outreach_contacts_org_followup ON outreach_contacts (org_id, followup_at);

-- Every version a contact has had, by the MAC of its payload: a submission already applied
-- gets the same answer again instead of a conflict.
CREATE TABLE outreach_contact_versions (
    contact_id   TEXT NOT NULL REFERENCES outreach_contacts (id),
    version      BIGINT NOT NULL,
    payload_mac  TEXT NOT NULL,
    PRIMARY KEY (contact_id, version)
);

-- The people met in a contact, by position. `person_id` is set only when the person
-- consented to be registered (consent_at, consent_by say when and by whom it was recorded).
CREATE TABLE outreach_contact_persons (
    contact_id  TEXT NOT NULL REFERENCES outreach_contacts (id),
    ordinal     BIGINT NOT NULL,
    org_id      TEXT NOT NULL,
    contact_at  BIGINT NOT NULL,
    person_id   TEXT REFERENCES persons (id),
    consent_at  BIGINT,
    consent_by  TEXT,
    PRIMARY KEY (contact_id, ordinal)
);
CREATE INDEX outreach_contact_persons_person ON outreach_contact_persons (person_id);

-- Blind-index tokens of aliases (see people::names), for finding a returning person.
CREATE TABLE outreach_alias_tokens (
    token       {BLOB} NOT NULL,
    org_id      TEXT NOT NULL,
    contact_id  TEXT NOT NULL REFERENCES outreach_contacts (id),
    ordinal     BIGINT NOT NULL,
    contact_at  BIGINT NOT NULL,
    PRIMARY KEY (token, contact_id, ordinal)
);
CREATE INDEX outreach_alias_tokens_org ON outreach_alias_tokens (org_id, token, contact_at);
CREATE INDEX outreach_alias_tokens_contact ON outreach_alias_tokens (contact_id);

-- Referrals made during a contact: to a network organisation or a directory service.
-- `referral_id` is the join point for the referrals module: when a consented referral is
-- made from this line, it records its id here, and the team lead's view reads the outcome
-- through it.
CREATE TABLE outreach_referrals (
    contact_id   TEXT NOT NULL REFERENCES outreach_contacts (id),
    ordinal      BIGINT NOT NULL,
    target_kind  TEXT NOT NULL,
    target_id    TEXT NOT NULL,
    org_id       TEXT NOT NULL,
    contact_at   BIGINT NOT NULL,
    referral_id  TEXT,
    PRIMARY KEY (contact_id, ordinal, target_kind, target_id)
);
CREATE INDEX outreach_referrals_org ON outreach_referrals (org_id, contact_at);

-- The lists an outreach worker chooses from: configuration with these defaults.
INSERT INTO config_lists (list, code, label, position) VALUES
    ('outreach_area', 'central_station', 'Central station', 1),
    ('outreach_area', 'city_park', 'City park', 2),
    ('outreach_area', 'day_centre', 'Day centre', 3),
    ('outreach_area', 'harbour', 'Harbour and industrial area', 4),
    ('outreach_area', 'camp', 'Informal camp', 5),
    ('outreach_situation', 'sleeping_rough', 'Sleeping rough', 1),
    ('outreach_situation', 'transit_uk', 'In transit to the UK', 2),
    ('outreach_situation', 'dublin_case', 'Dublin case', 3),
    ('outreach_situation', 'working_informally', 'Working informally', 4),
    ('outreach_situation', 'rejected_asylum', 'Asylum claim rejected', 5),
    ('outreach_situation', 'eu_citizen', 'EU citizen without rights to assistance', 6),
    ('outreach_situation', 'staying_with_others', 'Staying with friends or family', 7),
    ('outreach_need', 'shelter', 'Shelter', 1),
    ('outreach_need', 'food', 'Food', 2),
    ('outreach_need', 'health', 'Health care', 3),
    ('outreach_need', 'legal', 'Legal advice', 4),
    ('outreach_need', 'hygiene', 'Hygiene, clothes', 5),
    ('outreach_need', 'safety', 'Safety', 6),
    ('outreach_need', 'phone', 'Phone, charging, contact with family', 7),
    ('outreach_topic', 'asylum', 'Asylum', 1),
    ('outreach_topic', 'regularisation', 'Regularisation', 2),
    ('outreach_topic', 'voluntary_return', 'Voluntary return', 3),
    ('outreach_topic', 'dublin', 'Dublin', 4),
    ('outreach_topic', 'shelter', 'Shelter', 5),
    ('outreach_topic', 'health_care', 'Health care', 6),
    ('outreach_topic', 'reporting_crime', 'Reporting a crime safely', 7),
    ('outreach_topic', 'labour_rights', 'Labour rights', 8),
    ('outreach_age_band', 'under_18', 'Under 18', 1),
    ('outreach_age_band', '18_25', '18 to 25', 2),
    ('outreach_age_band', '26_35', '26 to 35', 3),
    ('outreach_age_band', '36_50', '36 to 50', 4),
    ('outreach_age_band', 'over_50', 'Over 50', 5),
    ('outreach_direction', 'regularisation', 'Regularisation here', 1),
    ('outreach_direction', 'onward_migration', 'Onward migration', 2),
    ('outreach_direction', 'voluntary_return', 'Voluntary return', 3),
    ('outreach_direction', 'other', 'Something else', 4);
