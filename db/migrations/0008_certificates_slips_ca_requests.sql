-- The RA's own records of certificates, payment slips, and the CA request outbox.

-- Certificates issued through this RA. The state is the RA's record, kept in step with the CA: a status
-- change is written here in the same transaction that completes its application. EXPIRED is not stored;
-- it follows from not_after.
CREATE TABLE certificates (
    serial_hex            text        PRIMARY KEY, -- upper-case hex, no leading zeros beyond what the CA wrote
    kind                  text        NOT NULL CHECK (kind IN ('PERSONAL', 'ORGANIZATION')),
    state                 text        NOT NULL CHECK (state IN ('ACTIVE', 'SUSPENDED', 'REVOKED')),
    holder_national_id    text        NULL,     -- PERSONAL: the licensed broker
    holder_name           text        NOT NULL,
    firm_ubn              char(8)     NOT NULL, -- PERSONAL: the firm it was issued for; ORGANIZATION: the operator
    owner_ubn             char(8)     NULL,     -- who may act on it: the applicant that obtained it
    owner_national_id     text        NULL,
    not_before            timestamptz NOT NULL,
    not_after             timestamptz NOT NULL,
    der                   bytea       NULL,
    issued_for_application uuid       NULL REFERENCES applications (id),
    renews_serial_hex     text        NULL REFERENCES certificates (serial_hex),
    revocation_reason     int         NULL,     -- RFC 5280 code once REVOKED
    registered_firm_ubn   char(8)     NULL,     -- the firm it is registered with for Single Window messaging
    created_at            timestamptz NOT NULL,
    updated_at            timestamptz NOT NULL,
    CHECK ((kind = 'PERSONAL') = (holder_national_id IS NOT NULL)),
    CHECK ((owner_ubn IS NULL) <> (owner_national_id IS NULL)),
    CHECK (not_after > not_before)
);
CREATE INDEX certificates_owner_ubn_idx ON certificates (owner_ubn) WHERE owner_ubn IS NOT NULL;
CREATE INDEX certificates_holder_idx ON certificates (holder_national_id) WHERE holder_national_id IS NOT NULL;
-- A certificate is renewed at most once: the renewal links back to it.
CREATE UNIQUE INDEX certificates_renews_once ON certificates (renews_serial_hex) WHERE renews_serial_hex IS NOT NULL;

-- Payment slips for NEW and RENEW. A slip is paid once (receipt_reference is the fee system's idempotency key)
-- or voided once; the status CHECKs keep the columns consistent with the status.
CREATE SEQUENCE payment_slip_serial;
CREATE TABLE payment_slips (
    slip_number       text        PRIMARY KEY,      -- digits with a Luhn check digit (see SlipNumbers)
    application_id    uuid        NOT NULL UNIQUE REFERENCES applications (id),
    amount_ntd        bigint      NOT NULL CHECK (amount_ntd > 0),
    issued_at         timestamptz NOT NULL,
    due_at            timestamptz NOT NULL,
    status            text        NOT NULL CHECK (status IN ('ISSUED', 'PAID', 'VOID')),
    paid_at           timestamptz NULL,
    paid_amount_ntd   bigint      NULL,
    receipt_reference text        NULL UNIQUE,
    voided_at         timestamptz NULL,
    CHECK (due_at > issued_at),
    CHECK ((status = 'PAID') = (paid_at IS NOT NULL AND receipt_reference IS NOT NULL)),
    CHECK ((status = 'VOID') = (voided_at IS NOT NULL))
);
-- The sweeper looks for issued slips past their due time.
CREATE INDEX payment_slips_open_due_idx ON payment_slips (due_at) WHERE status = 'ISSUED';

-- The CA request outbox: written in the same transaction as the application's move to FORWARDED, claimed by
-- dispatchers on any replica with FOR UPDATE SKIP LOCKED (the CA connector issue builds the dispatcher).
CREATE TABLE ca_requests (
    id                     bigserial   PRIMARY KEY,
    application_id         uuid        NOT NULL UNIQUE REFERENCES applications (id),
    operation              text        NOT NULL CHECK (operation IN ('ISSUE', 'RENEW', 'REVOKE', 'SUSPEND', 'UNSUSPEND')),
    certificate_serial_hex text        NULL,  -- the certificate acted on (RENEW, REVOKE, SUSPEND, UNSUSPEND)
    revocation_reason      int         NULL,  -- RFC 5280 code for REVOKE
    csr_der                bytea       NULL,  -- the applicant's PKCS#10 for ISSUE and RENEW
    created_at             timestamptz NOT NULL,
    attempts               int         NOT NULL DEFAULT 0,
    next_attempt_at        timestamptz NOT NULL,
    last_error             text        NULL,
    completed_at           timestamptz NULL,
    CHECK ((operation IN ('ISSUE', 'RENEW')) = (csr_der IS NOT NULL))
);
CREATE INDEX ca_requests_pending_idx ON ca_requests (next_attempt_at) WHERE completed_at IS NULL;
