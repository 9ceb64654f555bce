-- Indexes for the caseload page and the shelter board at scale (100,000 cases; see
-- BENCHMARKS.md, "Casework").
--
-- The caseload filters on organisation, status and case manager. With two indexes of two
-- equality columns each, SQLite (which has no statistics unless ANALYZE ran) chose
-- cases_org and read every open case of the organisation to keep one manager's. With the
-- organisation in the manager index it is the more selective one; intake_at gives the
-- caseload's order.
DROP INDEX cases_manager;
CREATE INDEX cases_manager ON cases (case_manager_id, status, org_id, intake_at);
-- The board's admission candidates: the organisation's newest open cases, 200 of them.
DROP INDEX cases_org;
CREATE INDEX cases_org ON cases (org_id, status, intake_at);
-- "Not already on the waiting list", per case: it scanned every waiting entry.
CREATE INDEX waiting_list_case ON waiting_list (case_id, status);
