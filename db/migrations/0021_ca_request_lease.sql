-- The CA dispatcher no longer keeps a transaction (and the claimed rows' locks) open while the CA works. It leases
-- the rows instead: the claim moves next_attempt_at to the lease's end and stamps lease_token, in one short
-- statement; the worker renews the lease while it waits on the CA, and records an outcome only for rows that still
-- carry its token. A worker that dies stops renewing, so its rows come due again when the lease ends.
ALTER TABLE ca_requests ADD COLUMN lease_token uuid;
