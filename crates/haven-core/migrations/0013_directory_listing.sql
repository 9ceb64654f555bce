-- A covering index for searches of the public directory. A text search starts from its
-- word's rows in dir_search_terms and looks up each service by id for `published` and
-- `name` (the sort key). Without this index each lookup reads the service's table row,
-- which its stored HSDS JSON makes about a page long: a search for a common word read a
-- few hundred pages. With it, the lookups stay inside this index.
CREATE INDEX dir_services_listing ON dir_services (id, published, name);
