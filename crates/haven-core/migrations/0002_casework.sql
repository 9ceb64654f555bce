-- Casework towards a durable solution, and shelter places.
-- Dates without a time of day are TEXT 'YYYY-MM-DD' (sortable, portable); moments are
-- Unix seconds. Free text about a person is sealed with that person's data key, so
-- destroying the key erases the case file too.

-- Lists that carry law differ by country: they are configuration, not code.
-- list: 'procedure_type' | 'permit_type'.
CREATE TABLE config_lists (
    list      TEXT NOT NULL,
    code      TEXT NOT NULL,
    label     TEXT NOT NULL,
    position  BIGINT NOT NULL DEFAULT 0,
    active    BIGINT NOT NULL DEFAULT 1,
    PRIMARY KEY (list, code)
);
INSERT INTO config_lists (list, code, label, position) VALUES
    ('procedure_type', 'asylum_repeat', 'Asylum repeat application', 1),
    ('procedure_type', 'medical_grounds', 'Medical grounds (postponement of departure)', 2),
    ('procedure_type', 'no_fault_permit', 'No-fault permit', 3),
    ('procedure_type', 'trafficking_victim', 'Permit for victims of human trafficking', 4),
    ('procedure_type', 'family_reunification', 'Family reunification', 5),
    ('procedure_type', 'eu_free_movement', 'EU free movement', 6),
    ('procedure_type', 'return_travel_documents', 'Travel documents for return', 7),
    ('procedure_type', 'other', 'Other', 99),
    ('permit_type', 'asylum', 'Asylum residence permit', 1),
    ('permit_type', 'medical', 'Permit on medical grounds', 2),
    ('permit_type', 'no_fault', 'No-fault permit', 3),
    ('permit_type', 'trafficking_victim', 'Permit for victims of human trafficking', 4),
    ('permit_type', 'family', 'Permit for family reasons', 5),
    ('permit_type', 'eu_rights', 'EU residence rights', 6),
    ('permit_type', 'other', 'Other', 99);

CREATE TABLE programmes (
    id               TEXT PRIMARY KEY,
    name             TEXT NOT NULL,
    target_group     TEXT NOT NULL,
    -- Maximum duration in months; NULL for none.
    max_months       BIGINT,
    caseload_cap     BIGINT NOT NULL DEFAULT 50,
    includes_shelter BIGINT NOT NULL DEFAULT 0,
    -- Outcome codes this programme counts, comma-separated.
    outcomes         TEXT NOT NULL,
    -- Days before the end of a stay at which to alert, comma-separated (e.g. '90,30').
    alert_days       TEXT NOT NULL DEFAULT '90,30',
    active           BIGINT NOT NULL DEFAULT 1,
    created_at       BIGINT NOT NULL,
    updated_at       BIGINT NOT NULL
);
CREATE UNIQUE INDEX programmes_name_key ON programmes (name);

CREATE TABLE cases (
    id                   TEXT PRIMARY KEY,
    person_id            TEXT NOT NULL REFERENCES persons (id),
    programme_id         TEXT NOT NULL REFERENCES programmes (id),
    org_id               TEXT NOT NULL REFERENCES organisations (id),
    case_manager_id      TEXT REFERENCES users (id),
    -- 'open' or 'closed'
    status               TEXT NOT NULL,
    intake_at            BIGINT NOT NULL,
    manager_assigned_at  BIGINT,
    -- The programme's start for this person; stay limits and follow-up count from it.
    start_date           TEXT NOT NULL,
    -- regularisation | onward_migration | voluntary_return | undecided
    perspective          TEXT NOT NULL,
    last_contact_at      BIGINT,
    closed_on            TEXT,
    outcome              TEXT,
    -- Outcome details (permit type, country, supporting organisation), sealed.
    outcome_sealed       {BLOB},
    version              BIGINT NOT NULL,
    created_at           BIGINT NOT NULL,
    updated_at           BIGINT NOT NULL
);
CREATE INDEX cases_manager ON cases (case_manager_id, status);
CREATE INDEX cases_org ON cases (org_id, status);
CREATE INDEX cases_person ON cases (person_id);
CREATE INDEX cases_programme ON cases (programme_id, status);

-- The Reach Out record: migration project, current situation, legal options discussed and
-- the person's own decision, as a history. Texts sealed; codes plain.
CREATE TABLE case_perspectives (
    id              TEXT PRIMARY KEY,
    case_id         TEXT NOT NULL REFERENCES cases (id),
    at              BIGINT NOT NULL,
    recorded_by     TEXT NOT NULL,
    perspective     TEXT NOT NULL,
    -- not_considering | exploring | decided
    decision_stage  TEXT NOT NULL,
    sealed          {BLOB} NOT NULL
);
CREATE INDEX case_perspectives_case ON case_perspectives (case_id, at);

CREATE TABLE legal_procedures (
    id             TEXT PRIMARY KEY,
    case_id        TEXT NOT NULL REFERENCES cases (id),
    kind           TEXT NOT NULL,
    filed_on       TEXT,
    -- pending | granted | refused | withdrawn
    decision       TEXT NOT NULL,
    decision_on    TEXT,
    appeal_filed_on TEXT,
    deadline       TEXT,
    sealed         {BLOB},
    created_at     BIGINT NOT NULL,
    updated_at     BIGINT NOT NULL
);
CREATE INDEX legal_procedures_case ON legal_procedures (case_id);
CREATE INDEX legal_procedures_deadline ON legal_procedures (deadline);

CREATE TABLE goals (
    id          TEXT PRIMARY KEY,
    case_id     TEXT NOT NULL REFERENCES cases (id),
    domain      TEXT NOT NULL,
    -- short | long
    term        TEXT NOT NULL,
    owner_id    TEXT REFERENCES users (id),
    due_on      TEXT,
    -- open | in_progress | achieved | dropped
    status      TEXT NOT NULL,
    -- Title and progress notes, sealed.
    sealed      {BLOB} NOT NULL,
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL
);
CREATE INDEX goals_case ON goals (case_id, status);

CREATE TABLE appointments (
    id          TEXT PRIMARY KEY,
    case_id     TEXT NOT NULL REFERENCES cases (id),
    -- appointment | task
    kind        TEXT NOT NULL,
    due_at      BIGINT NOT NULL,
    done_at     BIGINT,
    sealed      {BLOB} NOT NULL,
    created_by  TEXT NOT NULL,
    created_at  BIGINT NOT NULL
);
CREATE INDEX appointments_case ON appointments (case_id, due_at);

CREATE TABLE case_notes (
    id          TEXT PRIMARY KEY,
    case_id     TEXT NOT NULL REFERENCES cases (id),
    at          BIGINT NOT NULL,
    written_by  TEXT NOT NULL,
    sealed      {BLOB} NOT NULL
);
CREATE INDEX case_notes_case ON case_notes (case_id, at);

CREATE TABLE employment_episodes (
    id              TEXT PRIMARY KEY,
    case_id         TEXT NOT NULL REFERENCES cases (id),
    start_on        TEXT NOT NULL,
    end_on          TEXT,
    -- temporary | fixed
    contract        TEXT NOT NULL,
    sector          TEXT NOT NULL,
    hours_per_week  BIGINT NOT NULL,
    created_at      BIGINT NOT NULL
);
CREATE INDEX employment_episodes_case ON employment_episodes (case_id);

CREATE TABLE shelter_sites (
    id            TEXT PRIMARY KEY,
    name          TEXT NOT NULL,
    neighbourhood TEXT NOT NULL,
    capacity      BIGINT NOT NULL,
    operator_org  TEXT NOT NULL REFERENCES organisations (id),
    target_group  TEXT NOT NULL,
    active        BIGINT NOT NULL DEFAULT 1,
    created_at    BIGINT NOT NULL
);

-- One row per place; a site's capacity is the number of its places.
CREATE TABLE shelter_places (
    id       TEXT PRIMARY KEY,
    site_id  TEXT NOT NULL REFERENCES shelter_sites (id),
    label    TEXT NOT NULL
);
CREATE UNIQUE INDEX shelter_places_label ON shelter_places (site_id, label);

CREATE TABLE placements (
    id                TEXT PRIMARY KEY,
    case_id           TEXT NOT NULL REFERENCES cases (id),
    person_id         TEXT NOT NULL REFERENCES persons (id),
    site_id           TEXT NOT NULL REFERENCES shelter_sites (id),
    place_id          TEXT NOT NULL REFERENCES shelter_places (id),
    admitted_on       TEXT NOT NULL,
    -- The last day of the stay under the programme's limit, extensions included; NULL
    -- when the programme has no limit.
    stay_until        TEXT,
    discharged_on     TEXT,
    -- moved | outcome | left | rule_breach | stay_limit | other
    discharge_reason  TEXT,
    created_by        TEXT NOT NULL,
    created_at        BIGINT NOT NULL
);
-- A place is never given twice, and a person never holds two places.
CREATE UNIQUE INDEX placements_one_per_place ON placements (place_id) WHERE discharged_on IS NULL;
CREATE UNIQUE INDEX placements_one_per_person ON placements (person_id) WHERE discharged_on IS NULL;
CREATE INDEX placements_site ON placements (site_id, discharged_on);
CREATE INDEX placements_case ON placements (case_id);

CREATE TABLE stay_extensions (
    id            TEXT PRIMARY KEY,
    placement_id  TEXT NOT NULL REFERENCES placements (id),
    old_until     TEXT NOT NULL,
    new_until     TEXT NOT NULL,
    -- The reason, sealed.
    sealed        {BLOB} NOT NULL,
    requested_by  TEXT NOT NULL,
    approved_by   TEXT NOT NULL,
    at            BIGINT NOT NULL
);
CREATE INDEX stay_extensions_placement ON stay_extensions (placement_id);

CREATE TABLE waiting_list (
    id               TEXT PRIMARY KEY,
    case_id          TEXT NOT NULL REFERENCES cases (id),
    site_id          TEXT REFERENCES shelter_sites (id),
    -- 1 (urgent) to 3 (normal)
    priority         BIGINT NOT NULL,
    referral_source  TEXT NOT NULL,
    added_at         BIGINT NOT NULL,
    -- waiting | admitted | removed
    status           TEXT NOT NULL,
    closed_at        BIGINT
);
CREATE INDEX waiting_list_status ON waiting_list (status, priority, added_at);
