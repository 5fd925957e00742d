-- The package worker claims the oldest due request (ORDER BY requested_at LIMIT 1). Without this index
-- each claim scanned and sorted the whole table, so claiming grew with the number of waiting users.
CREATE INDEX package_request_due ON package_request (requested_at);
