using Customs.Ra.V1;
using Google.Protobuf.WellKnownTypes;
using RaServer.Domain;
using RaServer.Policy;

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
            Source = CertificateSource.Customs,
        };
        if (row.Der is not null)
        {
            using var x509 = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificate(row.Der);
            certificate.SubjectDn = x509.Subject;
            certificate.IssuerDn = x509.Issuer;
        }
        return certificate;
    }

    /// <summary>A registered government PKI certificate, in the state <paramref name="state"/> its CA's CRL and dates give it.</summary>
    public static Certificate ToProto(GovernmentCertificateRow row, string state)
    {
        var registeredAt = Timestamp.FromDateTime(DateTime.SpecifyKind(row.RegisteredAt, DateTimeKind.Utc));
        return new Certificate
        {
            SerialHex = SerialSpelling.ToWire(row.SerialHex),
            Kind = ProtoEnums.Kind(GovernmentPkiPolicy.ListedKind(row.HolderKind)),
            State = ProtoEnums.Parse<CertificateState>("CERTIFICATE_STATE_", state),
            Holder = row.HolderNationalId is { } id
                ? new CertificateHolder { Person = new PersonIdentity { NationalId = id, Name = row.HolderName } }
                : new CertificateHolder { Organization = new OrganizationIdentity { Ubn = row.HolderUbn ?? "", Name = row.HolderName } },
            FirmUbn = row.HolderUbn ?? row.RegisteredFirmUbn,
            SubjectDn = row.SubjectDn,
            NotBefore = Timestamp.FromDateTime(DateTime.SpecifyKind(row.NotBefore, DateTimeKind.Utc)),
            NotAfter = Timestamp.FromDateTime(DateTime.SpecifyKind(row.NotAfter, DateTimeKind.Utc)),
            Registered = true,
            RegisteredFirmUbn = row.RegisteredFirmUbn,
            RegisteredAt = registeredAt,
            Source = CertificateSource.GovernmentPki,
            IssuerDn = row.IssuerDn,
            GovernmentHolderKind = ProtoEnums.HolderKind(row.HolderKind),
            CertificateDer = Google.Protobuf.ByteString.CopyFrom(row.Der),
        };
    }
}
