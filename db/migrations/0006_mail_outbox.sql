-- E-mail notices waiting to be sent, and the record of those sent (the transactional outbox of docs/ARCHITECTURE.md §3).
-- The workflow inserts a row in the same transaction as the state change it announces, so the notice exists if
-- and only if the change committed. Every replica's sender claims due rows with FOR UPDATE SKIP LOCKED, sends
-- them and sets sent_at in that same transaction: two replicas never send one row, and a failed send only moves
-- next_attempt_at. Sent rows stay as the history of what the RA told whom.
CREATE TABLE mail_outbox (
    id              bigserial   PRIMARY KEY,
    kind            text        NOT NULL, -- NoticeKinds.Code, e.g. PAYMENT_SLIP_ISSUED
    recipient       text        NOT NULL, -- one e-mail address
    subject         text        NOT NULL, -- rendered at enqueue (zh-TW / English), stored unencoded
    body            text        NOT NULL, -- plain text, zh-TW first and English below
    -- The fact this notice announces, e.g. 'payment-slip-issued:<application>' or
    -- 'certificate-expiring:<serial>:2025-W07'. Enqueue is INSERT ... ON CONFLICT (dedup_key) DO NOTHING, so a
    -- retried workflow step, a second replica's weekly run or a restart cannot notify twice.
    dedup_key       text        NOT NULL UNIQUE,
    -- RFC 5322 Message-ID (without angle brackets), fixed at enqueue. A crash after the SMTP server accepted the
    -- message but before sent_at committed makes the row due again; the re-send carries the same Message-ID, so
    -- the recipient's mail system and an operator can recognise it as the same message.
    message_id      text        NOT NULL UNIQUE,
    created_at      timestamptz NOT NULL,
    attempts        integer     NOT NULL DEFAULT 0 CHECK (attempts >= 0), -- send attempts made, the successful one included
    next_attempt_at timestamptz NOT NULL, -- not before this; set to created_at, then pushed back by exponential backoff
    last_error      text        NULL,     -- why the latest attempt failed; NULL once sent
    sent_at         timestamptz NULL      -- when the transport accepted it; NULL while queued
);

-- The senders' claim query: unsent rows in due order. Partial, so the growing history of sent mail costs nothing.
CREATE INDEX mail_outbox_due_idx ON mail_outbox (next_attempt_at, id) WHERE sent_at IS NULL;
