-- The audit log as evidence (docs/ARCHITECTURE.md, "Audit trail"): a hash chain over its rows and signed checkpoints
-- of the chain's head.
--
-- A change's transaction still writes one plain INSERT: the chain columns stay NULL until the sealer (one replica at
-- a time, under a transaction advisory lock) gives committed rows their chain position in the order it finds them and
-- writes prev_hash and row_hash. A rolled-back transaction leaves an unused id, never a gap in the chain, and no two
-- writers wait on one another for the chain's head.
ALTER TABLE audit_log
    ADD COLUMN refusal_id     uuid   NULL, -- a refusal's own id: a replay of the server's pending journal writes it once
    ADD COLUMN chain_position bigint NULL, -- 1, 2, 3, … in sealing order; NULL until sealed
    ADD COLUMN prev_hash      bytea  NULL, -- row_hash of position − 1 (32 zero bytes for position 1)
    ADD COLUMN row_hash       bytea  NULL; -- SHA-256 of the row's canonical encoding (AuditHash)

CREATE UNIQUE INDEX audit_log_refusal_id_key ON audit_log (refusal_id);
CREATE UNIQUE INDEX audit_log_chain_position_key ON audit_log (chain_position);
-- What the sealer looks for every round: small, because sealed rows leave it.
CREATE INDEX audit_log_unsealed_idx ON audit_log (id) WHERE chain_position IS NULL;

-- Signed statements "the chain's row at chain_position has row_hash head_hash", made by the sealer every so many rows
-- or so much time. The signer's certificate travels with each one, so a verifier needs only the certificate it trusts.
CREATE TABLE audit_checkpoints (
    chain_position     bigint      PRIMARY KEY,
    head_hash          bytea       NOT NULL,
    signed_at          timestamptz NOT NULL,
    signature          bytea       NOT NULL, -- over AuditHash.CheckpointStatement, SHA-256
    signer_certificate bytea       NOT NULL  -- DER
);
