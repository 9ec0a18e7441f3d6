-- When the certificate's state last changed because the CA answered a SUSPEND, UNSUSPEND or REVOKE (written in the
-- transaction that completes the application). Verdicts compare it with the thisUpdate of the CA's CRL the RA
-- holds: the newer of the two is the certificate's status (docs/CMP.md, verification.proto StatusSource), so a
-- change shows on the first call after its application is COMPLETED instead of when the next CRL is fetched.
--
-- NULL for a certificate whose state never changed since issue, and for rows changed before this migration: the
-- RA has nothing newer than the CA's CRL about those, so the CRL decides them as before.
ALTER TABLE certificates ADD COLUMN state_changed_at timestamptz NULL;
