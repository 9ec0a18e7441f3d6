-- The chain the CA returned with each certificate (issuing CA first), so DownloadCertificate hands the applicant
-- exactly what the CA issued, whichever CA that was.
ALTER TABLE certificates ADD COLUMN chain_der bytea[] NULL;
