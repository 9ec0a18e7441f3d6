using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Ra.DevPki;
using RaServer.Api;
using RaServer.Domain;
using RaServer.Hosting;
using RaServer.Policy;
using RaServer.Storage;
using RaServer.Trust;

namespace RaServer.Tests.Identity;

public sealed class SignedRequestVerifierTests : IDisposable
{
    private readonly SigningPki _pki = new();

    public void Dispose() => _pki.Dispose();

    [Fact]
    public void A_company_signature_is_accepted_and_yields_the_company_ubn()
    {
        using var company = _pki.Company();

        var signer = _pki.Verifier().Verify(SigningPki.Payload, _pki.Sign(company));

        Assert.Equal(SignerKind.Organization, signer.Kind);
        Assert.Equal("04595252", signer.Ubn);
        Assert.Equal(company.SerialNumber, signer.SerialNumberHex);
        Assert.Equal(Convert.ToHexString(SHA256.HashData(company.RawData)), signer.Sha256Thumbprint);
        Assert.Equal(company.RawData, signer.CertificateDer.ToArray());
        Assert.Contains("工商憑證管理中心", signer.IssuerDn);
        Assert.Equal(Convert.ToHexString(_pki.Moeaca.KeyIdentifier), signer.IssuerKeyId);
        Assert.Equal(_pki.Now.ToUnixTimeSeconds(), signer.SigningTime.ToUnixTimeSeconds());
        ApplicantBinding.Ensure(signer, "04595252", null, null);
    }

    [Fact]
    public void A_citizen_signature_is_accepted_and_yields_the_last_four_id_digits_and_name()
    {
        using var broker = _pki.Broker();

        var signer = _pki.Verifier().Verify(SigningPki.Payload, _pki.Sign(broker));

        Assert.Equal(SignerKind.Person, signer.Kind);
        Assert.Equal("6789", signer.IdLastFour);
        Assert.Equal("測試人員", signer.PersonName);
        Assert.Null(signer.Ubn);
        ApplicantBinding.Ensure(signer, null, "A123456789", "測試人員");
    }

    [Fact]
    public void A_p256_signer_is_accepted_too()
    {
        using var company = _pki.Company(s => s with { Key = KeyAlgorithm.EcdsaP256 });

        Assert.Equal("04595252", _pki.Verifier().Verify(SigningPki.Payload, _pki.Sign(company)).Ubn);
    }

    [Fact]
    public void A_payload_changed_after_signing_is_refused()
    {
        using var company = _pki.Company();
        var signature = _pki.Sign(company);
        var tampered = SigningPki.Payload.ToArray();
        tampered[^2] ^= 1;

        RaAssert.Refused(RaErrorKind.Unauthenticated, "SIGNATURE_INVALID", () => _pki.Verifier().Verify(tampered, signature));
    }

    [Fact]
    public void A_signature_whose_signed_attributes_were_altered_is_refused()
    {
        using var company = _pki.Company();
        var signature = _pki.Sign(company);
        // Flip one bit of the last signature byte: the structure stays valid, the signature does not.
        signature[^1] ^= 1;

        RaAssert.Refused(RaErrorKind.Unauthenticated, "SIGNATURE_INVALID", () => _pki.Verifier().Verify(SigningPki.Payload, signature));
    }

    [Fact]
    public void Bytes_that_are_not_cms_are_refused_as_malformed_on_the_signature_field()
    {
        var error = RaAssert.Refused(RaErrorKind.Invalid, "CMS_MALFORMED",
            () => _pki.Verifier().Verify(SigningPki.Payload, "not a signature"u8.ToArray()));
        Assert.Equal("envelope.cms_signature", Assert.Single(error.Fields).Field);
    }

    [Fact]
    public void A_cms_without_the_signer_certificate_is_refused_as_malformed()
    {
        using var company = _pki.Company();

        RaAssert.Refused(RaErrorKind.Invalid, "CMS_MALFORMED",
            () => _pki.Verifier().Verify(SigningPki.Payload, _pki.Sign(company, include: X509IncludeOption.None)));
    }

    [Fact]
    public void A_cms_carrying_the_whole_chain_is_accepted()
    {
        using var company = _pki.Company();

        var signature = _pki.Sign(company, include: X509IncludeOption.WholeChain);

        Assert.Equal("04595252", _pki.Verifier().Verify(SigningPki.Payload, signature).Ubn);
    }

    [Fact]
    public void An_expired_certificate_is_refused()
    {
        using var company = _pki.Company(s => s with { NotBefore = _pki.Now.AddYears(-5), NotAfter = _pki.Now.AddDays(-1) });

        RaAssert.Refused(RaErrorKind.Unauthenticated, "SIGNER_CERT_EXPIRED", () => _pki.Verifier().Verify(SigningPki.Payload, _pki.Sign(company)));
    }

    [Fact]
    public void A_certificate_not_yet_valid_is_refused()
    {
        using var company = _pki.Company(s => s with { NotBefore = _pki.Now.AddDays(1), NotAfter = _pki.Now.AddYears(5) });

        RaAssert.Refused(RaErrorKind.Unauthenticated, "SIGNER_CERT_NOT_YET_VALID", () => _pki.Verifier().Verify(SigningPki.Payload, _pki.Sign(company)));
    }

    [Fact]
    public void A_revoked_certificate_is_refused()
    {
        using var company = _pki.Company();
        _pki.Publish(_pki.Moeaca, company);

        RaAssert.Refused(RaErrorKind.Unauthenticated, "SIGNER_CERT_REVOKED", () => _pki.Verifier().Verify(SigningPki.Payload, _pki.Sign(company)));
    }

    [Fact]
    public void A_certificate_under_a_revoked_issuing_ca_is_refused()
    {
        using var company = _pki.Company();
        _pki.Publish(_pki.Root, _pki.Moeaca.Certificate);

        var error = RaAssert.Refused(RaErrorKind.Unauthenticated, "SIGNER_CERT_REVOKED",
            () => _pki.Verifier().Verify(SigningPki.Payload, _pki.Sign(company)));
        Assert.Contains("MOEACA", error.Message);
    }

    [Fact]
    public void A_certificate_from_a_look_alike_hierarchy_with_the_same_names_is_untrusted()
    {
        using var impostorRoot = TestCa.CreateRoot("C=TW, O=Government Root Certification Authority, OU=RaBackend Dev Test", new CaSpec { Key = KeyAlgorithm.EcdsaP256 });
        using var impostorCa = impostorRoot.IssueSubCa("C=TW, O=行政院, OU=工商憑證管理中心, CN=RaBackend Dev Test MOEACA", new CaSpec { Key = KeyAlgorithm.EcdsaP256 });
        using var company = impostorCa.IssueLeaf(new LeafSpec { SubjectDn = "C=TW, O=測試報關股份有限公司", Ubn = "04595252" });

        RaAssert.Refused(RaErrorKind.Unauthenticated, "SIGNER_UNTRUSTED",
            () => _pki.Verifier().Verify(SigningPki.Payload, _pki.Sign(company, include: X509IncludeOption.WholeChain)));
    }

    [Fact]
    public void A_request_is_refused_as_unavailable_when_the_issuer_crl_is_past_its_next_update()
    {
        using var company = _pki.Company();
        _pki.Clock.Advance(TimeSpan.FromDays(8));

        RaAssert.Refused(RaErrorKind.Unavailable, "CRL_UNAVAILABLE", () => _pki.Verifier().Verify(SigningPki.Payload, _pki.Sign(company)));
    }

    [Fact]
    public void A_request_is_refused_as_unavailable_when_no_crl_of_the_issuer_is_held()
    {
        using var pki = new SigningPki(publishCrls: false);
        pki.Publish(pki.Root);
        using var company = pki.Company();

        RaAssert.Refused(RaErrorKind.Unavailable, "CRL_UNAVAILABLE", () => pki.Verifier().Verify(SigningPki.Payload, pki.Sign(company)));
    }

    [Fact]
    public void A_signing_time_six_minutes_off_the_server_clock_is_refused_either_way()
    {
        using var company = _pki.Company();
        var verifier = _pki.Verifier();

        RaAssert.Refused(RaErrorKind.Unauthenticated, "SIGNING_TIME_OUT_OF_WINDOW",
            () => verifier.Verify(SigningPki.Payload, _pki.Sign(company, clockOffset: TimeSpan.FromMinutes(-6))));
        RaAssert.Refused(RaErrorKind.Unauthenticated, "SIGNING_TIME_OUT_OF_WINDOW",
            () => verifier.Verify(SigningPki.Payload, _pki.Sign(company, clockOffset: TimeSpan.FromMinutes(6))));
        verifier.Verify(SigningPki.Payload, _pki.Sign(company, clockOffset: TimeSpan.FromMinutes(-4)));
    }

    [Fact]
    public void The_signing_time_window_is_configurable()
    {
        using var company = _pki.Company();
        var verifier = _pki.Verifier(new TrustOptions { SigningTimeWindow = TimeSpan.FromMinutes(10) });

        verifier.Verify(SigningPki.Payload, _pki.Sign(company, clockOffset: TimeSpan.FromMinutes(-6)));
    }

    [Fact]
    public void A_signature_without_signing_time_is_refused_as_invalid()
    {
        using var company = _pki.Company();

        RaAssert.Refused(RaErrorKind.Invalid, "SIGNING_TIME_MISSING",
            () => _pki.Verifier().Verify(SigningPki.Payload, _pki.Sign(company, withSigningTime: false)));
    }

    [Fact]
    public void A_certificate_whose_extension_and_subject_name_different_ubns_is_refused()
    {
        using var company = _pki.Company(s => s with { SubjectSerialNumber = "04595257" });

        RaAssert.Refused(RaErrorKind.Unauthenticated, "SIGNER_UBN_CONFLICT", () => _pki.Verifier().Verify(SigningPki.Payload, _pki.Sign(company)));
    }

    [Fact]
    public void The_ubn_is_taken_from_the_subject_serial_number_when_the_extension_lacks_it()
    {
        using var company = _pki.Company(s => s with { Ubn = null, SubjectSerialNumber = "10458575" });

        var signer = _pki.Verifier().Verify(SigningPki.Payload, _pki.Sign(company));

        Assert.Equal(SignerKind.Organization, signer.Kind);
        Assert.Equal("10458575", signer.Ubn);
    }

    [Fact]
    public void A_certificate_for_key_encipherment_only_may_not_sign_requests()
    {
        using var company = _pki.Company(s => s with { KeyUsage = X509KeyUsageFlags.KeyEncipherment });

        RaAssert.Refused(RaErrorKind.Unauthenticated, "KEY_USAGE_NOT_ALLOWED", () => _pki.Verifier().Verify(SigningPki.Payload, _pki.Sign(company)));
    }

    [Fact]
    public void A_repeat_signer_is_served_from_the_cache_yet_a_revocation_published_in_between_is_caught()
    {
        using var company = _pki.Company();
        var verifier = _pki.Verifier();

        verifier.Verify(SigningPki.Payload, _pki.Sign(company));
        verifier.Verify(SigningPki.Payload, _pki.Sign(company));
        Assert.Equal(1, verifier.CachedSigners);

        _pki.Publish(_pki.Moeaca, company);

        RaAssert.Refused(RaErrorKind.Unauthenticated, "SIGNER_CERT_REVOKED", () => verifier.Verify(SigningPki.Payload, _pki.Sign(company)));
        Assert.Equal(1, verifier.CachedSigners);
    }

    [Fact]
    public void A_signature_check_reports_what_an_envelope_refuses_and_shares_the_signer_cache()
    {
        using var company = _pki.Company();
        var verifier = _pki.Verifier();
        var tampered = SigningPki.Payload.ToArray();
        tampered[^2] ^= 1;

        var invalid = verifier.CheckSignature(tampered, _pki.Sign(company));
        Assert.False(invalid.SignatureValid);
        Assert.Equal("SIGNATURE_INVALID", invalid.Refusal!.Reason);
        Assert.Equal(company.RawData, invalid.Signer!.Certificate.RawData);

        var unreadable = verifier.CheckSignature(SigningPki.Payload, _pki.Sign(company, include: X509IncludeOption.None));
        Assert.Null(unreadable.Signer);
        Assert.Equal("CMS_MALFORMED", unreadable.Refusal!.Reason);

        verifier.Verify(SigningPki.Payload, _pki.Sign(company));
        Assert.Equal(1, verifier.CachedSigners);
    }

    [Fact]
    public void A_full_cache_starts_over_and_keeps_verifying()
    {
        var verifier = _pki.Verifier(new TrustOptions { SignerCacheSize = 2 });
        var signers = Enumerable.Range(0, 3).Select(_ => _pki.Company(s => s with { Key = KeyAlgorithm.EcdsaP256 })).ToList();

        foreach (var signer in signers.Concat(signers))
            verifier.Verify(SigningPki.Payload, _pki.Sign(signer));

        Assert.InRange(verifier.CachedSigners, 1, 2);
        signers.ForEach(s => s.Dispose());
    }

    [Fact]
    public void Concurrent_requests_from_one_signer_all_verify()
    {
        using var company = _pki.Company();
        var verifier = _pki.Verifier();
        var signature = _pki.Sign(company);

        Parallel.For(0, 200, _ => Assert.Equal("04595252", verifier.Verify(SigningPki.Payload, signature).Ubn));
    }

    [Fact]
    public void A_signer_under_the_newer_of_two_ca_generations_sharing_one_name_is_checked_against_that_generations_crl()
    {
        using var newMoeaca = _pki.Root.IssueSubCa("C=TW, O=行政院, OU=工商憑證管理中心, CN=RaBackend Dev Test MOEACA", new CaSpec { Key = KeyAlgorithm.EcdsaP256 });
        var anchors = new TrustAnchors(_pki.Anchors.Roots, [.. _pki.Anchors.Intermediates, X509CertificateLoader.LoadCertificate(newMoeaca.Certificate.RawData)]);
        var crls = new CrlStore(anchors);
        var now = _pki.Now;
        crls.Update(_pki.Root.CreateEmptyCrl(1));
        crls.Update(_pki.Moeaca.CreateEmptyCrl(1));
        crls.Update(newMoeaca.CreateEmptyCrl(1));
        using var company = newMoeaca.IssueLeaf(new LeafSpec { SubjectDn = "C=TW, O=測試報關股份有限公司", Ubn = "04595252", Key = KeyAlgorithm.EcdsaP256 });
        var verifier = new SignedRequestVerifier(new TrustOptions(), _pki.Clock, crls, anchors);

        var signer = verifier.Verify(SigningPki.Payload, _pki.Sign(company));
        Assert.Equal(Convert.ToHexString(newMoeaca.KeyIdentifier), signer.IssuerKeyId);

        // The older generation revoking the same serial means nothing; the newer one revoking it does.
        crls.Update(_pki.Moeaca.CreateCrl([RevokedEntry.For(company, now)], now.AddMinutes(-1), now.AddDays(7), 2));
        verifier.Verify(SigningPki.Payload, _pki.Sign(company));
        crls.Update(newMoeaca.CreateCrl([RevokedEntry.For(company, now)], now.AddMinutes(-1), now.AddDays(7), 2));
        RaAssert.Refused(RaErrorKind.Unauthenticated, "SIGNER_CERT_REVOKED", () => verifier.Verify(SigningPki.Payload, _pki.Sign(company)));
    }
}
