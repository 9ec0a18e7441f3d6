using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using CaConnector;
using EmbeddedCa;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using RaServer.Api;
using RaServer.Hosting;
using RaServer.Storage;
using RaServer.Workers;
using RaServer.Tests.Fixtures;

namespace RaServer.Tests.EmbeddedCa;

/// <summary>The in-process API over PostgreSQL, with two CA instances on one database standing in for two replicas.</summary>
public sealed class EmbeddedCaStoreTests(PostgresFixture pg) : IClassFixture<PostgresFixture>
{
    private const string Passphrase = "store test passphrase";
    private const int CheapSealingIterations = 1000;
    private static readonly CertificateProfile Broker = CertificateProfile.Personal("測試報關股份有限公司", "測試人員", "04595252", "6789");

    [Fact]
    public async Task The_same_request_key_twice_returns_the_same_certificate_and_stores_one()
    {
        await using var db = NpgsqlDataSource.Create(await pg.CreateDatabaseAsync());
        using var ca = NewCa(db);
        var csr = NewCsr();

        var first = await ca.IssueAsync(Request("application-1", csr), CancellationToken.None);
        var second = await ca.IssueAsync(Request("application-1", csr), CancellationToken.None);

        Assert.Equal(first.CertificateDer, second.CertificateDer);
        Assert.Equal(1, await CountAsync(db, "embedded_ca_certificates"));
    }

    [Fact]
    public async Task Two_replicas_racing_on_one_request_key_produce_one_certificate()
    {
        var connectionString = await pg.CreateDatabaseAsync();
        await using var db1 = NpgsqlDataSource.Create(connectionString);
        await using var db2 = NpgsqlDataSource.Create(connectionString);
        using var replica1 = NewCa(db1);
        using var replica2 = NewCa(db2);
        var csr = NewCsr();

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() =>
            (i % 2 == 0 ? replica1 : replica2).IssueAsync(Request("application-race", csr), CancellationToken.None))));

        Assert.Single(results.Select(r => Convert.ToHexString(r.CertificateDer)).Distinct());
        Assert.Equal(1, await CountAsync(db1, "embedded_ca_certificates"));
        // Both replicas made or loaded one CA between them.
        Assert.Equal((await replica1.GetMaterialAsync(default)).Issuing.RawData, (await replica2.GetMaterialAsync(default)).Issuing.RawData);
    }

    [Fact]
    public async Task A_request_key_reused_for_another_public_key_is_refused()
    {
        await using var db = NpgsqlDataSource.Create(await pg.CreateDatabaseAsync());
        using var ca = NewCa(db);
        await ca.IssueAsync(Request("application-2", NewCsr()), CancellationToken.None);

        var refusal = await Assert.ThrowsAsync<CaRefusedException>(() => ca.IssueAsync(Request("application-2", NewCsr()), CancellationToken.None));

        Assert.Equal(CmpFailureInfo.DuplicateCertReq, refusal.FailureInfo);
    }

    [Fact]
    public async Task A_certificate_named_with_another_issuer_is_refused_as_bad_cert_id_whatever_its_serial()
    {
        await using var db = NpgsqlDataSource.Create(await pg.CreateDatabaseAsync());
        using var ca = NewCa(db);
        var issued = await ca.IssueAsync(Request("application-6", NewCsr()), CancellationToken.None);
        var certificate = CaCertificateId.Of(X509CertificateLoader.LoadCertificate(issued.CertificateDer));

        var refusal = await Assert.ThrowsAsync<CaRefusedException>(() =>
            ca.SuspendAsync(certificate with { Issuer = new X500DistinguishedName("CN=Some Other CA, C=TW") }, default));

        Assert.Equal(CmpFailureInfo.BadCertId, refusal.FailureInfo);
        Assert.Equal(CaRevocationResult.Done, await ca.SuspendAsync(certificate, default));
    }

    [Fact]
    public async Task A_validity_beyond_the_cas_longest_is_refused_for_good_and_nothing_is_stored()
    {
        await using var db = NpgsqlDataSource.Create(await pg.CreateDatabaseAsync());
        using var ca = NewCa(db);

        var refusal = await Assert.ThrowsAsync<CaRefusedException>(() =>
            ca.IssueAsync(Request("application-7", NewCsr()) with { ValidityYears = 11 }, CancellationToken.None));

        Assert.Equal(CmpFailureInfo.BadCertTemplate, refusal.FailureInfo);
        Assert.Equal(0, await CountAsync(db, "embedded_ca_certificates"));
    }

    [Fact]
    public async Task An_issued_certificate_carries_the_approved_subject_not_the_csrs_and_a_random_positive_serial()
    {
        await using var db = NpgsqlDataSource.Create(await pg.CreateDatabaseAsync());
        using var ca = NewCa(db);

        var issued = await ca.IssueAsync(Request("application-3", NewCsr("CN=Somebody Else, O=Wrong Firm")), CancellationToken.None);

        using var certificate = X509CertificateLoader.LoadCertificate(issued.CertificateDer);
        Assert.Equal(Broker.Subject.RawData, certificate.SubjectName.RawData);
        Assert.Equal(16, certificate.SerialNumberBytes.Length);
        Assert.InRange(certificate.SerialNumberBytes.Span[0], 0x40, 0x7F); // big-endian: positive, and minimal in DER
        Assert.InRange((certificate.NotAfter - certificate.NotBefore).TotalDays, 3 * 365, 3 * 366 + 1);
    }

    [Fact]
    public async Task A_renewals_term_runs_from_the_old_certificates_end_or_from_the_issue_when_that_has_passed()
    {
        await using var db = NpgsqlDataSource.Create(await pg.CreateDatabaseAsync());
        using var ca = NewCa(db);
        var now = DateTimeOffset.UtcNow;
        var oldEnd = new DateTimeOffset(now.Year, now.Month, 1, 12, 0, 0, TimeSpan.Zero).AddMonths(2);

        var later = await ca.IssueAsync(Request("renewal-1", NewCsr()) with { TermFrom = oldEnd }, CancellationToken.None);
        var passed = await ca.IssueAsync(Request("renewal-2", NewCsr()) with { TermFrom = now.AddDays(-3) }, CancellationToken.None);
        var beyond = await ca.IssueAsync(Request("renewal-3", NewCsr()) with { ValidityYears = 10, TermFrom = now.AddYears(30) }, CancellationToken.None);

        using var fromOldEnd = X509CertificateLoader.LoadCertificate(later.CertificateDer);
        Assert.Equal(oldEnd.AddYears(3).UtcDateTime, fromOldEnd.NotAfter.ToUniversalTime());
        Assert.True(fromOldEnd.NotBefore.ToUniversalTime() <= now.UtcDateTime, "valid from its issue, not from the old end");
        using var fromIssue = X509CertificateLoader.LoadCertificate(passed.CertificateDer);
        Assert.InRange(fromIssue.NotAfter.ToUniversalTime(), now.AddYears(3).AddMinutes(-1).UtcDateTime, now.AddYears(3).AddMinutes(1).UtcDateTime);
        using var cut = X509CertificateLoader.LoadCertificate(beyond.CertificateDer);
        using var issuing = X509CertificateLoader.LoadCertificate(beyond.ChainDer[0]);
        Assert.Equal(issuing.NotAfter, cut.NotAfter);
    }

    [Fact]
    public async Task A_csr_key_the_ra_verified_already_is_certified_without_verifying_the_csr_again()
    {
        await using var db = NpgsqlDataSource.Create(await pg.CreateDatabaseAsync());
        using var ca = NewCa(db);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var csr = new CertificateRequest("CN=Applicant", key, HashAlgorithmName.SHA256).CreateSigningRequest();
        csr[^3] ^= 0x01; // a signature the CA would refuse as badPOP, had it verified it a second time
        var verifiedKey = new CertificateRequest("CN=Applicant", key, HashAlgorithmName.SHA256).PublicKey;

        var issued = await ca.IssueAsync(Request("application-verified", csr) with { VerifiedCsrKey = verifiedKey }, CancellationToken.None);

        using var certificate = X509CertificateLoader.LoadCertificate(issued.CertificateDer);
        Assert.Equal(verifiedKey.ExportSubjectPublicKeyInfo(), certificate.PublicKey.ExportSubjectPublicKeyInfo());
    }

    [Fact]
    public async Task A_csr_whose_self_signature_does_not_verify_is_refused_as_bad_pop_and_nothing_is_stored()
    {
        await using var db = NpgsqlDataSource.Create(await pg.CreateDatabaseAsync());
        using var ca = NewCa(db);
        var csr = NewCsr();
        csr[^3] ^= 0x01; // inside the signature value at the end of the DER

        var refusal = await Assert.ThrowsAsync<CaRefusedException>(() => ca.IssueAsync(Request("application-4", csr), CancellationToken.None));

        Assert.Equal(CmpFailureInfo.BadPop, refusal.FailureInfo);
        Assert.Equal(0, await CountAsync(db, "embedded_ca_certificates"));
    }

    [Fact]
    public async Task Crl_numbers_rise_strictly_across_two_replicas_publishing_at_once()
    {
        var connectionString = await pg.CreateDatabaseAsync();
        await using var db1 = NpgsqlDataSource.Create(connectionString);
        await using var db2 = NpgsqlDataSource.Create(connectionString);
        var store1 = new PostgresEmbeddedCaStore(db1);
        var store2 = new PostgresEmbeddedCaStore(db2);
        using var replica1 = NewCa(db1, store1);
        using var replica2 = NewCa(db2, store2);
        await replica1.GetMaterialAsync(default);
        var seen = new System.Collections.Concurrent.ConcurrentBag<long>();

        await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Run(async () =>
        {
            var store = i % 2 == 0 ? store1 : store2;
            var crl = await store.PublishCrlAsync((number, _) => new PublishedCrl(number, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddDays(1), [1]), default);
            seen.Add(crl.CrlNumber);
        })));

        Assert.Equal(20, seen.Distinct().Count());
        var latest = await store1.LatestCrlAsync(default);
        Assert.Equal(seen.Max(), latest!.CrlNumber);
    }

    [Fact]
    public async Task Status_changes_republish_the_crl_before_returning_and_follow_the_hold_rules()
    {
        await using var db = NpgsqlDataSource.Create(await pg.CreateDatabaseAsync());
        using var ca = NewCa(db);
        var issued = await ca.IssueAsync(Request("application-5", NewCsr()), CancellationToken.None);
        var certificate = CaCertificateId.Of(X509CertificateLoader.LoadCertificate(issued.CertificateDer));
        var serial = certificate.SerialNumberHex;
        var before = (await ca.LatestCrlAsync(default))!.CrlNumber;

        Assert.Equal(CaRevocationResult.Done, await ca.SuspendAsync(certificate, default));
        var held = await ca.LatestCrlAsync(default);
        Assert.True(held!.CrlNumber > before);
        Assert.Contains(serial, ListedSerials(held.Der));

        Assert.Equal(CaRevocationResult.AlreadyInRequestedState, await ca.SuspendAsync(certificate, default));
        Assert.Equal(CaRevocationResult.Done, await ca.UnsuspendAsync(certificate, default));
        Assert.DoesNotContain(serial, ListedSerials((await ca.LatestCrlAsync(default))!.Der));
        var secondRelease = await Assert.ThrowsAsync<CaRefusedException>(() => ca.UnsuspendAsync(certificate, default));
        Assert.Equal(CmpFailureInfo.BadRequest, secondRelease.FailureInfo);

        Assert.Equal(CaRevocationResult.Done, await ca.RevokeAsync(certificate, RevocationReason.KeyCompromise, default));
        Assert.Equal(CaRevocationResult.AlreadyInRequestedState, await ca.RevokeAsync(certificate, RevocationReason.KeyCompromise, default));
        var holdAfterRevoke = await Assert.ThrowsAsync<CaRefusedException>(() => ca.SuspendAsync(certificate, default));
        Assert.Equal(CmpFailureInfo.CertRevoked, holdAfterRevoke.FailureInfo);
        var unknown = await Assert.ThrowsAsync<CaRefusedException>(() => ca.SuspendAsync(certificate with { SerialNumberHex = "7F00" }, default));
        Assert.Equal(CmpFailureInfo.BadCertId, unknown.FailureInfo);
    }

    [Fact]
    public async Task The_stored_keys_open_only_with_the_passphrase()
    {
        await using var db = NpgsqlDataSource.Create(await pg.CreateDatabaseAsync());
        // Production seals with OWASP's count; the count travels in the PEM, so a CA set to another count still opens
        // these keys. Sealing 600,000 rounds here would cost seconds and show nothing more.
        Assert.Equal(CaKeys.DefaultSealingIterations, new EmbeddedCaOptions().KeySealingIterations);
        using var ca = NewCa(db);
        await ca.GetMaterialAsync(default);
        using var otherCount = NewCa(db, sealingIterations: 2 * CheapSealingIterations);
        Assert.Equal((await ca.GetMaterialAsync(default)).Issuing.RawData, (await otherCount.GetMaterialAsync(default)).Issuing.RawData);
        await using var connection = await db.OpenConnectionAsync();
        var issuingKeyPem = await connection.ExecuteScalarAsync<string>("SELECT issuing_key_pem FROM embedded_ca_material");

        Assert.StartsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----", issuingKeyPem);
        Assert.ThrowsAny<CryptographicException>(() => CaKeys.Open(issuingKeyPem!, CaKeyAlgorithm.EcdsaP256, "not the passphrase"));
        using var wrongPassphrase = NewCa(db, passphrase: "not the passphrase");
        await Assert.ThrowsAnyAsync<CryptographicException>(() => wrongPassphrase.GetMaterialAsync(default));
        using var opened = CaKeys.Open(issuingKeyPem!, CaKeyAlgorithm.EcdsaP256, Passphrase);
        Assert.Equal((await ca.GetMaterialAsync(default)).Issuing.GetECDsaPublicKey()!.ExportSubjectPublicKeyInfo(),
            ((ECDsa)opened).ExportSubjectPublicKeyInfo());
    }

    /// <param name="sealingIterations">
    /// PBKDF2 rounds for the CA keys: few by default, since every test makes (and some open) a CA and OWASP's 600,000
    /// cost seconds each time.
    /// </param>
    private static EmbeddedCertificateAuthority NewCa(
        NpgsqlDataSource db, IEmbeddedCaStore? store = null, string passphrase = Passphrase, int sealingIterations = CheapSealingIterations) => new(
        store ?? new PostgresEmbeddedCaStore(db),
        new SealedCaKeySource(passphrase, sealingIterations),
        new EmbeddedCaOptions().ToSettings(),
        TimeProvider.System,
        NullLogger<EmbeddedCertificateAuthority>.Instance);

    private static CaIssueRequest Request(string requestKey, byte[] csr) =>
        new() { RequestKey = requestKey, CsrDer = csr, Profile = Broker, ValidityYears = 3 };

    private static byte[] NewCsr(string subject = "CN=Applicant")
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return new CertificateRequest(subject, key, HashAlgorithmName.SHA256).CreateSigningRequest();
    }

    private static async Task<long> CountAsync(NpgsqlDataSource db, string table)
    {
        await using var connection = await db.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<long>($"SELECT count(*) FROM {table}");
    }

    /// <summary>The CRL as openssl prints it (serials in hex), so the check does not rest on our own parsing.</summary>
    private static string ListedSerials(byte[] crlDer)
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(file, crlDer);
            return DevPkiTests.OpenSsl.Succeed("crl", "-inform", "DER", "-in", file, "-noout", "-text");
        }
        finally
        {
            File.Delete(file);
        }
    }
}
