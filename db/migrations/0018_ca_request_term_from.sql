-- Where a renewal's paid term starts: the renewed certificate's notAfter, decided by the RA when it forwards a RENEW
-- (Policy/CertificatePolicy), so the time left on the old certificate is not lost. The new certificate is valid from
-- its issue; only its end moves. NULL for an ISSUE (the term runs from the issue) and for status changes.
ALTER TABLE ca_requests
    ADD COLUMN term_from timestamptz NULL,
    ADD CONSTRAINT ca_requests_term_from_for_renew CHECK (term_from IS NULL OR operation = 'RENEW');
