using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Cmp;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Cmp;
using Org.BouncyCastle.Crypto.Operators;
using Org.BouncyCastle.Security;
using RaServer.Tests.DevPkiTests;
using RaServer.Tests.Fixtures;
using BcCertificate = Org.BouncyCastle.X509.X509Certificate;

namespace RaServer.Tests.EmbeddedCa;

/// <summary>
/// implicitConfirm (RFC 4210 5.1.1.1): a client that asks for it in generalInfo gets a cp that grants it, so it sends
/// no certConf; the certificate is stored before the answer either way. A client that does not ask is not granted it.
/// </summary>
public sealed class ImplicitConfirmTests(PostgresFixture pg) : IClassFixture<PostgresFixture>
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_p10cr_gets_implicitConfirm_exactly_when_it_asks_and_its_certificate_is_stored_either_way(bool askForImplicitConfirm)
    {
        await using var ca = await EmbeddedCaHost.StartAsync(await pg.CreateDatabaseAsync());
        using var client = X509Certificate2.CreateFromPemFile(ca.File("ra.crt"), ca.File("ra.key"));
        using var cmpSigner = X509CertificateLoader.LoadCertificateFromFile(ca.File("cmp-signer.crt"));
        using var applicantKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var csr = new CertificateRequest("C=TW, O=Third Party, CN=Applicant", applicantKey, HashAlgorithmName.SHA256).CreateSigningRequest();
        var transactionId = RandomNumberGenerator.GetBytes(16);
        var senderNonce = RandomNumberGenerator.GetBytes(16);

        var answer = await PostAsync(ca, P10cr(client, cmpSigner, csr, transactionId, senderNonce, askForImplicitConfirm));

        Assert.True(answer.Verify(new Asn1VerifierFactoryProvider(DotNetUtilities.GetECDsaPublicKey(cmpSigner.GetECDsaPublicKey()!))),
            "the cp is signed by the CA's CMP signer");
        Assert.Equal(transactionId, answer.Header.TransactionID.GetOctets());
        Assert.Equal(senderNonce, answer.Header.RecipNonce.GetOctets());
        Assert.Equal(PkiBody.TYPE_CERT_REP, answer.Body.Type);
        var granted = answer.Header.GetGeneralInfo()?.Any(info => info.InfoType.Equals(CmpObjectIdentifiers.it_implicitConfirm)) == true;
        Assert.Equal(askForImplicitConfirm, granted);
        var response = Assert.Single(CertRepMessage.GetInstance(answer.Body.Content).GetResponse());
        Assert.Equal(0, response.Status.Status.IntValueExact);
        var certificate = response.CertifiedKeyPair.CertOrEncCert.Certificate.X509v3PKCert.GetEncoded(Asn1Encodable.Der);

        var stored = await ca.Ca.FindByRequestKeyAsync("cmp:" + Convert.ToHexString(transactionId), CancellationToken.None);
        Assert.NotNull(stored);
        Assert.Equal(certificate, stored.Der);
    }

    [Fact]
    public async Task Openssl_asking_for_implicit_confirmation_sends_one_request_and_gets_a_certificate_that_verifies()
    {
        await using var ca = await EmbeddedCaHost.StartAsync(await pg.CreateDatabaseAsync());
        var csr = ca.NewCsr("ee");
        var certificate = ca.File("ee.crt");
        // openssl writes one file per request it sent: a certConf would land in the second.
        OpenSsl.Succeed("cmp", "-server", $"127.0.0.1:{ca.Address.Port}/pkix/", "-trusted", ca.File("root.crt"),
            "-cert", ca.File("ra.crt"), "-key", ca.File("ra.key"), "-batch", "-cmd", "p10cr", "-csr", csr, "-implicit_confirm",
            "-reqout", $"{ca.File("request-1.der")},{ca.File("request-2.der")}", "-certout", certificate);

        Assert.True(File.Exists(ca.File("request-1.der")));
        Assert.False(File.Exists(ca.File("request-2.der")), "openssl sent a second request (certConf) although implicitConfirm was asked for");
        OpenSsl.Succeed("verify", "-CAfile", ca.File("root.crt"), "-untrusted", ca.File("issuing.crt"), certificate);
    }

    private static byte[] P10cr(X509Certificate2 client, X509Certificate2 cmpSigner, byte[] csr, byte[] transactionId, byte[] senderNonce, bool implicitConfirm)
    {
        var builder = new ProtectedPkiMessageBuilder(
                new GeneralName(X509Name.GetInstance(client.SubjectName.RawData)), new GeneralName(X509Name.GetInstance(cmpSigner.SubjectName.RawData)))
            .SetTransactionId(transactionId)
            .SetSenderNonce(senderNonce)
            .SetMessageTime(new Asn1GeneralizedTime(DateTime.UtcNow))
            .SetSenderKID(client.Extensions.OfType<X509SubjectKeyIdentifierExtension>().Single().SubjectKeyIdentifierBytes.ToArray())
            .SetBody(new PkiBody(PkiBody.TYPE_P10_CERT_REQ, CertificationRequest.GetInstance(Asn1Object.FromByteArray(csr))))
            .AddCmpCertificate(new BcCertificate(client.RawData));
        if (implicitConfirm)
            builder.AddGeneralInfo(new InfoTypeAndValue(CmpObjectIdentifiers.it_implicitConfirm, DerNull.Instance));
        var key = DotNetUtilities.GetKeyPair(client.GetECDsaPrivateKey()!).Private;
        return builder.Build(new Asn1SignatureFactory("SHA256WITHECDSA", key)).ToAsn1Message().GetEncoded(Asn1Encodable.Der);
    }

    private static async Task<ProtectedPkiMessage> PostAsync(EmbeddedCaHost ca, byte[] message)
    {
        using var http = new HttpClient { BaseAddress = ca.Address };
        using var content = new ByteArrayContent(message);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/pkixcmp");
        using var response = await http.PostAsync("/pkix/", content);
        response.EnsureSuccessStatusCode();
        Assert.Equal("application/pkixcmp", response.Content.Headers.ContentType!.MediaType);
        return new ProtectedPkiMessage(new GeneralPkiMessage(await response.Content.ReadAsByteArrayAsync()));
    }
}
