-- A transaction that sends NOTIFY takes a database-wide lock at commit and holds it through its WAL flush, so with a
-- pg_notify in this trigger every state change's commit queued behind the previous one's fsync: group commit was
-- lost on the whole issuance path (BENCHMARKS.md, lever 5). The server now announces pending events after its
-- commits, once per burst, in a transaction of its own that does not wait for a flush (PendingEventsAnnouncer); the
-- sequencer's 500 ms poll remains the safety net for writers outside the server. A session that sets
-- ra.notify_in_trigger = on gets the old behaviour, which is how the benchmark measures the difference.
CREATE OR REPLACE FUNCTION applications_record_event() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' OR NEW.state IS DISTINCT FROM OLD.state THEN
        INSERT INTO application_events (application_id, from_state, to_state, occurred_at, detail)
        VALUES (NEW.id, CASE WHEN TG_OP = 'INSERT' THEN NULL ELSE OLD.state END, NEW.state, NEW.updated_at, NEW.transition_detail);
        IF current_setting('ra.notify_in_trigger', true) = 'on' THEN
            PERFORM pg_notify('ra_events_pending', '');
        END IF;
    END IF;
    RETURN NULL;
END $$;
