using CaConnector;
using EmbeddedCa;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.X509;
using RaServer.Hosting;

namespace RaServer.Tests.EmbeddedCa;

/// <summary>The CA's own CRL encoding, read back by BouncyCastle's parser, so the check does not rest on our own code.</summary>
public sealed class CrlSignerTests
{
    private static readonly SealedCaKeySource Keys = new("crl signer test passphrase", iterations: 1000);

    [Theory]
    [InlineData(CaKeyAlgorithm.EcdsaP256)]
    [InlineData(CaKeyAlgorithm.Rsa2048)]
    public void Every_entry_comes_back_with_its_serial_date_and_reason_and_the_signature_verifies(CaKeyAlgorithm algorithm)
    {
        var settings = new EmbeddedCaOptions { KeyAlgorithm = algorithm }.ToSettings();
        var now = new DateTimeOffset(2026, 12, 3, 9, 30, 15, TimeSpan.Zero);
        using var material = CaMaterial.Open(CaMaterial.CreateNew(settings, Keys, now), Keys);
        RevokedCertificate[] entries =
        [
            new([0x01], now.AddDays(-1), RevocationReason.KeyCompromise),
            new([0x80, 0x01, 0x02], now.AddSeconds(-1).AddMilliseconds(500), RevocationReason.Unspecified), // high bit: needs a zero byte
            new([0x00, 0x7F], now, RevocationReason.CertificateHold), // a redundant zero byte is dropped
            new(Enumerable.Repeat((byte)0x5A, 20).ToArray(), new DateTimeOffset(2051, 1, 2, 3, 4, 5, TimeSpan.Zero), RevocationReason.AaCompromise),
            .. Enum.GetValues<RevocationReason>().Where(r => r != RevocationReason.RemoveFromCrl)
                .Select((r, i) => new RevokedCertificate([0x10, (byte)i], now.AddHours(-i), r)),
        ];

        var der = new CrlSigner(material).Sign(entries, 42, now, now.AddDays(1));

        var crl = new X509CrlParser().ReadCrl(der);
        crl.Verify(new X509CertificateParser().ReadCertificate(material.Issuing.RawData).GetPublicKey());
        Assert.Equal(2, crl.Version);
        Assert.Equal(now.UtcDateTime, crl.ThisUpdate);
        foreach (var entry in entries)
        {
            var listed = crl.GetRevokedCertificate(new BigInteger(1, entry.Serial));
            Assert.NotNull(listed);
            var second = entry.RevokedAt.UtcDateTime;
            Assert.Equal(second.AddTicks(-(second.Ticks % TimeSpan.TicksPerSecond)), listed.RevocationDate);
            var reason = listed.GetExtensionValue(X509Extensions.ReasonCode);
            if (entry.Reason == RevocationReason.Unspecified)
                Assert.Null(reason);
            else
                Assert.Equal((int)entry.Reason, CrlReason.GetInstance(Org.BouncyCastle.X509.Extension.X509ExtensionUtilities.FromExtensionValue(reason)).IntValueExact);
        }
        Assert.Equal(entries.Length, crl.GetRevokedCertificates().Count);
    }

    [Fact]
    public void A_list_without_entries_has_no_revoked_certificates_field()
    {
        var settings = new EmbeddedCaOptions().ToSettings();
        var now = DateTimeOffset.UtcNow;
        using var material = CaMaterial.Open(CaMaterial.CreateNew(settings, Keys, now), Keys);

        var crl = new X509CrlParser().ReadCrl(new CrlSigner(material).Sign([], 1, now, now.AddDays(1)));

        Assert.Null(crl.GetRevokedCertificates());
    }
}
