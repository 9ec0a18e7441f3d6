-- The CRL without a full re-read on every status change (docs/PERFORMANCE.md T4: a change visible within a second at a
-- million entries). Each status change takes the next number of one counter row, in the change's own transaction: the
-- row lock is held until commit, so numbers are handed out in commit order, and a reader that sees change n has
-- seen every change before it. A CRL publisher that has read up to n then reads only status_change > n.
CREATE TABLE embedded_ca_status_counter (
    id          smallint PRIMARY KEY CHECK (id = 1),
    last_change bigint   NOT NULL
);
INSERT INTO embedded_ca_status_counter (id, last_change) VALUES (1, 0);

-- NULL for a certificate whose status never changed (issued Active, and rows from before this migration, which a
-- publisher's first full read covers).
ALTER TABLE embedded_ca_certificates ADD COLUMN status_change bigint NULL;
CREATE INDEX embedded_ca_certificates_status_change ON embedded_ca_certificates (status_change) WHERE status_change IS NOT NULL;

-- The DER of a large CRL is tens of megabytes, mostly random serials: compressing it costs about a second per
-- publication and saves little, so it is stored out of line as it is.
ALTER TABLE embedded_ca_crl ALTER COLUMN der SET STORAGE EXTERNAL;
