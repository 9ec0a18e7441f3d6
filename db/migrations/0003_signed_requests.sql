-- Replay journal for CMS-signed requests: a request id is accepted once. A retry with the same id and the same
-- payload gets the stored response back; the same id with a different payload is refused as a replay.
CREATE TABLE signed_requests (
    request_id     text        PRIMARY KEY,
    payload_sha256 bytea       NOT NULL CHECK (octet_length(payload_sha256) = 32),
    rpc            text        NOT NULL,
    response       bytea       NULL, -- NULL until the request's transaction has produced its answer
    created_at     timestamptz NOT NULL
);

-- Lets a cleanup job drop entries older than the signature freshness window.
CREATE INDEX signed_requests_created_at_idx ON signed_requests (created_at);
