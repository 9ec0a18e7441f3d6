using Microsoft.Extensions.Options;
using RaServer.Tests.Fixtures;
using RaServer.Tests.Harness;

namespace RaServer.Tests.CaFaults;

/// <summary>Ca:Mode=Cmp set up incompletely stops the server at start, with every problem named.</summary>
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
        Assert.Contains(e.Failures, f => f.Contains("Ca:IssuingCaCertificatePath", StringComparison.Ordinal));
        Assert.Contains(e.Failures, f => f.Contains("'/nonexistent/ra.crt' does not exist", StringComparison.Ordinal));
    }
}
