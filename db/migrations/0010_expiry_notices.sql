-- The journal of the weekly expiry notifier (docs/ARCHITECTURE.md §2, "ExpiryNotifier"). A notice week starts at the configured
-- weekly slot (Taiwan time) and is named by that slot's date. The run that finds nothing left to notify marks the
-- week complete, so later checks that week (on any replica) do nothing; until then each run, capped by
-- ExpiryNotices:MaxPerRun, carries on where the previous one stopped. Runs are serialised by an advisory lock.
CREATE TABLE expiry_notice_weeks (
    week_of          date        PRIMARY KEY, -- Taiwan date of the weekly slot that starts the week
    slot_at          timestamptz NOT NULL,    -- the slot itself; the 30-day window is measured from it
    started_at       timestamptz NOT NULL,    -- the first run of the week
    completed_at     timestamptz NULL,        -- the run that left nothing to notify; NULL while work remains
    notices_enqueued integer     NOT NULL DEFAULT 0 CHECK (notices_enqueued >= 0)
);

-- What the week's runs did with each qualifying certificate, written in the same transaction as its mail_outbox row,
-- so a certificate is handled once per week however the runs are capped, retried or spread over replicas.
CREATE TABLE expiry_notices (
    week_of    date        NOT NULL REFERENCES expiry_notice_weeks (week_of),
    serial_hex text        NOT NULL REFERENCES certificates (serial_hex),
    recipient  text        NOT NULL, -- applications.notice_email of the application that obtained the certificate
    -- ENQUEUED: a notice is in mail_outbox. ALREADY_QUEUED: mail_outbox already had this certificate's notice for
    -- the ISO week (the slot was moved mid-week). BAD_ADDRESS: the notice e-mail cannot be sent to; not retried.
    outcome    text        NOT NULL CHECK (outcome IN ('ENQUEUED', 'ALREADY_QUEUED', 'BAD_ADDRESS')),
    handled_at timestamptz NOT NULL,
    PRIMARY KEY (week_of, serial_hex)
);

-- The notifier's search: active, registered certificates by expiry.
CREATE INDEX certificates_expiring_idx ON certificates (not_after) WHERE state = 'ACTIVE' AND registered_firm_ubn IS NOT NULL;
