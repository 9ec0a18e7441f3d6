-- The RA's copy of the customs registry (預報系統 data): licensed operators, licensed customs broker staff
-- (專責報關人員) and their mandates (委任關係). The registry feed keeps it current; eligibility checks read it.
-- UBN columns are char(8) (always exactly 8 digits). Queries compare them with ::bpchar parameters: a text
-- parameter would make PostgreSQL cast the column to text and skip the index.
-- The CHECK lists mirror RaServer.Registry.RegistryCodes; change both together.

CREATE TABLE operators (
    ubn                 char(8)     PRIMARY KEY CHECK (ubn ~ '^[0-9]{8}$'), -- 統一編號; checksum verified by the RA
    name                text        NOT NULL CHECK (btrim(name) <> ''),
    kind                text        NOT NULL CHECK (kind IN ('CUSTOMS_BROKER', 'CARRIER', 'WAREHOUSE', 'FORWARDER',
                                                             'FREE_TRADE_ZONE_ENTERPRISE', 'INSPECTION_AGENT')),
    customs_office_code text        NOT NULL CHECK (customs_office_code ~ '^[A-Z]{2}$'), -- 關區, e.g. AA 基隆關
    -- 箱號: required for brokers (207/0) and forwarders (OA1); other kinds may have none, so NULL is allowed here
    -- and the per-kind format is enforced by the RA's validator.
    box_number          text        NULL CHECK (box_number IS NULL OR btrim(box_number) <> ''),
    status              text        NOT NULL CHECK (status IN ('ACTIVE', 'SUSPENDED', 'REVOKED')),
    updated_at          timestamptz NOT NULL
);

CREATE TABLE broker_staff (
    -- National ID or resident number (both formats); checksum verified by the RA.
    national_id    text        PRIMARY KEY CHECK (national_id ~ '^[A-Z][1289A-D][0-9]{8}$'),
    name           text        NOT NULL CHECK (btrim(name) <> ''),
    licence_number text        NOT NULL CHECK (btrim(licence_number) <> ''),
    status         text        NOT NULL CHECK (status IN ('ACTIVE', 'SUSPENDED', 'DISQUALIFIED')),
    updated_at     timestamptz NOT NULL,
    -- One licence, one person. Checked at the end of each statement rather than per row, so one bulk upsert may
    -- move a licence number from one person to another (the importer validates the end state).
    CONSTRAINT broker_staff_licence_number_key UNIQUE (licence_number) DEFERRABLE INITIALLY IMMEDIATE
);

CREATE TABLE mandates (
    id          bigserial   PRIMARY KEY,
    national_id text        NOT NULL REFERENCES broker_staff (national_id),
    firm_ubn    char(8)     NOT NULL REFERENCES operators (ubn),
    start_date  date        NOT NULL,
    end_date    date        NULL, -- NULL while the mandate is current; set on resignation or transfer
    updated_at  timestamptz NOT NULL,
    CONSTRAINT mandates_end_not_before_start CHECK (end_date IS NULL OR end_date >= start_date),
    -- The natural key the registry feed upserts on; it also serves lookups by person (leading column).
    CONSTRAINT mandates_natural_key UNIQUE (national_id, firm_ubn, start_date)
);

-- "Who works for this firm" and the foreign key check when operators change.
CREATE INDEX mandates_firm_ubn_idx ON mandates (firm_ubn);
