-- The list of recently changed persons walks this index newest first and stops at its
-- limit, instead of sorting every person the organisation may see.
CREATE INDEX persons_updated ON persons (updated_at);
