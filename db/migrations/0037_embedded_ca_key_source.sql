-- The embedded CA's keys may live in a PKCS#11 token (EmbeddedCa:KeySource=Pkcs11): then this row keeps the
-- certificates and no private key at all, and the token finds the keys by label. key_source says which; every row
-- before this migration sealed its keys here, so it is 'Sealed' and keeps its PEMs.
ALTER TABLE embedded_ca_material
    ADD COLUMN key_source text NOT NULL DEFAULT 'Sealed' CHECK (key_source IN ('Sealed', 'Pkcs11')),
    ALTER COLUMN root_key_pem DROP NOT NULL,
    ALTER COLUMN issuing_key_pem DROP NOT NULL,
    ALTER COLUMN cmp_signer_key_pem DROP NOT NULL,
    -- Sealed keys are all here; a token's are none of them here, so no private key is ever half in the database.
    ADD CONSTRAINT embedded_ca_material_keys_match_source CHECK (
        CASE key_source
            WHEN 'Sealed' THEN root_key_pem IS NOT NULL AND issuing_key_pem IS NOT NULL AND cmp_signer_key_pem IS NOT NULL
            ELSE root_key_pem IS NULL AND issuing_key_pem IS NULL AND cmp_signer_key_pem IS NULL
        END);
ALTER TABLE embedded_ca_material ALTER COLUMN key_source DROP DEFAULT;
