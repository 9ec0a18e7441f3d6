-- Applications and their append-only event log (docs/ARCHITECTURE.md §2).
--
-- The state machine is enforced here, where the state is stored: a trigger refuses any transition that is
-- not in application_transitions, and the same trigger writes the event row, so a transition and its
-- event always commit together (or not at all).

CREATE TABLE application_states (
    state text PRIMARY KEY,
    final boolean NOT NULL -- a watcher's single-application stream ends after an event into a final state
);
INSERT INTO application_states (state, final) VALUES
    ('RECEIVED', false), ('REJECTED', true), ('AWAITING_PAYMENT', false), ('CANCELLED', true),
    ('AWAITING_KEY', false), ('FORWARDED', false), ('COMPLETED', true), ('FAILED', true);

CREATE TABLE application_transitions (
    from_state text NOT NULL REFERENCES application_states (state),
    to_state   text NOT NULL REFERENCES application_states (state),
    PRIMARY KEY (from_state, to_state)
);
INSERT INTO application_transitions (from_state, to_state) VALUES
    ('RECEIVED', 'REJECTED'),          -- identity, data or eligibility check failed (online: at once; paper: by the office)
    ('RECEIVED', 'AWAITING_PAYMENT'),  -- NEW / RENEW approved: a payment slip was issued
    ('RECEIVED', 'FORWARDED'),         -- REVOKE / SUSPEND / UNSUSPEND approved: the CA request is in the outbox
    ('AWAITING_PAYMENT', 'REJECTED'),  -- the receiving office rejects a paper application before payment (slip void)
    ('AWAITING_PAYMENT', 'CANCELLED'), -- the slip went past its due time and was voided
    ('AWAITING_PAYMENT', 'AWAITING_KEY'), -- the fee system confirmed payment
    ('AWAITING_KEY', 'FORWARDED'),     -- the applicant submitted its CSR
    ('FORWARDED', 'COMPLETED'),        -- the CA did it
    ('FORWARDED', 'FAILED');           -- the CA refused for good

CREATE TABLE applications (
    id                     uuid        PRIMARY KEY,
    request_id             text        NOT NULL UNIQUE, -- the applicant's (or the office's) idempotency key
    channel                text        NOT NULL CHECK (channel IN ('ONLINE', 'PAPER')),
    service_type           text        NOT NULL CHECK (service_type IN ('NEW', 'RENEW', 'REVOKE', 'SUSPEND', 'UNSUSPEND')),
    kind                   text        NOT NULL CHECK (kind IN ('PERSONAL', 'ORGANIZATION')),
    state                  text        NOT NULL REFERENCES application_states (state),
    -- Who applied: a company (UBN) or a person (national ID), never both.
    applicant_ubn          char(8)     NULL,
    applicant_national_id  text        NULL,
    applicant_name         text        NOT NULL,
    -- Whom the certificate is for: PERSONAL → the broker (national ID, name) at a firm; ORGANIZATION → the operator.
    subject_national_id    text        NULL,
    subject_name           text        NOT NULL,
    subject_ubn            char(8)     NOT NULL, -- the firm (PERSONAL) or the operator itself (ORGANIZATION)
    notice_email           text        NOT NULL,
    certificate_serial_hex text        NULL,     -- the certificate that RENEW / REVOKE / SUSPEND / UNSUSPEND acts on
    revocation_reason      int         NULL,     -- RFC 5280 reason code for REVOKE
    receiving_office_code  text        NULL,     -- paper applications: the customs office that took the form
    clerk_id               text        NULL,
    seals_checked          boolean     NULL,
    rejection_reasons      jsonb       NULL,     -- [{code, text, field}]
    failure_detail         text        NULL,     -- the CA's reason when FAILED
    issued_serial_hex      text        NULL,
    transition_detail      text        NULL,     -- set with each state change; the trigger copies it into the event
    created_at             timestamptz NOT NULL,
    updated_at             timestamptz NOT NULL,
    CHECK ((applicant_ubn IS NULL) <> (applicant_national_id IS NULL)),
    CHECK ((kind = 'PERSONAL') = (subject_national_id IS NOT NULL)),
    CHECK ((service_type IN ('NEW')) = (certificate_serial_hex IS NULL)),
    CHECK (channel = 'ONLINE' OR (receiving_office_code IS NOT NULL AND clerk_id IS NOT NULL AND seals_checked))
);
CREATE INDEX applications_applicant_ubn_idx ON applications (applicant_ubn, created_at) WHERE applicant_ubn IS NOT NULL;
CREATE INDEX applications_applicant_person_idx ON applications (applicant_national_id, created_at) WHERE applicant_national_id IS NOT NULL;
-- Eligibility looks up open applications for a certificate; the workflow serialises those look-ups per
-- certificate with a transaction-level advisory lock, so "no two open applications for one certificate" holds
-- under races while a refused duplicate can still be stored as REJECTED with its reason.
CREATE INDEX applications_certificate_idx ON applications (certificate_serial_hex) WHERE certificate_serial_hex IS NOT NULL;

-- The event log. Rows are written by the trigger below with sequence NULL; the sequencer (one replica at a
-- time, under an advisory lock) numbers committed rows in commit-visible order. Numbering at insert time
-- (bigserial) would let a watcher see 10 before a slower transaction commits 9, and then miss 9.
CREATE TABLE application_events (
    id             bigserial   PRIMARY KEY,
    sequence       bigint      NULL UNIQUE,
    application_id uuid        NOT NULL REFERENCES applications (id),
    from_state     text        NULL,     -- NULL for the event that creates the application
    to_state       text        NOT NULL,
    occurred_at    timestamptz NOT NULL,
    detail         text        NULL
);
CREATE INDEX application_events_unsequenced_idx ON application_events (id) WHERE sequence IS NULL;
CREATE INDEX application_events_application_idx ON application_events (application_id, sequence);

-- The last number handed out by the sequencer (one row).
CREATE TABLE event_sequencer (
    id            boolean PRIMARY KEY DEFAULT true CHECK (id),
    last_sequence bigint  NOT NULL
);
INSERT INTO event_sequencer (id, last_sequence) VALUES (true, 0);

CREATE FUNCTION applications_enforce_transition() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        IF NEW.state <> 'RECEIVED' THEN
            RAISE EXCEPTION 'an application starts in RECEIVED, not %', NEW.state USING ERRCODE = 'RA001';
        END IF;
    ELSIF NEW.state IS DISTINCT FROM OLD.state THEN
        IF NOT EXISTS (SELECT 1 FROM application_transitions WHERE from_state = OLD.state AND to_state = NEW.state) THEN
            RAISE EXCEPTION 'no transition from % to %', OLD.state, NEW.state USING ERRCODE = 'RA001';
        END IF;
    END IF;
    RETURN NEW;
END $$;

CREATE FUNCTION applications_record_event() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' OR NEW.state IS DISTINCT FROM OLD.state THEN
        INSERT INTO application_events (application_id, from_state, to_state, occurred_at, detail)
        VALUES (NEW.id, CASE WHEN TG_OP = 'INSERT' THEN NULL ELSE OLD.state END, NEW.state, NEW.updated_at, NEW.transition_detail);
        -- Delivered at commit: wakes the sequencer on whichever replica holds it.
        PERFORM pg_notify('ra_events_pending', '');
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER applications_enforce_transition BEFORE INSERT OR UPDATE OF state ON applications
    FOR EACH ROW EXECUTE FUNCTION applications_enforce_transition();
CREATE TRIGGER applications_record_event AFTER INSERT OR UPDATE OF state ON applications
    FOR EACH ROW EXECUTE FUNCTION applications_record_event();
