-- The customs office (關區) an ONLINE application's operator is registered with: the customs_office_code of the
-- registry's operator row that eligibility judged at submission (the subject's UBN: the operator itself for
-- ORGANIZATION, the broker's firm for PERSONAL), kept as it was then. A column of its own, not
-- receiving_office_code: that one says which office took in a PAPER form, and the office's listing of the
-- applications it received reads it, which an online application must never enter.
--
-- NULL for PAPER applications (they have their receiving office) and for an online application whose operator
-- the registry did not hold (it was REJECTED as OPERATOR_NOT_REGISTERED).
ALTER TABLE applications
    ADD COLUMN registered_office_code text NULL,
    ADD CONSTRAINT applications_registered_office_code_format CHECK (registered_office_code ~ '^[A-Z]{2}$'),
    ADD CONSTRAINT applications_registered_office_online_only CHECK (channel = 'ONLINE' OR registered_office_code IS NULL);

-- Online applications stored before this migration get their operator's office as the registry holds it now: the
-- office at their submission was not kept, and the current one is what the operator is registered with today.
UPDATE applications a SET registered_office_code = o.customs_office_code
FROM operators o
WHERE a.channel = 'ONLINE' AND o.ubn = a.subject_ubn;
