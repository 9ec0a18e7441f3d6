-- The embedded CA (the default CA, so one machine runs everything). Every replica on this database is the same CA:
-- keys, certificates, statuses and the CRL number live here, never in a replica's memory or files.

-- One row: the CA hierarchy. Private keys are encrypted PKCS#8 PEM (PBKDF2-SHA256 + AES-256-CBC) sealed with
-- EmbeddedCa:KeyPassphrase, which is never stored; the row alone signs nothing.
CREATE TABLE embedded_ca_material (
    id                     smallint    PRIMARY KEY CHECK (id = 1),
    key_algorithm          text        NOT NULL CHECK (key_algorithm IN ('EcdsaP256', 'Rsa2048')),
    root_certificate       bytea       NOT NULL,
    root_key_pem           text        NOT NULL CHECK (root_key_pem LIKE '-----BEGIN ENCRYPTED PRIVATE KEY-----%'),
    issuing_certificate    bytea       NOT NULL,
    issuing_key_pem        text        NOT NULL CHECK (issuing_key_pem LIKE '-----BEGIN ENCRYPTED PRIVATE KEY-----%'),
    cmp_signer_certificate bytea       NOT NULL,
    cmp_signer_key_pem     text        NOT NULL CHECK (cmp_signer_key_pem LIKE '-----BEGIN ENCRYPTED PRIVATE KEY-----%'),
    created_at             timestamptz NOT NULL
);

-- Every certificate issued. request_key is the caller's idempotency key (the RA's application id, or "cmp:" + the
-- CMP transactionID): UNIQUE, so one request never gets a second certificate, whichever replica it reaches.
CREATE TABLE embedded_ca_certificates (
    serial            bytea       PRIMARY KEY, -- unsigned big-endian, 16 bytes for ours
    request_key       text        NOT NULL UNIQUE,
    kind              text        NOT NULL CHECK (kind IN ('Personal', 'Organization', 'CmpRequest')),
    subject           text        NOT NULL,
    der               bytea       NOT NULL,
    not_before        timestamptz NOT NULL,
    not_after         timestamptz NOT NULL,
    issued_at         timestamptz NOT NULL,
    status            text        NOT NULL DEFAULT 'Active' CHECK (status IN ('Active', 'Held', 'Revoked')),
    revocation_reason smallint    NULL CHECK (revocation_reason BETWEEN 0 AND 10 AND revocation_reason <> 7),
    revoked_at        timestamptz NULL,
    CHECK ((status = 'Active') = (revoked_at IS NULL AND revocation_reason IS NULL)),
    CHECK (status <> 'Held' OR revocation_reason = 6)
);

-- The CRL is built from the held and revoked certificates only; this keeps that scan small when most are active.
CREATE INDEX embedded_ca_certificates_listed ON embedded_ca_certificates (serial) INCLUDE (revoked_at, revocation_reason)
    WHERE status <> 'Active';

-- One row: the latest CRL, served by every replica. crl_number is taken (UPDATE ... + 1) in the same transaction
-- that stores the CRL, so the row lock serialises publishers and a number is never used twice.
CREATE TABLE embedded_ca_crl (
    id          smallint    PRIMARY KEY CHECK (id = 1),
    crl_number  bigint      NOT NULL CHECK (crl_number >= 0),
    this_update timestamptz NULL,
    next_update timestamptz NULL,
    der         bytea       NULL
);
INSERT INTO embedded_ca_crl (id, crl_number) VALUES (1, 0);
