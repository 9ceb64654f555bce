-- Consented referrals between the organisations of the network, and notifications in Haven.
-- Portable SQL (see 0001). Migrations are only ever added, never edited.

-- Referral types are configuration: each says which of a person's fields a receiving
-- organisation gets (`fields`, a comma-separated allowlist of name, alias, birth, gender,
-- nationalities, languages, phone). Notes are never shared; the residence status only when
-- the person agreed to it in their consent. `label` is used for types without a
-- translation of their own (`referral-type-<code>`).
CREATE TABLE referral_types (
    code      TEXT PRIMARY KEY,
    label     TEXT NOT NULL,
    fields    TEXT NOT NULL,
    active    BIGINT NOT NULL DEFAULT 1,
    position  BIGINT NOT NULL DEFAULT 0
);
INSERT INTO referral_types (code, label, fields, position) VALUES
    ('legal_advice', 'Legal advice', 'name,birth,nationalities,languages,phone', 1),
    ('health_care', 'Health care', 'name,birth,gender,languages,phone', 2),
    ('shelter', 'Shelter', 'name,alias,birth,gender,languages,phone', 3),
    ('return_counselling', 'Return counselling', 'name,birth,nationalities,languages,phone', 4),
    ('day_centre', 'Day centre', 'alias,languages', 5);

-- A person's consent to share the minimum for one purpose (a referral type) with one
-- organisation until a time. Recorded by the sending organisation before any referral;
-- withdrawn by the same organisation when the person says so.
CREATE TABLE referral_consents (
    id                     TEXT PRIMARY KEY,
    person_id              TEXT NOT NULL REFERENCES persons (id),
    org_id                 TEXT NOT NULL REFERENCES organisations (id),
    to_org                 TEXT NOT NULL REFERENCES organisations (id),
    purpose                TEXT NOT NULL REFERENCES referral_types (code),
    share_residence_status BIGINT NOT NULL DEFAULT 0,
    expires_at             BIGINT NOT NULL,
    recorded_by            TEXT NOT NULL,
    recorded_at            BIGINT NOT NULL,
    withdrawn_at           BIGINT,
    withdrawn_by           TEXT
);
CREATE INDEX referral_consents_person ON referral_consents (person_id, org_id);

-- A referral of a person to a service of another network organisation. `sealed` holds the
-- free text (the reason, a decline reason) under the person's own data key. `source_type`
-- and `source_id` say where it was made from ('case' today; outreach contacts later).
-- status: sent | accepted | declined | completed | withdrawn
CREATE TABLE referrals (
    id            TEXT PRIMARY KEY,
    person_id     TEXT NOT NULL REFERENCES persons (id),
    consent_id    TEXT NOT NULL REFERENCES referral_consents (id),
    from_org      TEXT NOT NULL REFERENCES organisations (id),
    to_org        TEXT NOT NULL REFERENCES organisations (id),
    service_id    TEXT NOT NULL REFERENCES dir_services (id),
    type_code     TEXT NOT NULL REFERENCES referral_types (code),
    source_type   TEXT,
    source_id     TEXT,
    status        TEXT NOT NULL,
    result        TEXT,
    sealed        {BLOB},
    created_by    TEXT NOT NULL,
    created_at    BIGINT NOT NULL,
    accepted_at   BIGINT,
    closed_at     BIGINT,
    updated_at    BIGINT NOT NULL
);
CREATE INDEX referrals_from ON referrals (from_org, created_at);
CREATE INDEX referrals_to ON referrals (to_org, created_at);
CREATE INDEX referrals_person ON referrals (person_id, to_org);
CREATE INDEX referrals_consent ON referrals (consent_id);
CREATE INDEX referrals_source ON referrals (source_type, source_id);

-- Every step of a referral, with its time and who took it; the sender sees them all.
-- kind: sent | accepted | declined | completed | withdrawn | consent_withdrawn
CREATE TABLE referral_steps (
    id           TEXT PRIMARY KEY,
    referral_id  TEXT NOT NULL REFERENCES referrals (id),
    kind         TEXT NOT NULL,
    result       TEXT,
    at           BIGINT NOT NULL,
    user_id      TEXT NOT NULL,
    org_id       TEXT NOT NULL
);
CREATE INDEX referral_steps_referral ON referral_steps (referral_id, at);

-- Notifications in Haven, one row per recipient. They hold ids and a kind, never personal
-- data. kind: referral_received | referral_accepted | referral_declined | referral_completed
-- | referral_withdrawn
CREATE TABLE notifications (
    id           TEXT PRIMARY KEY,
    user_id      TEXT NOT NULL REFERENCES users (id),
    kind         TEXT NOT NULL,
    referral_id  TEXT NOT NULL REFERENCES referrals (id),
    created_at   BIGINT NOT NULL,
    read_at      BIGINT
);
CREATE INDEX notifications_user ON notifications (user_id, read_at, created_at);
