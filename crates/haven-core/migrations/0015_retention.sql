-- How long an organisation keeps the personal data of the persons it registered, in whole
-- months after anything last happened with them (see retention.rs). When that time is up
-- and nothing is still going on (no open case, stay or referral), the person's data key
-- is destroyed by the retention sweep.
ALTER TABLE organisations ADD COLUMN retention_months BIGINT NOT NULL DEFAULT 24;
-- The sweep asks, per person, whether a stay is open or ended recently.
CREATE INDEX placements_person ON placements (person_id, discharged_on);
