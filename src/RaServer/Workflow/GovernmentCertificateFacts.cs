using System.Security.Cryptography;
using RaServer.Domain;
using RaServer.Policy;
using RaServer.Storage;
using RaServer.Trust;

namespace RaServer.Workflow;

/// <summary>
/// The verification facts for a message signed with a certificate our CA did not issue: if it is a registered
/// government PKI certificate (the same DER), it is judged like ours but against the CRL the RA keeps of its CA; if not,
/// there are none and the verdict stays CERT_UNKNOWN.
/// </summary>
public sealed class GovernmentCertificateFacts(CrlStore crls)
{
    public async Task<VerificationFacts?> ForSignerAsync(
        UnitOfWork uow, byte[] signerDer, string firmUbn, DateTimeOffset at, DateTimeOffset now, CancellationToken ct)
    {
        if (await uow.GovernmentCertificates.FindAsync(Convert.ToHexString(SHA256.HashData(signerDer)), ct) is not { } registered)
            return null;

        var person = registered.HolderKind == GovernmentHolderType.Person;
        // Qualified by the rules of the customs certificates: a person as a broker with a mandate at the firm, anyone
        // else as an active operator.
        var qualified = person
            ? await uow.Qualification.BrokerMayActForAsync(registered.HolderNationalId, firmUbn, now, ct)
            : await uow.Qualification.OperatorActiveAsync(registered.HolderUbn!, ct);
        var notBefore = DateTime.SpecifyKind(registered.NotBefore, DateTimeKind.Utc);
        var notAfter = DateTime.SpecifyKind(registered.NotAfter, DateTimeKind.Utc);
        var held = crls.Status(registered.IssuerKeyId);
        return new VerificationFacts
        {
            SignatureValid = true,
            SignerCertificateDer = registered.Der,
            // The verdict and the evidence read the certificate as they read ours: holder, dates and registration.
            Certificate = new CertificateRow
            {
                SerialHex = registered.SerialHex,
                Kind = GovernmentPkiPolicy.ListedKind(registered.HolderKind),
                State = "ACTIVE",
                HolderNationalId = registered.HolderNationalId,
                HolderName = registered.HolderName,
                FirmUbn = registered.HolderUbn ?? registered.RegisteredFirmUbn,
                NotBefore = notBefore,
                NotAfter = notAfter,
                Der = registered.Der,
                RegisteredFirmUbn = registered.RegisteredFirmUbn,
            },
            Status = CertificateStatusRule.FromCrl(crls.StandingOf(registered.IssuerKeyId, registered.SerialHex, now), held),
            Crl = held,
            Expired = notAfter < at.UtcDateTime || notBefore > at.UtcDateTime,
            Registered = registered.RegisteredFirmUbn == firmUbn,
            HolderQualified = qualified,
            CheckedAt = now,
        };
    }
}
