-- The allowlist a referral was sent under, copied from its referral type when it is made.
-- The receiving organisation sees only the fields in both this copy and the type's current
-- allowlist: an administrator who narrows a type narrows open referrals at once, and one
-- who widens it does not widen referrals made under the old list, which is what the person
-- consented to. NULL for referrals made before this migration: the type's list applies.
ALTER TABLE referrals ADD COLUMN fields TEXT;
