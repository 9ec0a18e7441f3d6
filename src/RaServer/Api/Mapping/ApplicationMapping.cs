using System.Text.Json;
using Customs.Ra.V1;
using Google.Protobuf.WellKnownTypes;
using RaServer.Domain;

namespace RaServer.Api;

/// <summary>Stored applications → the contract's Application message.</summary>
internal static class ApplicationMapping
{
    /// <summary>Every state has its proto value; a state added to the domain without one does not compile.</summary>
    public static ApplicationState ToProto(ApplicationStatus state) => state switch
    {
        ApplicationStatus.Received => ApplicationState.Received,
        ApplicationStatus.Rejected => ApplicationState.Rejected,
        ApplicationStatus.AwaitingPayment => ApplicationState.AwaitingPayment,
        ApplicationStatus.Cancelled => ApplicationState.Cancelled,
        ApplicationStatus.AwaitingKey => ApplicationState.AwaitingKey,
        ApplicationStatus.Forwarded => ApplicationState.Forwarded,
        ApplicationStatus.Completed => ApplicationState.Completed,
        ApplicationStatus.Failed => ApplicationState.Failed,
    };

    public static Application ToProto(ApplicationRow row, PaymentSlipRow? slip = null)
    {
        var application = new Application
        {
            ApplicationId = row.Id.ToString("D"),
            Channel = ProtoEnums.Parse<ApplicationChannel>("APPLICATION_CHANNEL_", row.Channel),
            State = ToProto(row.State),
            Applicant = row.ApplicantUbn is not null
                ? new Applicant { Organization = new OrganizationIdentity { Ubn = row.ApplicantUbn, Name = row.ApplicantName } }
                : new Applicant { Person = new PersonIdentity { NationalId = row.ApplicantNationalId!, Name = row.ApplicantName } },
            Content = ContentOf(row),
            IssuedCertificateSerialHex = SerialSpelling.ToWire(row.IssuedSerialHex),
            FailureDetail = row.FailureDetail ?? "",
            CreatedAt = Timestamp.FromDateTime(DateTime.SpecifyKind(row.CreatedAt, DateTimeKind.Utc)),
            UpdatedAt = Timestamp.FromDateTime(DateTime.SpecifyKind(row.UpdatedAt, DateTimeKind.Utc)),
            LastEventSequence = row.LastEventSequence,
            CustomsOfficeCode = (row.Channel == "PAPER" ? row.ReceivingOfficeCode : row.RegisteredOfficeCode) ?? "",
        };
        if (row.Channel == "PAPER")
            application.PaperIntake = new PaperIntake
            {
                ReceivingOfficeCode = row.ReceivingOfficeCode ?? "", ClerkId = row.ClerkId ?? "", SealsChecked = row.SealsChecked ?? false,
            };
        if (slip is not null)
            application.PaymentSlip = ToProto(slip);
        if (row.RejectionReasons is { } json)
            application.RejectionReasons.AddRange(JsonSerializer.Deserialize<List<StoredRejection>>(json, JsonSerializerOptions.Web)!
                .Select(r => new RejectionReason { Code = r.Code, Text = r.Text, Field = r.Field ?? "" }));
        return application;
    }

    public static PaymentSlip ToProto(PaymentSlipRow slip)
    {
        var proto = new PaymentSlip
        {
            SlipNumber = slip.SlipNumber,
            ApplicationId = slip.ApplicationId.ToString("D"),
            AmountNtd = slip.AmountNtd,
            IssuedAt = Utc(slip.IssuedAt),
            DueAt = Utc(slip.DueAt),
            Status = ProtoEnums.Parse<PaymentSlipStatus>("PAYMENT_SLIP_STATUS_", slip.Status),
            ReceiptReference = slip.ReceiptReference ?? "",
        };
        if (slip.PaidAt is { } paidAt)
            proto.PaidAt = Utc(paidAt);
        return proto;
    }

    private static Timestamp Utc(DateTime value) => Timestamp.FromDateTime(DateTime.SpecifyKind(value, DateTimeKind.Utc));

    private static ApplicationContent ContentOf(ApplicationRow row)
    {
        var content = new ApplicationContent
        {
            ServiceType = ProtoEnums.ServiceType(row.ServiceType),
            Kind = ProtoEnums.Kind(row.Kind),
            NoticeEmail = row.NoticeEmail,
            CertificateSerialHex = SerialSpelling.ToWire(row.CertificateSerialHex),
            RevocationReason = RevocationReasonMapping.StoredCodeToProto(row.RevocationReason),
        };
        if (row.Kind == "PERSONAL")
            content.Personal = new PersonalSubject { NationalId = row.SubjectNationalId!, Name = row.SubjectName, FirmUbn = row.SubjectUbn };
        else
            content.Organization = new OrganizationSubject { Ubn = row.SubjectUbn, Name = row.SubjectName };
        return content;
    }

    /// <summary>The JSON shape of applications.rejection_reasons.</summary>
    internal sealed record StoredRejection(string Code, string Text, string? Field);
}
