-- Registration binds an issued certificate to its holder for a firm, for Single Window messaging. A personal
-- certificate follows its broker: after a transfer the new firm registers the same certificate and the old
-- firm's registration ends. certificates.registered_firm_ubn mirrors the current row for quick reads.
CREATE TABLE certificate_registrations (
    id            bigserial   PRIMARY KEY,
    serial_hex    text        NOT NULL REFERENCES certificates (serial_hex),
    firm_ubn      char(8)     NOT NULL,
    registered_at timestamptz NOT NULL,
    ended_at      timestamptz NULL,
    end_reason    text        NULL, -- REPLACED (registered for another firm), MANDATE_ENDED, ...
    CHECK ((ended_at IS NULL) = (end_reason IS NULL))
);
-- At most one current registration per certificate.
CREATE UNIQUE INDEX certificate_registrations_current ON certificate_registrations (serial_hex) WHERE ended_at IS NULL;

-- What happened to a certificate and its holder after issue (registrations, mandates, disqualification):
-- the history an officer or a verifier reads; the audit log says who asked.
CREATE TABLE certificate_events (
    id          bigserial   PRIMARY KEY,
    serial_hex  text        NOT NULL REFERENCES certificates (serial_hex),
    occurred_at timestamptz NOT NULL,
    kind        text        NOT NULL CHECK (kind IN ('REGISTERED', 'REGISTRATION_ENDED', 'MANDATE_RECORDED', 'MANDATE_ENDED', 'HOLDER_DISQUALIFIED')),
    detail      text        NOT NULL
);
CREATE INDEX certificate_events_serial_idx ON certificate_events (serial_hex, id);
