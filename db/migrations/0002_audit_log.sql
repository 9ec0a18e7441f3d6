-- Append-only record of requests the RA refused (and of accepted ones where a service chooses to log them).
-- Every refused request writes exactly one row; detail carries the field problems or policy facts as JSON.
CREATE TABLE audit_log (
    id          bigserial   PRIMARY KEY,
    occurred_at timestamptz NOT NULL,
    actor       text        NOT NULL, -- who asked: certificate subject / UBN / mTLS client name
    rpc         text        NOT NULL, -- full gRPC method name
    outcome     text        NOT NULL CHECK (outcome IN ('OK', 'REFUSED')),
    reason      text        NULL,     -- the RaException reason code when refused
    detail      jsonb       NULL
);

-- Operators read the audit log by time window.
CREATE INDEX audit_log_occurred_at_idx ON audit_log (occurred_at);
