using System.Formats.Asn1;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using RaServer.Domain;

namespace RaServer.Trust;

/// <summary>
/// Checks the signed envelope of an applicant request: payload bytes plus a detached CMS SignedData over
/// them. Returns the signer only when the signature, the chain to a configured government root, the
/// certificate's validity and revocation status, its key usage and the signing time all pass; every
/// refusal is a <see cref="RaException"/>. Message verification finds and checks its signers here too, through
/// <see cref="CheckSignature"/> and the same per-signer cache. A singleton, safe for concurrent requests.
/// </summary>
public sealed class SignedRequestVerifier
{
    private readonly TrustOptions _options;
    private readonly TimeProvider _time;
    private readonly CrlStore _crls;
    private readonly SignerProfileCache _profiles;

    public SignedRequestVerifier(TrustOptions options, TimeProvider time, CrlStore crls, TrustAnchors trust)
    {
        _options = options;
        _time = time;
        _crls = crls;
        _profiles = new SignerProfileCache(Math.Max(1, options.SignerCacheSize), trust);
    }

    public SignedRequestVerifier(IOptions<TrustOptions> options, TimeProvider time, CrlStore crls, TrustAnchors trust)
        : this(options.Value, time, crls, trust)
    {
    }

    /// <summary>How many signer certificates are cached (for metrics and tests).</summary>
    public int CachedSigners => _profiles.Count;

    // Order: structure, then the signature (nothing else about an unauthenticated blob is worth reporting),
    // then the cached facts about the certificate, then what depends on the clock and the current CRLs.
    public VerifiedSigner Verify(ReadOnlyMemory<byte> payload, ReadOnlyMemory<byte> cmsSignature)
    {
        var now = _time.GetUtcNow();
        var (cms, signer) = CheckSignature(payload, cmsSignature).Accepted();

        if (signer.TrustRefusal is { } untrusted)
            throw untrusted.ToException();
        if (!signer.KeyUsageAllowsSigning)
            throw new RaException(RaErrorKind.Unauthenticated, "KEY_USAGE_NOT_ALLOWED",
                "The signer's certificate is not for signatures (keyUsage lacks digitalSignature and nonRepudiation).");

        var signingTime = cms.SigningTime ?? throw new RaException(RaErrorKind.Invalid, "SIGNING_TIME_MISSING",
            "The signature has no signingTime signed attribute.",
            [new FieldProblem(DetachedSignature.Field, "signingTime signed attribute is required")]);
        if ((signingTime - now).Duration() > _options.SigningTimeWindow)
            throw new RaException(RaErrorKind.Unauthenticated, "SIGNING_TIME_OUT_OF_WINDOW",
                $"The request was signed at {signingTime:u}, more than {_options.SigningTimeWindow} from the server time {now:u}.");

        foreach (var link in signer.Chain)
            EnsureValidAt(link, signingTime);
        // Revocation is never cached: a CRL published a second ago applies to this request.
        foreach (var link in signer.Chain)
            if (link.IssuerKeyId is { } issuer)
                _crls.EnsureNotRevoked(issuer, link.SerialHex, link.Subject, now);

        if (signer.IdentityRefusal is { } conflict)
            throw conflict.ToException();
        var identity = signer.Identity!;
        return new VerifiedSigner
        {
            Certificate = signer.Certificate,
            Sha256Thumbprint = signer.Sha256Thumbprint,
            SerialNumberHex = signer.SerialHex,
            IssuerDn = signer.Certificate.Issuer,
            IssuerKeyId = signer.Chain[0].IssuerKeyId!,
            SigningTime = signingTime,
            Kind = identity.Kind,
            Ubn = identity.Ubn,
            IdLastFour = identity.IdLastFour,
            PersonName = identity.PersonName,
            OrganizationId = identity.OrganizationId,
        };
    }

    /// <summary>
    /// The signer of <paramref name="cmsSignature"/>, from the per-signer cache, and whether the signature verifies over
    /// <paramref name="payload"/>; nothing else about the signer is judged here.
    /// </summary>
    internal SignatureCheck CheckSignature(ReadOnlyMemory<byte> payload, ReadOnlyMemory<byte> cmsSignature)
    {
        DetachedSignature cms;
        SignerProfile signer;
        try
        {
            cms = DetachedSignature.Parse(cmsSignature);
            signer = FindSigner(cms);
        }
        catch (RaException e)
        {
            return SignatureCheck.Unreadable(Refusal.From(e));
        }
        return SignatureCheck.Of(cms, signer, SignatureValid(cms, signer.PublicKey, payload.Span));
    }

    private SignerProfile FindSigner(DetachedSignature cms)
    {
        // Every certificate, not only the signer's: the CMS is refused as a whole, as `openssl cms -verify` refuses it.
        if (cms.Certificates.Any(c => !DerEncoding.IsDer(c)))
            throw DetachedSignature.Malformed("A certificate in the CMS signature is not DER-encoded (RFC 5280 4.1).");
        try
        {
            foreach (var der in cms.Certificates)
            {
                if (cms.SignerIssuerAndSerial is { } sid)
                {
                    // Compare issuer and serial straight from the DER, so only the signer's certificate is hashed and looked up.
                    if (IssuedAs(der, sid.Issuer.Span, sid.Serial.Span))
                        return _profiles.Get(der.Span);
                }
                else if (_profiles.Get(der.Span) is { } profile && profile.SubjectKeyId == cms.SignerKeyId)
                {
                    return profile;
                }
            }
        }
        catch (Exception e) when (e is AsnContentException or CryptographicException)
        {
            // OpenSSL's text ("unable to get certs public key", "bad e value") stays out of the answer: it describes
            // the library, not the request, and changes with its version.
            throw DetachedSignature.Malformed("A certificate in the CMS signature cannot be read as an X.509 certificate with a public key.");
        }
        throw DetachedSignature.Malformed("The CMS signature does not include the signer's certificate.");
    }

    private static bool IssuedAs(ReadOnlyMemory<byte> certificate, ReadOnlySpan<byte> issuer, ReadOnlySpan<byte> serial)
    {
        var tbs = new AsnReader(certificate, AsnEncodingRules.DER).ReadSequence().ReadSequence();
        if (tbs.PeekTag().HasSameClassAndValue(new Asn1Tag(TagClass.ContextSpecific, 0)))
            tbs.ReadEncodedValue(); // version
        var certificateSerial = tbs.ReadIntegerBytes();
        tbs.ReadSequence(); // signature algorithm
        return certificateSerial.Span.SequenceEqual(serial) && tbs.ReadEncodedValue().Span.SequenceEqual(issuer);
    }

    private static bool SignatureValid(DetachedSignature cms, AsymmetricAlgorithm? key, ReadOnlySpan<byte> payload) =>
        key is not null && (cms.SignedAttributes is null
            // Without signed attributes the signature is over the content itself (RFC 5652 5.4).
            ? SignatureAlgorithms.Verify(key, cms.Scheme, cms.SignatureHash, payload, cms.Signature)
            : cms.SignedContentType == cms.ContentType
              && DigestMatches(cms, payload)
              && SignatureAlgorithms.Verify(key, cms.Scheme, cms.SignatureHash, cms.SignedAttributes, cms.Signature));

    private static bool DigestMatches(DetachedSignature cms, ReadOnlySpan<byte> payload)
    {
        Span<byte> digest = stackalloc byte[64];
        var length = CryptographicOperations.HashData(cms.Digest, payload, digest);
        return CryptographicOperations.FixedTimeEquals(digest[..length], cms.MessageDigest);
    }

    private static void EnsureValidAt(ChainLink link, DateTimeOffset signingTime)
    {
        if (signingTime < link.NotBefore)
            throw new RaException(RaErrorKind.Unauthenticated, "SIGNER_CERT_NOT_YET_VALID",
                $"The certificate {link.Subject} is valid only from {link.NotBefore:u}; the request was signed at {signingTime:u}.");
        if (signingTime > link.NotAfter)
            throw new RaException(RaErrorKind.Unauthenticated, "SIGNER_CERT_EXPIRED",
                $"The certificate {link.Subject} expired at {link.NotAfter:u}; the request was signed at {signingTime:u}.");
    }
}
