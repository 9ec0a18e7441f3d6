-- The certificate the RA decided on when it forwarded a NEW or RENEW, stored with its CA request: who the certificate
-- is for (the parts of its profile, from the application and the registry, never from the CSR) and how long it
-- lasts (from the fee schedule). The dispatcher sends exactly this decision whenever it runs, and no longer reads
-- the fee schedule or the registry itself. Status changes carry no decision.
--
-- Nullable, so the rows already written stay valid. A pending ISSUE or RENEW from before this migration has no
-- decision: its validity was configuration, not data, so the dispatcher fails it with that reason rather than
-- guess. Let the outbox drain before upgrading and there is none.
ALTER TABLE ca_requests
    ADD COLUMN profile_kind         text    NULL, -- PERSONAL or ORGANIZATION
    ADD COLUMN profile_organization text    NULL, -- O=: the firm (PERSONAL) or the operator itself (ORGANIZATION)
    ADD COLUMN profile_common_name  text    NULL, -- CN=: the broker (PERSONAL)
    ADD COLUMN profile_ubn          char(8) NULL, -- serialNumber= and the UBN attribute (2.16.886.1.100.2.101)
    ADD COLUMN profile_id_last_four char(4) NULL, -- last four digits of the broker's ID (2.16.886.1.100.2.51, PERSONAL)
    ADD COLUMN validity_years       int     NULL CHECK (validity_years > 0),
    -- A decision is whole, and its parts fit its kind.
    ADD CONSTRAINT ca_requests_decision_whole CHECK (
        (profile_kind IS NULL AND profile_organization IS NULL AND profile_common_name IS NULL AND profile_ubn IS NULL
            AND profile_id_last_four IS NULL AND validity_years IS NULL)
        OR (profile_kind = 'ORGANIZATION' AND profile_organization IS NOT NULL AND profile_common_name IS NULL
            AND profile_ubn IS NOT NULL AND profile_id_last_four IS NULL AND validity_years IS NOT NULL)
        OR (profile_kind = 'PERSONAL' AND profile_organization IS NOT NULL AND profile_common_name IS NOT NULL
            AND profile_ubn IS NOT NULL AND profile_id_last_four IS NOT NULL AND validity_years IS NOT NULL)),
    ADD CONSTRAINT ca_requests_decision_for_issue CHECK (profile_kind IS NULL OR operation IN ('ISSUE', 'RENEW'));
