-- A stay extension is asked for by the shelter (a coordinator) and decided by an approver
-- (a team lead). Until it is decided it lives here, and an approved request becomes a row of
-- stay_extensions with the same id, so the sealed reason opens under either.
CREATE TABLE stay_extension_requests (
    id            TEXT PRIMARY KEY,
    placement_id  TEXT NOT NULL REFERENCES placements (id),
    new_until     TEXT NOT NULL,
    -- The reason, sealed with the person's key.
    sealed        {BLOB} NOT NULL,
    requested_by  TEXT NOT NULL,
    requested_at  BIGINT NOT NULL,
    -- pending | approved | refused | withdrawn
    status        TEXT NOT NULL,
    decided_by    TEXT,
    decided_at    BIGINT
);
CREATE INDEX stay_extension_requests_status ON stay_extension_requests (status, requested_at);
CREATE INDEX stay_extension_requests_placement ON stay_extension_requests (placement_id);
-- At most one open request per stay.
CREATE UNIQUE INDEX stay_extension_requests_one_pending ON stay_extension_requests (placement_id)
    WHERE status = 'pending';
