using Customs.Ra.V1;
using Google.Protobuf.WellKnownTypes;
using RaServer.Domain;

namespace RaServer.Api;

/// <summary>The RA's certificate records → the contract's Certificate message.</summary>
internal static class CertificateMapping
{
    public static Certificate ToProto(CertificateRow row, DateTimeOffset now)
    {
        var notAfter = DateTime.SpecifyKind(row.NotAfter, DateTimeKind.Utc);
        var certificate = new Certificate
        {
            SerialHex = SerialSpelling.ToWire(row.SerialHex),
            Kind = ProtoEnums.Kind(row.Kind),
            // EXPIRED is not stored: it follows from the date, unless a revocation or hold says more.
            State = row.State == "ACTIVE" && notAfter <= now.UtcDateTime
                ? CertificateState.Expired
                : ProtoEnums.Parse<CertificateState>("CERTIFICATE_STATE_", row.State),
            Holder = row.HolderNationalId is { } id
                ? new CertificateHolder { Person = new PersonIdentity { NationalId = id, Name = row.HolderName } }
                : new CertificateHolder { Organization = new OrganizationIdentity { Ubn = row.FirmUbn, Name = row.HolderName } },
            FirmUbn = row.FirmUbn,
            NotBefore = Timestamp.FromDateTime(DateTime.SpecifyKind(row.NotBefore, DateTimeKind.Utc)),
            NotAfter = Timestamp.FromDateTime(notAfter),
            Registered = row.RegisteredFirmUbn is not null,
            RegisteredFirmUbn = row.RegisteredFirmUbn ?? "",
            RenewsSerialHex = SerialSpelling.ToWire(row.RenewsSerialHex),
            RenewedBySerialHex = SerialSpelling.ToWire(row.RenewedBySerialHex),
            RevocationReason = RevocationReasonMapping.StoredCodeToProto(row.RevocationReason),
            ApplicationId = row.IssuedForApplication?.ToString("D") ?? "",
        };
        if (row.Der is not null)
        {
            using var x509 = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificate(row.Der);
            certificate.SubjectDn = x509.Subject;
        }
        return certificate;
    }
}
