-- Government PKI certificates (MOEACA, MOICA, GCA, XCA) registered for Single Window use with RegisterCertificate, by
-- their DER. A message signed with one is matched by the SHA-256 of the DER and judged against the CRL the RA keeps of
-- its CA (issuer_key_id, as in the crls table). One row per certificate: registering it again moves the registration to
-- the new firm; who asked is in the audit log.
CREATE TABLE government_certificates (
    sha256              text        PRIMARY KEY, -- upper-case hex of SHA-256 over der
    der                 bytea       NOT NULL,
    authority           text        NOT NULL CHECK (authority IN ('MOEACA', 'MOICA', 'GCA', 'XCA')),
    issuer_dn           text        NOT NULL,
    issuer_key_id       text        NOT NULL,
    serial_hex          text        NOT NULL,
    subject_dn          text        NOT NULL,
    holder_kind         text        NOT NULL CHECK (holder_kind IN ('FIRM', 'PERSON', 'AGENCY', 'ORGANISATION')),
    holder_ubn          char(8)     NULL,
    holder_national_id  text        NULL,
    holder_name         text        NOT NULL,
    not_before          timestamptz NOT NULL,
    not_after           timestamptz NOT NULL,
    registered_firm_ubn char(8)     NOT NULL,
    registered_at       timestamptz NOT NULL,
    -- A person is known by the national ID the registrant proved; everyone else by the UBN in the certificate.
    CHECK ((holder_kind = 'PERSON') = (holder_national_id IS NOT NULL)),
    CHECK ((holder_kind = 'PERSON') = (holder_ubn IS NULL)),
    -- Issuer and serial name a certificate as a CRL does.
    UNIQUE (issuer_key_id, serial_hex)
);
-- ListCertificates: a caller's own, and those registered for a firm.
CREATE INDEX government_certificates_holder_ubn_idx ON government_certificates (holder_ubn);
CREATE INDEX government_certificates_holder_national_id_idx ON government_certificates (holder_national_id);
CREATE INDEX government_certificates_registered_firm_idx ON government_certificates (registered_firm_ubn);
