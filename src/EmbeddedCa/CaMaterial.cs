using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace EmbeddedCa;

/// <summary>
/// The embedded CA's hierarchy in memory: a root, the issuing CA that signs certificates and CRLs, and a CMP signer
/// (an end-entity certificate from the issuing CA) that protects CMP answers, so the issuing key signs nothing but
/// certificates and CRLs and CMP clients see a certificate with digitalSignature, as OpenSSL checks.
/// </summary>
public sealed class CaMaterial : IDisposable
{
    private static readonly TimeSpan RootLifetime = TimeSpan.FromDays(25 * 365);
    private static readonly TimeSpan IssuingLifetime = TimeSpan.FromDays(20 * 365);
    private static readonly TimeSpan CmpSignerLifetime = TimeSpan.FromDays(10 * 365);
    private const string CmcCaEku = "1.3.6.1.5.5.7.3.27";

    private CaMaterial(X509Certificate2 root, X509Certificate2 issuing, AsymmetricAlgorithm issuingKey, X509Certificate2 cmpSigner, AsymmetricAlgorithm cmpSignerKey)
    {
        Root = root;
        Issuing = issuing;
        IssuingKey = issuingKey;
        IssuingSigner = CaKeys.SignerFor(issuingKey);
        IssuingKeyId = issuing.Extensions.OfType<X509SubjectKeyIdentifierExtension>().Single();
        CmpSigner = cmpSigner;
        CmpSignerKey = cmpSignerKey;
    }

    /// <summary>The trust anchor, without its key (the root key stays sealed at rest).</summary>
    public X509Certificate2 Root { get; }

    /// <summary>The issuing CA certificate, with its private key (the CRL builder needs it attached).</summary>
    public X509Certificate2 Issuing { get; }

    public AsymmetricAlgorithm IssuingKey { get; }

    public X509SignatureGenerator IssuingSigner { get; }

    public X509SubjectKeyIdentifierExtension IssuingKeyId { get; }

    /// <summary>Protects CMP answers; clients pin it (openssl cmp -srvcert) or chain it to the root (-trusted).</summary>
    public X509Certificate2 CmpSigner { get; }

    public AsymmetricAlgorithm CmpSignerKey { get; }

    /// <summary>Makes a new hierarchy and seals its keys with the passphrase; nothing is stored here.</summary>
    public static StoredCaMaterial CreateNew(EmbeddedCaSettings settings, DateTimeOffset now)
    {
        var notBefore = now.AddMinutes(-5);
        using var rootKey = CaKeys.Generate(settings.KeyAlgorithm);
        using var issuingKey = CaKeys.Generate(settings.KeyAlgorithm);
        using var signerKey = CaKeys.Generate(settings.KeyAlgorithm);

        var rootRequest = CaKeys.Request(Name(settings, settings.RootCommonName), rootKey);
        var rootKeyId = new X509SubjectKeyIdentifierExtension(rootRequest.PublicKey, critical: false);
        AddCaExtensions(rootRequest, rootKeyId, pathLength: null);
        using var root = rootRequest.CreateSelfSigned(notBefore, notBefore + RootLifetime);

        var issuingRequest = CaKeys.Request(Name(settings, settings.IssuingCommonName), issuingKey);
        var issuingKeyId = new X509SubjectKeyIdentifierExtension(issuingRequest.PublicKey, critical: false);
        AddCaExtensions(issuingRequest, issuingKeyId, pathLength: 0);
        issuingRequest.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromSubjectKeyIdentifier(rootKeyId));
        issuingRequest.CertificateExtensions.Add(new X509AuthorityInformationAccessExtension(null, [settings.RootCertificateUrl]));
        using var issuing = issuingRequest.Create(root.SubjectName, CaKeys.SignerFor(rootKey), notBefore, notBefore + IssuingLifetime, SerialNumbers.NewSerial());

        var signerRequest = CaKeys.Request(Name(settings, settings.CmpSignerCommonName), signerKey);
        signerRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, critical: true));
        signerRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        signerRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(CmcCaEku)], critical: false));
        signerRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(signerRequest.PublicKey, critical: false));
        signerRequest.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromSubjectKeyIdentifier(issuingKeyId));
        signerRequest.CertificateExtensions.Add(CertificateRevocationListBuilder.BuildCrlDistributionPointExtension([settings.Links.CrlUrl]));
        using var signer = signerRequest.Create(issuing.SubjectName, CaKeys.SignerFor(issuingKey), notBefore, notBefore + CmpSignerLifetime, SerialNumbers.NewSerial());

        return new StoredCaMaterial(
            settings.KeyAlgorithm,
            root.RawData, CaKeys.Seal(rootKey, settings.KeyPassphrase, settings.KeySealingIterations),
            issuing.RawData, CaKeys.Seal(issuingKey, settings.KeyPassphrase, settings.KeySealingIterations),
            signer.RawData, CaKeys.Seal(signerKey, settings.KeyPassphrase, settings.KeySealingIterations),
            now);
    }

    /// <summary>Opens the sealed keys; a wrong passphrase throws <see cref="CryptographicException"/>.</summary>
    public static CaMaterial Open(StoredCaMaterial stored, string passphrase)
    {
        // The root key is opened only to prove the passphrase fits every key, then dropped: nothing here signs with it.
        CaKeys.Open(stored.RootKeyPem, stored.KeyAlgorithm, passphrase).Dispose();
        var issuingKey = CaKeys.Open(stored.IssuingKeyPem, stored.KeyAlgorithm, passphrase);
        var signerKey = CaKeys.Open(stored.CmpSignerKeyPem, stored.KeyAlgorithm, passphrase);
        using var issuingPublic = X509CertificateLoader.LoadCertificate(stored.IssuingCertificate);
        var issuing = CaKeys.WithKey(issuingPublic, issuingKey);
        using var signerPublic = X509CertificateLoader.LoadCertificate(stored.CmpSignerCertificate);
        var signer = CaKeys.WithKey(signerPublic, signerKey);
        return new CaMaterial(X509CertificateLoader.LoadCertificate(stored.RootCertificate), issuing, issuingKey, signer, signerKey);
    }

    public void Dispose()
    {
        Root.Dispose();
        Issuing.Dispose();
        IssuingKey.Dispose();
        CmpSigner.Dispose();
        CmpSignerKey.Dispose();
    }

    private static X500DistinguishedName Name(EmbeddedCaSettings settings, string commonName)
    {
        var name = new X500DistinguishedNameBuilder();
        // Added least significant first: the builder reverses (see CertificateProfile).
        name.AddCommonName(commonName);
        name.AddOrganizationName(settings.Organization);
        name.AddCountryOrRegion("TW");
        return name.Build();
    }

    private static void AddCaExtensions(CertificateRequest request, X509SubjectKeyIdentifierExtension keyId, int? pathLength)
    {
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, pathLength.HasValue, pathLength ?? 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, critical: true));
        request.CertificateExtensions.Add(keyId);
    }
}
