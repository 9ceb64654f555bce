-- The hub's work on a report (issue 15): triage, legal counselling, protective measures,
-- accompaniment to the police, the police hand-over with the reporter's consent, and the
-- keyed blind index of perpetrators' names for repeat-perpetrator flags.
--
-- Personal text (notes, topics, the station and police reference, a perpetrator's name,
-- what was handed over) is sealed with the report's own data key (`hub_reports.data_key`),
-- so the purge of a report erases it with the key. Plain columns hold only what the
-- figures need: kinds, states, months; they stay after the purge.

-- Triage of a report: one row per report.
CREATE TABLE hub_triage (
    report_id  TEXT PRIMARY KEY REFERENCES hub_reports (id),
    hub_org    TEXT NOT NULL REFERENCES organisations (id),
    -- `urgent`, `soon` or `routine`.
    urgency    TEXT NOT NULL,
    -- Codes of what is needed, comma-separated (`legal_advice,shelter,…`).
    needs      TEXT NOT NULL,
    -- When to follow up (a day, Unix seconds at 00:00 UTC), if set.
    follow_up  BIGINT,
    -- Notes, sealed with the report's key; NULL after the purge.
    sealed     {BLOB},
    updated_by TEXT REFERENCES users (id),
    updated_at BIGINT NOT NULL,
    version    BIGINT NOT NULL DEFAULT 1
);

-- Counselling given, protective measures, accompaniments: one row each.
CREATE TABLE hub_actions (
    id         TEXT PRIMARY KEY,
    report_id  TEXT NOT NULL REFERENCES hub_reports (id),
    hub_org    TEXT NOT NULL REFERENCES organisations (id),
    -- `counselling`, `measure` or `accompaniment`.
    kind       TEXT NOT NULL,
    -- For a measure: `permit_trafficking`, `permit_domestic_violence`, `shelter`.
    measure    TEXT,
    -- For a measure: `explored`, `applied`, `granted`, `refused`.
    state      TEXT,
    -- The day it happened (Unix seconds at 00:00 UTC) and its month `YYYY-MM`.
    day        BIGINT NOT NULL,
    month      TEXT NOT NULL,
    -- Whether a measure was ever applied for (kept when it is then granted or refused).
    applied    BIGINT NOT NULL DEFAULT 0,
    -- Topic, station, outcome, police reference, note: sealed with the report's key.
    sealed     {BLOB},
    created_by TEXT REFERENCES users (id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    version    BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX hub_actions_report ON hub_actions (report_id, day);
CREATE INDEX hub_actions_hub ON hub_actions (hub_org, kind, month);

-- The reporter's consent to a hand-over to one police liaison unit, recorded first.
CREATE TABLE hub_handover_consents (
    id           TEXT PRIMARY KEY,
    report_id    TEXT NOT NULL REFERENCES hub_reports (id),
    hub_org      TEXT NOT NULL REFERENCES organisations (id),
    police_org   TEXT NOT NULL REFERENCES organisations (id),
    -- `in_person`, `phone`, `in_writing`, `conversation` (through the receipt code).
    given_how    TEXT NOT NULL,
    given_at     BIGINT NOT NULL,
    -- The reporter's explicit choices: may residence status, nationality, address go?
    with_status  BIGINT NOT NULL DEFAULT 0,
    with_nationality BIGINT NOT NULL DEFAULT 0,
    with_address BIGINT NOT NULL DEFAULT 0,
    recorded_by  TEXT REFERENCES users (id),
    created_at   BIGINT NOT NULL
);
CREATE INDEX hub_handover_consents_report ON hub_handover_consents (report_id);

-- What went to the police: the chosen fields, sealed with the report's key. `fields`
-- names them (plain codes, no values) so the police list can say what a hand-over holds.
CREATE TABLE hub_handovers (
    id          TEXT PRIMARY KEY,
    report_id   TEXT NOT NULL REFERENCES hub_reports (id),
    hub_org     TEXT NOT NULL REFERENCES organisations (id),
    police_org  TEXT NOT NULL REFERENCES organisations (id),
    consent_id  TEXT NOT NULL REFERENCES hub_handover_consents (id),
    category    TEXT NOT NULL,
    month       TEXT NOT NULL,
    fields      TEXT NOT NULL,
    sealed      {BLOB},
    created_by  TEXT REFERENCES users (id),
    created_at  BIGINT NOT NULL
);
CREATE INDEX hub_handovers_police ON hub_handovers (police_org, created_at);
CREATE INDEX hub_handovers_report ON hub_handovers (report_id);

-- A perpetrator (an employer or a person) named in a report: the name sealed with the
-- report's key, in this table; its keyed blind index in the next, apart from it.
CREATE TABLE hub_perpetrators (
    id         TEXT PRIMARY KEY,
    report_id  TEXT NOT NULL REFERENCES hub_reports (id),
    sealed     {BLOB},
    created_by TEXT REFERENCES users (id),
    created_at BIGINT NOT NULL
);
CREATE INDEX hub_perpetrators_report ON hub_perpetrators (report_id);

-- HMAC (blind-index key, domain `hub-perpetrator`) of the normalised name. Dropped with
-- the report's purge.
CREATE TABLE hub_perpetrator_index (
    perpetrator_id TEXT PRIMARY KEY REFERENCES hub_perpetrators (id),
    report_id      TEXT NOT NULL REFERENCES hub_reports (id),
    hub_org        TEXT NOT NULL REFERENCES organisations (id),
    bidx           {BLOB} NOT NULL
);
CREATE INDEX hub_perpetrator_index_bidx ON hub_perpetrator_index (hub_org, bidx);
