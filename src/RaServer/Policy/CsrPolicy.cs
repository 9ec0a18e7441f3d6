using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace RaServer.Policy;

/// <summary>Why a CSR was refused; the codes are stable and shown to applicants.</summary>
public static class CsrReasons
{
    public const string Malformed = "CSR_MALFORMED";
    public const string SignatureInvalid = "CSR_SIGNATURE_INVALID";
    public const string KeyTooWeak = "CSR_KEY_TOO_WEAK";
    public const string KeyUnsupported = "CSR_KEY_UNSUPPORTED";
}

/// <summary>The outcome of <see cref="CsrPolicy.Check"/>: accepted, or a reason code and what was wrong.</summary>
public sealed record CsrCheck
{
    private CsrCheck(string? reason, string? detail)
    {
        ReasonCode = reason;
        Detail = detail;
    }

    public static readonly CsrCheck Accepted = new(null, null);

    public bool IsAccepted => ReasonCode is null;

    /// <summary>One of <see cref="CsrReasons"/>; null when accepted.</summary>
    public string? ReasonCode { get; }

    /// <summary>What exactly was wrong, for the applicant and the log.</summary>
    public string? Detail { get; }

    internal static CsrCheck Refused(string reason, string detail) => new(reason, detail);
}

/// <summary>
/// Key policy for applicant CSRs: RSA of 2048 to 8192 bits, or ECDSA on P-256 or P-384; the self-signature is the
/// proof of possession. Pure (no I/O). The RA applies it once, when the applicant submits the CSR; the embedded CA
/// does not judge keys again, and its CMP endpoint borrows this policy from the host for third-party clients. The
/// signature is checked by .NET, about 100 times faster than BouncyCastle's RSA key parser (docs/PERFORMANCE.md);
/// extensions requested in the CSR are never read.
/// </summary>
public static class CsrPolicy
{
    private const string RsaOid = "1.2.840.113549.1.1.1";
    private const string EcPublicKeyOid = "1.2.840.10045.2.1";
    private const string P256 = "1.2.840.10045.3.1.7";
    private const string P384 = "1.3.132.0.34";
    private const string P192 = "1.2.840.10045.3.1.1";
    private const string P224 = "1.3.132.0.33";
    private const int MinRsaBits = 2048;

    // Larger RSA keys add nothing to the profile and make every verification by relying parties slow.
    private const int MaxRsaBits = 8192;

    public static CsrCheck Check(ReadOnlySpan<byte> csrDer)
    {
        CertificateRequest request;
        try
        {
            request = CertificateRequest.LoadSigningRequest(csrDer, HashAlgorithmName.SHA256, out var read, CertificateRequestLoadOptions.Default);
            if (read != csrDer.Length)
                return CsrCheck.Refused(CsrReasons.Malformed, "the CSR is followed by extra bytes");
        }
        catch (Exception e) when (e is CryptographicException or NotSupportedException)
        {
            // .NET throws NotSupportedException for a key or signature algorithm it cannot verify (DSA-SHA256, Ed25519).
            return WhyUnloadable(csrDer, e);
        }
        return CheckKeyOrNull(request.PublicKey) ?? CsrCheck.Accepted;
    }

    /// <summary>
    /// The key half of <see cref="Check"/>, for a caller that has verified the self-signature already (the embedded
    /// CA's CMP endpoint, whose proof-of-possession check comes first), so a CSR's signature is checked once.
    /// </summary>
    public static CsrCheck CheckKey(PublicKey provenKey) => CheckKeyOrNull(provenKey) ?? CsrCheck.Accepted;

    // Only on the refusal path: parse again without the signature check to tell a weak key from a forged signature.
    private static CsrCheck WhyUnloadable(ReadOnlySpan<byte> csrDer, Exception signatureError)
    {
        CertificateRequest unchecked_;
        try
        {
            unchecked_ = CertificateRequest.LoadSigningRequest(csrDer, HashAlgorithmName.SHA256, out _, CertificateRequestLoadOptions.SkipSignatureValidation);
        }
        catch (CryptographicException)
        {
            return CsrCheck.Refused(CsrReasons.Malformed, "not a DER PKCS#10 certification request");
        }
        return CheckKeyOrNull(unchecked_.PublicKey)
            ?? CsrCheck.Refused(CsrReasons.SignatureInvalid, "the CSR's self-signature does not verify with the key it carries");
    }

    private static CsrCheck? CheckKeyOrNull(PublicKey key)
    {
        switch (key.Oid.Value)
        {
            case RsaOid:
                int bits;
                try
                {
                    using var rsa = key.GetRSAPublicKey()!;
                    bits = rsa.KeySize;
                }
                catch (CryptographicException)
                {
                    return CsrCheck.Refused(CsrReasons.Malformed, "the CSR's RSA key cannot be read");
                }
                if (bits < MinRsaBits)
                    return CsrCheck.Refused(CsrReasons.KeyTooWeak, $"RSA key of {bits} bits; at least {MinRsaBits} required");
                if (bits > MaxRsaBits)
                    return CsrCheck.Refused(CsrReasons.KeyUnsupported, $"RSA key of {bits} bits; at most {MaxRsaBits} accepted");
                return null;
            case EcPublicKeyOid:
                return CurveOf(key) switch
                {
                    P256 or P384 => null,
                    P192 or P224 => CsrCheck.Refused(CsrReasons.KeyTooWeak, "ECDSA curve below P-256"),
                    var curve => CsrCheck.Refused(CsrReasons.KeyUnsupported, $"ECDSA curve {curve ?? "(explicit parameters)"} is not P-256 or P-384"),
                };
            default:
                return CsrCheck.Refused(CsrReasons.KeyUnsupported, $"key algorithm {key.Oid.Value} is not RSA or ECDSA");
        }
    }

    private static string? CurveOf(PublicKey key)
    {
        try
        {
            if (key.EncodedParameters?.RawData is not { } parameters)
                return null;
            var reader = new AsnReader(parameters, AsnEncodingRules.DER);
            return reader.PeekTag().HasSameClassAndValue(Asn1Tag.ObjectIdentifier) ? reader.ReadObjectIdentifier() : null;
        }
        catch (AsnContentException)
        {
            return null;
        }
    }
}
