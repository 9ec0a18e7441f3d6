-- The dispatcher claims the next due request ordered by (next_attempt_at, id). With an index on next_attempt_at
-- alone, requests due at the same instant (a batch, or retries scheduled together) made every claim sort the whole
-- outbox: 97 ms per claim at 4,800 pending (BENCHMARKS.md, issuance). This index serves the claim's order directly.
DROP INDEX ca_requests_pending_idx;
CREATE INDEX ca_requests_claim_idx ON ca_requests (next_attempt_at, id) WHERE completed_at IS NULL;
