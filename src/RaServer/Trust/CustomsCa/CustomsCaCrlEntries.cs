using System.Formats.Asn1;
using CaConnector;
using RaServer.Domain;

namespace RaServer.Trust;

/// <summary>One line of the customs CA's CRL: when and why a certificate was listed.</summary>
public sealed record CustomsCaCrlEntry(DateTimeOffset RevokedAt, RevocationReason Reason)
{
    /// <summary>A hold is a suspension that may end; any other reason is a revocation for good.</summary>
    public CustomsCertificateStatus Standing() => Reason == RevocationReason.CertificateHold
        ? new(CustomsCertificateStanding.OnHold, Reason, RevokedAt)
        : new(CustomsCertificateStanding.Revoked, Reason, RevokedAt);
}

/// <summary>
/// Reads the revoked entries of a CRL with their reason codes. <see cref="CrlDocument"/> keeps only the serials,
/// which is all an identity check needs; the customs CA's verdicts must tell a hold from a revocation.
/// </summary>
internal static class CustomsCaCrlEntries
{
    private const string ReasonCodeOid = "2.5.29.21";

    /// <returns>Entries by serial in the spelling of <see cref="SerialNumbers"/>.</returns>
    public static Dictionary<string, CustomsCaCrlEntry> Read(ReadOnlyMemory<byte> tbsCertList)
    {
        try
        {
            return ReadCore(tbsCertList);
        }
        catch (Exception e) when (e is AsnContentException or ArgumentException)
        {
            throw new RaException(RaErrorKind.Invalid, "CRL_MALFORMED", $"The CRL's entries are not valid DER: {e.Message}");
        }
    }

    private static Dictionary<string, CustomsCaCrlEntry> ReadCore(ReadOnlyMemory<byte> tbsCertList)
    {
        var entries = new Dictionary<string, CustomsCaCrlEntry>(StringComparer.Ordinal);
        var tbs = new AsnReader(tbsCertList, AsnEncodingRules.DER).ReadSequence();
        if (tbs.PeekTag() == Asn1Tag.Integer)
            tbs.ReadInteger();
        tbs.ReadSequence(); // signature algorithm
        tbs.ReadEncodedValue(); // issuer
        Asn1Time.Read(tbs); // thisUpdate
        if (Asn1Time.IsNext(tbs))
            Asn1Time.Read(tbs); // nextUpdate
        if (!tbs.HasData || tbs.PeekTag() != Asn1Tag.Sequence)
            return entries;

        var list = tbs.ReadSequence();
        while (list.HasData)
        {
            var entry = list.ReadSequence();
            var serial = SerialNumbers.ToHex(entry.ReadIntegerBytes().Span);
            var revokedAt = Asn1Time.Read(entry);
            var reason = entry.HasData ? ReasonOf(entry.ReadSequence()) : RevocationReason.Unspecified;
            // removeFromCRL belongs in delta CRLs; in a full CRL it can only mean "no longer listed".
            if (reason != RevocationReason.RemoveFromCrl)
                entries[serial] = new CustomsCaCrlEntry(revokedAt, reason);
        }
        return entries;
    }

    private static RevocationReason ReasonOf(AsnReader extensions)
    {
        while (extensions.HasData)
        {
            var extension = extensions.ReadSequence();
            if (extension.ReadObjectIdentifier() != ReasonCodeOid)
                continue;
            if (extension.PeekTag() == Asn1Tag.Boolean)
                extension.ReadBoolean();
            var code = new AsnReader(extension.ReadOctetString(), AsnEncodingRules.DER).ReadEnumeratedBytes();
            // RFC 5280 5.3.1: an absent reason means unspecified; an unknown code is kept as a revocation all the same.
            return (code.Length == 1 ? CrlReasonCodes.ReasonOf(code.Span[0]) : null) ?? RevocationReason.Unspecified;
        }
        return RevocationReason.Unspecified;
    }
}
