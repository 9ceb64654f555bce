-- Issue 15, continued.
--
-- Report categories configured by the hub's administrator without SQL: a category the
-- hub added, or renamed, carries its labels in `labels` (JSON, every public language);
-- a retired one (`active` 0) leaves the public form but stays in figures and old
-- reports. `version` guards concurrent changes.
ALTER TABLE hub_categories ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
ALTER TABLE hub_categories ADD COLUMN updated_at BIGINT NOT NULL DEFAULT 0;

-- Message times that do not identify the reporter: a reporter's message keeps only its
-- day (Unix seconds at 00:00 UTC), so no proxy's log can be matched to it by the second,
-- and the conversation is ordered by `seq` (1, 2, … per report) instead of by time.
ALTER TABLE hub_report_messages ADD COLUMN seq BIGINT NOT NULL DEFAULT 0;
UPDATE hub_report_messages SET seq = (
    SELECT COUNT(*) FROM hub_report_messages m
    WHERE m.report_id = hub_report_messages.report_id
      AND (m.created_at < hub_report_messages.created_at
           OR (m.created_at = hub_report_messages.created_at AND m.id <= hub_report_messages.id)));
UPDATE hub_report_messages SET created_at = created_at - (created_at % 86400) WHERE from_hub = 0;
CREATE UNIQUE INDEX hub_report_messages_seq ON hub_report_messages (report_id, seq);

-- The same for a report made online: its row keeps the day it was made.
UPDATE hub_reports SET created_at = created_at - (created_at % 86400),
    updated_at = updated_at - (updated_at % 86400)
WHERE channel = 'online';
