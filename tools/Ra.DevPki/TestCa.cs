using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using CaConnector;

namespace Ra.DevPki;

/// <summary>
/// A certification authority for tests and the dev PKI: makes roots, sub-CAs, leaves and CRLs with the
/// extensions the government CAs use. Everything is built and signed by .NET (OpenSSL underneath).
/// </summary>
public sealed class TestCa : IDisposable
{
    private static readonly TimeSpan DefaultLeafLifetime = TimeSpan.FromDays(5 * 365);
    private static readonly TimeSpan DefaultCaLifetime = TimeSpan.FromDays(20 * 365);

    private readonly TimeProvider _time;

    private TestCa(X509Certificate2 certificate, string crlUrl, TimeProvider time)
    {
        Certificate = certificate;
        CrlUrl = crlUrl;
        _time = time;
    }

    /// <summary>The CA certificate, with its private key.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>Where this CA's CRL is published; the CRL distribution point of everything it issues.</summary>
    public string CrlUrl { get; }

    /// <summary>The subjectKeyIdentifier, which is how the RA tells CA generations with one DN apart.</summary>
    public byte[] KeyIdentifier =>
        Convert.FromHexString(Certificate.Extensions.OfType<X509SubjectKeyIdentifierExtension>().Single().SubjectKeyIdentifier!);

    public static TestCa CreateRoot(string subjectDn, CaSpec? spec = null, TimeProvider? time = null)
    {
        time ??= TimeProvider.System;
        spec ??= new CaSpec();
        using var key = KeyPairs.Generate(spec.Key);
        var request = KeyPairs.Request(DistinguishedNames.FromOpenSslOrder(subjectDn), key);
        var ski = new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false);
        AddCaExtensions(request, ski);
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromSubjectKeyIdentifier(ski));
        var (notBefore, notAfter) = CaValidity(spec, time);
        var certificate = request.CreateSelfSigned(notBefore, notAfter);
        return new TestCa(certificate, spec.CrlUrl ?? DefaultCrlUrl(ski), time);
    }

    /// <summary>Loads a CA saved earlier (certificate with its key), so CRLs can be re-signed.</summary>
    public static TestCa FromCertificate(X509Certificate2 certificateWithKey, string crlUrl, TimeProvider? time = null)
    {
        if (!certificateWithKey.HasPrivateKey)
            throw new ArgumentException("A CA needs its private key.", nameof(certificateWithKey));
        return new TestCa(certificateWithKey, crlUrl, time ?? TimeProvider.System);
    }

    public TestCa IssueSubCa(string subjectDn, CaSpec? spec = null)
    {
        spec ??= new CaSpec();
        using var key = KeyPairs.Generate(spec.Key);
        var request = KeyPairs.Request(DistinguishedNames.FromOpenSslOrder(subjectDn), key);
        var ski = new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false);
        AddCaExtensions(request, ski);
        AddIssuerLinks(request);
        var (notBefore, notAfter) = CaValidity(spec, _time);
        var certificate = KeyPairs.WithKey(Sign(request, notBefore, notAfter), key);
        return new TestCa(certificate, spec.CrlUrl ?? DefaultCrlUrl(ski), _time);
    }

    /// <summary>An end-entity certificate with its private key.</summary>
    public X509Certificate2 IssueLeaf(LeafSpec spec)
    {
        using var key = KeyPairs.Generate(spec.Key);
        var subject = DistinguishedNames.FromOpenSslOrder(spec.SubjectDn, spec.SubjectSerialNumber);
        var request = KeyPairs.Request(subject, key);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(spec.KeyUsage, critical: true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        AddIssuerLinks(request);
        if (spec.ExtendedKeyUsages.Count > 0)
        {
            var ekus = new OidCollection();
            foreach (var oid in spec.ExtendedKeyUsages)
                ekus.Add(new Oid(oid));
            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(ekus, critical: false));
        }
        if (spec.DnsNames.Count > 0 || spec.IpAddresses.Count > 0)
        {
            var san = new SubjectAlternativeNameBuilder();
            foreach (var dns in spec.DnsNames)
                san.AddDnsName(dns);
            foreach (var ip in spec.IpAddresses)
                san.AddIpAddress(ip);
            request.CertificateExtensions.Add(san.Build());
        }
        var directory = SubjectDirectoryAttributes.Build(IdentityAttributes(spec));
        if (directory is not null)
            request.CertificateExtensions.Add(directory);

        var now = _time.GetUtcNow();
        var notBefore = spec.NotBefore ?? now.AddHours(-1);
        var notAfter = spec.NotAfter ?? now.Add(DefaultLeafLifetime);
        return KeyPairs.WithKey(Sign(request, notBefore, notAfter), key);
    }

    /// <summary>A DER CRL signed by this CA; number, times and entries exactly as given.</summary>
    public byte[] CreateCrl(IEnumerable<RevokedEntry> revoked, DateTimeOffset thisUpdate, DateTimeOffset nextUpdate, BigInteger crlNumber)
    {
        var builder = new CertificateRevocationListBuilder();
        foreach (var entry in revoked)
            builder.AddEntry(Convert.FromHexString(entry.SerialNumberHex), entry.RevokedAt, entry.Reason);
        return builder.Build(Certificate, crlNumber, nextUpdate, HashAlgorithmName.SHA256, KeyPairs.CrlPadding(Certificate), thisUpdate);
    }

    /// <summary>An empty CRL valid from an hour ago for <paramref name="lifetime"/> (default 7 days).</summary>
    public byte[] CreateEmptyCrl(BigInteger crlNumber, TimeSpan? lifetime = null)
    {
        var now = _time.GetUtcNow();
        return CreateCrl([], now.AddHours(-1), now.Add(lifetime ?? TimeSpan.FromDays(7)), crlNumber);
    }

    /// <summary>PEM with a final newline, so files made of several of them concatenate into valid bundles.</summary>
    public string CertificatePem() => Certificate.ExportCertificatePem() + "\n";

    public string PrivateKeyPem() => KeyPairs.PrivateKeyPem(Certificate) + "\n";

    public void Dispose() => Certificate.Dispose();

    private static void AddCaExtensions(CertificateRequest request, X509SubjectKeyIdentifierExtension ski)
    {
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(
            X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, critical: true));
        request.CertificateExtensions.Add(ski);
    }

    private void AddIssuerLinks(CertificateRequest request)
    {
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(
            Certificate, includeKeyIdentifier: true, includeIssuerAndSerial: false));
        request.CertificateExtensions.Add(CertificateRevocationListBuilder.BuildCrlDistributionPointExtension([CrlUrl]));
    }

    // Signing through a generator (not the issuer-certificate overload) lets tests mint leaves that outlive
    // or predate their CA, which is exactly what the expiry tests need.
    private X509Certificate2 Sign(CertificateRequest request, DateTimeOffset notBefore, DateTimeOffset notAfter) =>
        request.Create(Certificate.SubjectName, KeyPairs.SignerOf(Certificate), notBefore, notAfter, KeyPairs.RandomSerial());

    private static (DateTimeOffset, DateTimeOffset) CaValidity(CaSpec spec, TimeProvider time)
    {
        var now = time.GetUtcNow();
        return (spec.NotBefore ?? now.AddDays(-1), spec.NotAfter ?? now.Add(DefaultCaLifetime));
    }

    private static IEnumerable<(string, string)> IdentityAttributes(LeafSpec spec)
    {
        if (spec.Ubn is not null)
            yield return (GovernmentOids.Ubn, spec.Ubn);
        if (spec.IdLastFour is not null)
            yield return (GovernmentOids.IdLastFour, spec.IdLastFour);
        if (spec.OrganizationId is not null)
            yield return (GovernmentOids.OrganizationId, spec.OrganizationId);
    }

    private static string DefaultCrlUrl(X509SubjectKeyIdentifierExtension ski) =>
        $"http://localhost/devpki/crl/{ski.SubjectKeyIdentifier!.ToLowerInvariant()}.crl";
}
