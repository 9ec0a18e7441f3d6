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

    /// <summary>The trust anchor, without its key (the root key stays sealed at rest, or in its token).</summary>
    public X509Certificate2 Root { get; }

    /// <summary>
    /// The issuing CA certificate, without its key: every signer signs with <see cref="IssuingKey"/>, and a key held in
    /// a token cannot be attached (.NET would export it to do so).
    /// </summary>
    public X509Certificate2 Issuing { get; }

    public AsymmetricAlgorithm IssuingKey { get; }

    public X509SignatureGenerator IssuingSigner { get; }

    public X509SubjectKeyIdentifierExtension IssuingKeyId { get; }

    /// <summary>Protects CMP answers; clients pin it (openssl cmp -srvcert) or chain it to the root (-trusted).</summary>
    public X509Certificate2 CmpSigner { get; }

    public AsymmetricAlgorithm CmpSignerKey { get; }

    /// <summary>Makes a new hierarchy with keys from <paramref name="keys"/>; nothing is stored here.</summary>
    public static StoredCaMaterial CreateNew(EmbeddedCaSettings settings, ICaKeySource keys, DateTimeOffset now)
    {
        var notBefore = now.AddMinutes(-5);
        using var rootKey = keys.CreateKey(CaKeyRole.Root, settings.KeyAlgorithm);
        using var issuingKey = keys.CreateKey(CaKeyRole.Issuing, settings.KeyAlgorithm);
        using var signerKey = keys.CreateKey(CaKeyRole.CmpSigner, settings.KeyAlgorithm);

        var rootRequest = CaKeys.Request(Name(settings, settings.RootCommonName), rootKey);
        var rootKeyId = new X509SubjectKeyIdentifierExtension(rootRequest.PublicKey, critical: false);
        AddCaExtensions(rootRequest, rootKeyId, pathLength: null);
        // Not CreateSelfSigned: it attaches the private key to the result, which exports it, and a token's key cannot be.
        using var root = rootRequest.Create(rootRequest.SubjectName, CaKeys.SignerFor(rootKey), notBefore, notBefore + RootLifetime, SerialNumbers.NewSerial());

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
            settings.KeyAlgorithm, keys.Kind,
            root.RawData, keys.Seal(rootKey),
            issuing.RawData, keys.Seal(issuingKey),
            signer.RawData, keys.Seal(signerKey),
            now);
    }

    /// <summary>
    /// Opens the stored hierarchy's keys from <paramref name="keys"/>; a wrong passphrase, or a key the token lacks,
    /// throws <see cref="CryptographicException"/>.
    /// </summary>
    public static CaMaterial Open(StoredCaMaterial stored, ICaKeySource keys)
    {
        if (stored.KeySource != keys.Kind)
            throw new CryptographicException(
                $"The stored CA keeps its keys {Where(stored.KeySource)}, but this replica is configured for keys {Where(keys.Kind)} " +
                "(EmbeddedCa:KeySource): a CA does not move its keys by configuration.");
        // The root key is opened only to prove it is there (the passphrase fits every key; the token holds it), then
        // dropped: nothing here signs with it.
        keys.Open(CaKeyRole.Root, stored).Dispose();
        var issuingKey = keys.Open(CaKeyRole.Issuing, stored);
        var signerKey = keys.Open(CaKeyRole.CmpSigner, stored);
        return new CaMaterial(X509CertificateLoader.LoadCertificate(stored.RootCertificate), X509CertificateLoader.LoadCertificate(stored.IssuingCertificate),
            issuingKey, X509CertificateLoader.LoadCertificate(stored.CmpSignerCertificate), signerKey);
    }

    private static string Where(CaKeySourceKind kind) => kind switch
    {
        CaKeySourceKind.Sealed => "sealed in its store (Sealed)",
        CaKeySourceKind.Pkcs11 => "in a PKCS#11 token (Pkcs11)",
    };

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
