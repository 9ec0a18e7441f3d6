using RaServer.Domain;

namespace RaServer.Storage;

/// <summary>The column lists that Dapper maps onto the domain's row records; SQL stays in Storage.</summary>
internal static class RowColumns
{
    /// <summary>The select list that fills a <see cref="StoredEvent"/>.</summary>
    public const string Event = """
        e.sequence AS Sequence, e.application_id AS ApplicationId, e.from_state AS FromState, e.to_state AS ToState,
        e.occurred_at AS OccurredAt, e.detail AS Detail, s.final AS Final
        """;

    /// <summary>The select list that fills a <see cref="PaymentSlipRow"/>.</summary>
    public const string PaymentSlip = """
        s.slip_number AS SlipNumber, s.application_id AS ApplicationId, s.amount_ntd AS AmountNtd, s.issued_at AS IssuedAt,
        s.due_at AS DueAt, s.status AS Status, s.paid_at AS PaidAt, s.receipt_reference AS ReceiptReference
        """;

    /// <summary>The select list that fills a <see cref="CertificateRow"/>.</summary>
    public const string Certificate = """
        c.serial_hex AS SerialHex, c.kind AS Kind, c.state AS State, c.holder_national_id AS HolderNationalId,
        c.holder_name AS HolderName, c.firm_ubn AS FirmUbn, c.owner_ubn AS OwnerUbn, c.owner_national_id AS OwnerNationalId,
        c.not_before AS NotBefore, c.not_after AS NotAfter, c.der AS Der, c.chain_der AS ChainDer,
        c.issued_for_application AS IssuedForApplication, c.renews_serial_hex AS RenewsSerialHex,
        (SELECT r.serial_hex FROM certificates r WHERE r.renews_serial_hex = c.serial_hex) AS RenewedBySerialHex,
        c.revocation_reason AS RevocationReason, c.registered_firm_ubn AS RegisteredFirmUbn, c.state_changed_at AS StateChangedAt
        """;

    /// <summary>The SELECT list matching this record, for every query that reads whole applications.</summary>
    public const string Application = """
        a.id AS Id, a.request_id AS RequestId, a.channel AS Channel, a.service_type AS ServiceType, a.kind AS Kind,
        a.state AS StateCode, a.applicant_ubn AS ApplicantUbn, a.applicant_national_id AS ApplicantNationalId,
        a.applicant_name AS ApplicantName, a.subject_national_id AS SubjectNationalId, a.subject_name AS SubjectName,
        a.subject_ubn AS SubjectUbn, a.notice_email AS NoticeEmail, a.certificate_serial_hex AS CertificateSerialHex,
        a.revocation_reason AS RevocationReason, a.receiving_office_code AS ReceivingOfficeCode,
        a.registered_office_code AS RegisteredOfficeCode, a.clerk_id AS ClerkId,
        a.seals_checked AS SealsChecked, a.rejection_reasons::text AS RejectionReasons, a.failure_detail AS FailureDetail,
        a.issued_serial_hex AS IssuedSerialHex, a.created_at AS CreatedAt, a.updated_at AS UpdatedAt,
        COALESCE((SELECT max(e.sequence) FROM application_events e WHERE e.application_id = a.id), 0) AS LastEventSequence
        """;
}
