-- The audit chain's checkpoint. Events up to `seq` were archived into sealed, signed files
-- (`haven audit archive`) and removed; `mac` is the MAC of event `seq`, from which the
-- chain continues, `archived` how many events were archived in all, and `sig` a MAC under
-- the audit key over the row, so that it cannot be moved without the key file. At most
-- one row (id 1).
CREATE TABLE audit_checkpoint (
    id        BIGINT PRIMARY KEY,
    seq       BIGINT NOT NULL,
    mac       TEXT NOT NULL,
    archived  BIGINT NOT NULL,
    at        BIGINT NOT NULL,
    sig       TEXT NOT NULL
);
