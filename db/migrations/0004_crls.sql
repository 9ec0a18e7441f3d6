-- The latest CRL the RA holds per issuing CA of the identity certificates it accepts (MOEACA, MOICA, GCA, XCA).
-- Keyed by the issuer's key identifier, not its name: several CA generations share one DN.
CREATE TABLE crls (
    issuer_key_id text        PRIMARY KEY, -- hex of the issuer's subject key identifier
    issuer_name   text        NOT NULL,
    crl_number    numeric     NOT NULL CHECK (crl_number >= 0), -- up to 20 octets, beyond bigint; must only rise
    this_update   timestamptz NOT NULL,
    next_update   timestamptz NULL,
    der           bytea       NOT NULL,
    fetched_at    timestamptz NOT NULL
);
