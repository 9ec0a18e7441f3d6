using Microsoft.Extensions.Options;
using RaServer.Tests.Fixtures;
using RaServer.Tests.Harness;

namespace RaServer.Tests.CaFaults;

/// <summary>Ca:Mode=Cmp set up incompletely stops the server at start, with every problem named by its key.</summary>
public sealed class CaGatewayConfigurationTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    [Fact]
    public async Task Cmp_mode_without_the_ra_key_the_ca_certificates_and_a_valid_timeout_refuses_to_start()
    {
        var e = await Assert.ThrowsAsync<OptionsValidationException>(() => RaServerHarness.StartAsync(postgres, configure: settings =>
        {
            settings["Ca:Mode"] = "Cmp";
            settings["Ca:Cmp:ServerUri"] = "http://127.0.0.1:9";
            settings["Ca:Cmp:RaCertificatePath"] = "/nonexistent/ra.crt";
            settings["Ca:Resilience:AttemptTimeout"] = "00:00:00";
        }));

        Assert.Contains(e.Failures, f => f.Contains("RaKeyPath", StringComparison.Ordinal));
        Assert.Contains(e.Failures, f => f.Contains("CaServerCertificatePath", StringComparison.Ordinal));
        Assert.Contains(e.Failures, f => f.Contains("AttemptTimeout", StringComparison.Ordinal));
        Assert.Contains(e.Failures, f => f.Contains("Ca:IssuerCertificatePath", StringComparison.Ordinal));
        Assert.Contains(e.Failures, f => f.Contains("'/nonexistent/ra.crt' does not exist", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Cmp_mode_without_the_cas_crl_url_refuses_to_start_with_a_message_naming_Ca_CrlUrl()
    {
        var e = await Assert.ThrowsAsync<OptionsValidationException>(async () =>
            await RaServerHarness.StartAsync(postgres, configure: await CompleteCmpSettingsWithoutAsync("Ca:CrlUrl")));

        Assert.Equal("Ca:CrlUrl is required when Ca:Mode is Cmp.", Assert.Single(e.Failures));
    }

    [Fact]
    public async Task Cmp_mode_without_the_cas_issuer_certificate_refuses_to_start_with_a_message_naming_Ca_IssuerCertificatePath()
    {
        var e = await Assert.ThrowsAsync<OptionsValidationException>(async () =>
            await RaServerHarness.StartAsync(postgres, configure: await CompleteCmpSettingsWithoutAsync("Ca:IssuerCertificatePath")));

        Assert.Equal("Ca:IssuerCertificatePath is required when Ca:Mode is Cmp.", Assert.Single(e.Failures));
    }

    /// <summary>
    /// Cmp settings that lack nothing but <paramref name="missing"/>, so the refusal can only be for that key. The files
    /// need only exist: the start is refused before any of them is read as a certificate.
    /// </summary>
    private static async Task<Action<Dictionary<string, string?>>> CompleteCmpSettingsWithoutAsync(string missing)
    {
        var pki = await SharedDevPki.GetAsync();
        var registry = RaServerHarness.Client("registry");
        return settings =>
        {
            settings["Ca:Mode"] = "Cmp";
            settings["Ca:Cmp:ServerUri"] = "http://127.0.0.1:9";
            settings["Ca:Cmp:RaCertificatePath"] = pki.ClientCertificate(registry);
            settings["Ca:Cmp:RaKeyPath"] = pki.ClientKey(registry);
            settings["Ca:Cmp:CaServerCertificatePath"] = pki.TlsCaCertificate;
            settings["Ca:CrlUrl"] = "http://127.0.0.1:9/crl/customs-ca.crl";
            settings["Ca:IssuerCertificatePath"] = pki.TlsCaCertificate;
            settings.Remove(missing);
        };
    }
}
