using System.Security.Cryptography.X509Certificates;
using RaServer.Api;
using RaServer.Domain;
using RaServer.Hosting;
using RaServer.Policy;
using RaServer.Storage;
using RaServer.Trust;

namespace RaServer.Tests.Identity;

public sealed class ApplicantBindingTests
{
    // Declared first: static fields initialise in order and the signers below need it.
    private static readonly Lazy<X509Certificate2> PlaceholderCertificate = new(() =>
    {
        using var key = System.Security.Cryptography.ECDsa.Create();
        return new CertificateRequest("CN=placeholder", key, System.Security.Cryptography.HashAlgorithmName.SHA256)
            .CreateSelfSigned(DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddDays(1));
    });

    private static readonly VerifiedSigner Company = Signer(SignerKind.Organization) with { Ubn = "04595252" };
    private static readonly VerifiedSigner Broker = Signer(SignerKind.Person) with { IdLastFour = "6789", PersonName = "測試人員" };

    [Theory]
    [InlineData("04595252", null, null)] // the company for itself
    [InlineData("04595252", "A123456789", "別人")] // a person named beside the company changes nothing
    public void A_company_may_sign_for_its_own_ubn(string ubn, string? personId, string? name) =>
        ApplicantBinding.Ensure(Company, ubn, personId, name);

    [Theory]
    [InlineData(null, "A123456789", "測試人員")]
    [InlineData(null, "A123456789", " 測試人員 ")]
    public void A_citizen_may_sign_for_their_own_id_and_name(string? ubn, string personId, string name) =>
        ApplicantBinding.Ensure(Broker, ubn, personId, name);

    [Theory]
    [InlineData("04595257", null, null)] // another (valid) company
    [InlineData(null, "A123456789", "測試人員")] // a company cannot sign for a person
    [InlineData(null, null, null)] // nobody named
    public void A_company_may_not_sign_for_someone_else(string? ubn, string? personId, string? name) =>
        RaAssert.Refused(RaErrorKind.PermissionDenied, "SIGNER_NOT_APPLICANT", () => ApplicantBinding.Ensure(Company, ubn, personId, name));

    [Theory]
    [InlineData(null, "F131104093", "測試人員")] // other ID
    [InlineData(null, "A123456789", "別人")] // same last four, other name
    [InlineData(null, "A123456789", null)]
    [InlineData("04595252", null, null)] // a person cannot sign for a company
    public void A_citizen_may_not_sign_for_someone_else(string? ubn, string? personId, string? name) =>
        RaAssert.Refused(RaErrorKind.PermissionDenied, "SIGNER_NOT_APPLICANT", () => ApplicantBinding.Ensure(Broker, ubn, personId, name));

    [Fact]
    public void A_certificate_without_holder_identifiers_signs_for_nobody() =>
        RaAssert.Refused(RaErrorKind.PermissionDenied, "SIGNER_NOT_APPLICANT",
            () => ApplicantBinding.Ensure(Signer(SignerKind.Other), "04595252", null, null));

    [Fact]
    public void A_ubn_with_a_bad_checksum_is_invalid_on_the_ubn_field()
    {
        var error = RaAssert.Refused(RaErrorKind.Invalid, "UBN_INVALID", () => ApplicantBinding.Ensure(Company, "12345678", null, null));
        Assert.Equal("header.applicant.organization.ubn", Assert.Single(error.Fields).Field);
    }

    [Fact]
    public void A_national_id_with_a_bad_checksum_is_invalid_on_the_national_id_field()
    {
        var error = RaAssert.Refused(RaErrorKind.Invalid, "PERSON_ID_INVALID", () => ApplicantBinding.Ensure(Broker, null, "A123456788", "測試人員"));
        Assert.Equal("header.applicant.person.national_id", Assert.Single(error.Fields).Field);
    }

    private static VerifiedSigner Signer(SignerKind kind) => new()
    {
        // Binding looks only at the identity fields; the certificate is a placeholder the record requires.
        Certificate = PlaceholderCertificate.Value,
        Sha256Thumbprint = "00",
        SerialNumberHex = "01",
        IssuerDn = "C=TW",
        IssuerKeyId = "00",
        SigningTime = DateTimeOffset.UnixEpoch,
        Kind = kind,
    };
}
