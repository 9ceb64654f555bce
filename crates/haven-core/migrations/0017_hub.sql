-- The safe-reporting hub (issue 15): reports of crimes made to a reporting hub, online
-- without an account or recorded by a hub officer, and the conversation on each.
--
-- What a report says (what happened, where, how to reach the reporter) and every message
-- are sealed with the report's own data key (`data_key`, wrapped by the key-encryption
-- key, bound to the report id). Plain columns hold only what the figures need: category,
-- month, language, victim or witness, channel, status. No column holds an address, a user
-- agent or residence status. The receipt code is stored only as a keyed blind index.
--
-- Purge: a closed report's sealed text, wrapped key, receipt index and messages go when
-- `purge_after` has passed (the retention sweep); the row stays with its plain columns so
-- counts remain. Casework of the hub (triage, counselling, measures, hand-over) belongs in
-- its own tables that reference `hub_reports (id)`.

-- The categories a reporter chooses from; the hub's administrator may add more. A
-- built-in category's label is translated (`report-cat-<code>`); an added one carries its
-- labels here, as JSON `{"en": "…", "ar": "…"}`.
CREATE TABLE hub_categories (
    code       TEXT PRIMARY KEY,
    position   BIGINT NOT NULL,
    active     BIGINT NOT NULL DEFAULT 1,
    labels     TEXT NOT NULL DEFAULT '{}',
    created_at BIGINT NOT NULL
);
INSERT INTO hub_categories (code, position, created_at) VALUES ('labour_exploitation', 10, 0);
INSERT INTO hub_categories (code, position, created_at) VALUES ('trafficking', 20, 0);
INSERT INTO hub_categories (code, position, created_at) VALUES ('domestic_violence', 30, 0);
INSERT INTO hub_categories (code, position, created_at) VALUES ('sexual_violence', 40, 0);
INSERT INTO hub_categories (code, position, created_at) VALUES ('assault', 50, 0);
INSERT INTO hub_categories (code, position, created_at) VALUES ('theft_robbery', 60, 0);
INSERT INTO hub_categories (code, position, created_at) VALUES ('fraud', 70, 0);
INSERT INTO hub_categories (code, position, created_at) VALUES ('hate_crime', 80, 0);
INSERT INTO hub_categories (code, position, created_at) VALUES ('discrimination', 90, 0);
INSERT INTO hub_categories (code, position, created_at) VALUES ('other', 1000, 0);

CREATE TABLE hub_reports (
    id            TEXT PRIMARY KEY,
    -- The reporting hub that receives the report.
    hub_org       TEXT NOT NULL REFERENCES organisations (id),
    category      TEXT NOT NULL REFERENCES hub_categories (code),
    -- When it happened, as the reporter gave it: `YYYY-MM`.
    occurred      TEXT NOT NULL,
    -- The language the reporter wants to be answered in (a public-site language code).
    language      TEXT NOT NULL,
    -- `victim` or `witness`.
    reporter_role TEXT NOT NULL,
    -- `online`, `in_person` or `phone`.
    channel       TEXT NOT NULL,
    -- `open` or `closed`.
    status        TEXT NOT NULL DEFAULT 'open',
    -- The hub officer who recorded a report made in person or by phone.
    recorded_by   TEXT REFERENCES users (id),
    data_key      TEXT,
    sealed        {BLOB},
    receipt_bidx  {BLOB},
    created_at    BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL,
    closed_at     BIGINT,
    purge_after   BIGINT,
    purged_at     BIGINT,
    version       BIGINT NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX hub_reports_receipt ON hub_reports (receipt_bidx);
CREATE INDEX hub_reports_hub ON hub_reports (hub_org, status, created_at);
CREATE INDEX hub_reports_purge ON hub_reports (status, purge_after);

-- The conversation: `from_hub` 0 is the reporter, 1 a hub officer (`author`).
CREATE TABLE hub_report_messages (
    id         TEXT PRIMARY KEY,
    report_id  TEXT NOT NULL REFERENCES hub_reports (id),
    from_hub   BIGINT NOT NULL,
    author     TEXT REFERENCES users (id),
    sealed     {BLOB} NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX hub_report_messages_report ON hub_report_messages (report_id, created_at);
