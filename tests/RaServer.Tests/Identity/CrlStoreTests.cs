using System.Numerics;
using Ra.DevPki;
using RaServer.Api;
using RaServer.Domain;
using RaServer.Hosting;
using RaServer.Policy;
using RaServer.Storage;
using RaServer.Trust;

namespace RaServer.Tests.Identity;

public sealed class CrlStoreTests : IDisposable
{
    private readonly SigningPki _pki = new(publishCrls: false);

    public void Dispose() => _pki.Dispose();

    [Fact]
    public void A_crl_is_held_under_its_issuers_key_id_with_number_and_times()
    {
        var now = _pki.Now;
        var der = _pki.Moeaca.CreateCrl([new RevokedEntry("0A1B2C", now)], now.AddMinutes(-5), now.AddDays(7), 42);

        var status = _pki.Crls.Update(der);

        Assert.Equal(Convert.ToHexString(_pki.Moeaca.KeyIdentifier), status.IssuerKeyId);
        Assert.Equal(new BigInteger(42), status.CrlNumber);
        Assert.Equal(now.AddDays(7).ToUnixTimeSeconds(), status.NextUpdate.ToUnixTimeSeconds());
        Assert.Equal(now.AddMinutes(-5).ToUnixTimeSeconds(), status.ThisUpdate.ToUnixTimeSeconds());
        Assert.Equal(1, status.RevokedCount);
        Assert.Equal(status, _pki.Crls.Status(status.IssuerKeyId));
        Assert.Equal(der, _pki.Crls.CurrentCrl(status.IssuerKeyId)!.Value.ToArray());
    }

    [Fact]
    public void A_crl_with_a_lower_number_than_the_one_held_is_refused_and_the_held_one_stays()
    {
        _pki.Crls.Update(_pki.Moeaca.CreateEmptyCrl(5));

        RaAssert.Refused(RaErrorKind.FailedPrecondition, "CRL_NUMBER_NOT_RISING", () => _pki.Crls.Update(_pki.Moeaca.CreateEmptyCrl(4)));
        Assert.Equal(new BigInteger(5), _pki.Crls.Statuses.Single().CrlNumber);
    }

    [Fact]
    public void A_different_crl_with_the_same_number_is_refused_but_the_same_crl_again_is_harmless()
    {
        var held = _pki.Moeaca.CreateEmptyCrl(5);
        _pki.Crls.Update(held);

        _pki.Crls.Update(held);
        RaAssert.Refused(RaErrorKind.FailedPrecondition, "CRL_NUMBER_NOT_RISING", () => _pki.Crls.Update(_pki.Moeaca.CreateEmptyCrl(5, TimeSpan.FromDays(1))));
    }

    [Fact]
    public void A_crl_from_a_ca_outside_the_trust_configuration_is_refused()
    {
        using var stranger = TestCa.CreateRoot("C=TW, O=Somebody Else", new CaSpec { Key = KeyAlgorithm.EcdsaP256 });

        RaAssert.Refused(RaErrorKind.Invalid, "CRL_ISSUER_UNKNOWN", () => _pki.Crls.Update(stranger.CreateEmptyCrl(1)));
    }

    [Fact]
    public void A_crl_with_a_trusted_name_but_a_foreign_key_is_refused()
    {
        // Same DN as the trusted root, different key, no matching key id: must not pass as the root's CRL.
        using var lookAlike = TestCa.CreateRoot(_pki.Root.Certificate.SubjectName.Name.Split(", ").Reverse().Aggregate((a, b) => $"{a}, {b}"),
            new CaSpec { Key = KeyAlgorithm.EcdsaP256 });
        Assert.Equal(_pki.Root.Certificate.SubjectName.RawData, lookAlike.Certificate.SubjectName.RawData);

        RaAssert.Refused(RaErrorKind.Invalid, "CRL_ISSUER_UNKNOWN", () => _pki.Crls.Update(lookAlike.CreateEmptyCrl(1)));
    }

    [Fact]
    public void A_crl_whose_signature_was_altered_is_refused()
    {
        var der = _pki.Moeaca.CreateEmptyCrl(1);
        der[^1] ^= 1;

        RaAssert.Refused(RaErrorKind.Invalid, "CRL_SIGNATURE_INVALID", () => _pki.Crls.Update(der));
    }

    [Fact]
    public void Bytes_that_are_not_a_crl_are_refused_as_malformed()
    {
        RaAssert.Refused(RaErrorKind.Invalid, "CRL_MALFORMED", () => _pki.Crls.Update("garbage"u8.ToArray()));
    }

    [Fact]
    public void Revocations_on_a_crl_of_many_entries_are_found()
    {
        using var company = _pki.Company(s => s with { Key = KeyAlgorithm.EcdsaP256 });
        _pki.Crls.Update(_pki.Root.CreateEmptyCrl(1));
        var now = _pki.Now;
        var others = Enumerable.Range(1, 20_000).Select(i => new RevokedEntry($"7F{i:X8}", now.AddDays(-1)));
        _pki.Crls.Update(_pki.Moeaca.CreateCrl(others.Append(RevokedEntry.For(company, now.AddDays(-1))), now.AddHours(-1), now.AddDays(1), 9));

        RaAssert.Refused(RaErrorKind.Unauthenticated, "SIGNER_CERT_REVOKED", () => _pki.Verifier().Verify(SigningPki.Payload, _pki.Sign(company)));
        Assert.Equal(20_001, _pki.Crls.Statuses.Single(s => s.CrlNumber == 9).RevokedCount);
    }
}
