using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Time.Testing;
using Ra.DevPki;
using RaServer.Domain;
using RaServer.Hosting;
using RaServer.Policy;
using RaServer.Storage;
using RaServer.Trust;

namespace RaServer.Tests.Identity;

/// <summary>
/// A small government-like hierarchy for the verifier tests (test GRCA -> MOEACA, MOICA), a clock, a CRL
/// store holding fresh empty CRLs of every CA, and helpers to mint signers and real detached CMS signatures.
/// CAs use P-256 keys to keep the tests quick; signers are RSA-2048 like the real ones unless a test says otherwise.
/// </summary>
internal sealed class SigningPki : IDisposable
{
    public static readonly byte[] Payload = "{\"service\":\"NEW\",\"kind\":\"ORGANIZATION\"}"u8.ToArray();

    private readonly Dictionary<TestCa, BigInteger> _crlNumbers = [];

    public SigningPki(bool publishCrls = true)
    {
        Clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var ca = new CaSpec { Key = KeyAlgorithm.EcdsaP256 };
        Root = TestCa.CreateRoot("C=TW, O=Government Root Certification Authority, OU=RaBackend Dev Test", ca, Clock);
        Moeaca = Root.IssueSubCa("C=TW, O=行政院, OU=工商憑證管理中心, CN=RaBackend Dev Test MOEACA", ca);
        Moica = Root.IssueSubCa("C=TW, O=行政院, OU=內政部憑證管理中心, CN=RaBackend Dev Test MOICA", ca);
        Anchors = new TrustAnchors([Public(Root)], [Public(Moeaca), Public(Moica)]);
        Crls = new CrlStore(Anchors);
        if (publishCrls)
            foreach (var authority in new[] { Root, Moeaca, Moica })
                Publish(authority);
    }

    public FakeTimeProvider Clock { get; }
    public DateTimeOffset Now => Clock.GetUtcNow();
    public TestCa Root { get; }
    public TestCa Moeaca { get; }
    public TestCa Moica { get; }
    public TrustAnchors Anchors { get; }
    public CrlStore Crls { get; }

    public SignedRequestVerifier Verifier(TrustOptions? options = null) =>
        new(options ?? new TrustOptions(), Clock, Crls, Anchors);

    /// <summary>Publishes a new CRL of <paramref name="ca"/> (next number, valid 7 days) listing <paramref name="revoked"/>.</summary>
    public CrlStatus Publish(TestCa ca, params X509Certificate2[] revoked)
    {
        var number = _crlNumbers.GetValueOrDefault(ca) + 1;
        _crlNumbers[ca] = number;
        var entries = revoked.Select(c => RevokedEntry.For(c, Now.AddMinutes(-1), X509RevocationReason.KeyCompromise));
        return Crls.Update(ca.CreateCrl(entries, Now.AddMinutes(-10), Now.AddDays(7), number));
    }

    public X509Certificate2 Company(Func<LeafSpec, LeafSpec>? adjust = null) => Moeaca.IssueLeaf(
        (adjust ?? (s => s))(new LeafSpec { SubjectDn = "C=TW, O=測試報關股份有限公司", Ubn = "04595252", SubjectSerialNumber = "04595252" }));

    public X509Certificate2 Broker() =>
        Moica.IssueLeaf(new LeafSpec { SubjectDn = "C=TW, CN=測試人員", IdLastFour = "6789" });

    /// <summary>A detached CMS made by .NET's SignedCms, signingTime = the clock unless given (null: none).</summary>
    public byte[] Sign(X509Certificate2 signer, byte[]? payload = null, TimeSpan? clockOffset = default, bool withSigningTime = true,
        X509IncludeOption include = X509IncludeOption.EndCertOnly)
    {
        var cms = new SignedCms(new ContentInfo(payload ?? Payload), detached: true);
        var cmsSigner = new CmsSigner(SubjectIdentifierType.IssuerAndSerialNumber, signer)
        {
            IncludeOption = include,
            DigestAlgorithm = new Oid("2.16.840.1.101.3.4.2.1"),
        };
        if (withSigningTime)
            cmsSigner.SignedAttributes.Add(new Pkcs9SigningTime(Now.Add(clockOffset ?? TimeSpan.Zero).UtcDateTime));
        cms.ComputeSignature(cmsSigner, silent: true);
        return cms.Encode();
    }

    public void Dispose()
    {
        Moica.Dispose();
        Moeaca.Dispose();
        Root.Dispose();
    }

    private static X509Certificate2 Public(TestCa ca) => X509CertificateLoader.LoadCertificate(ca.Certificate.RawData);
}
