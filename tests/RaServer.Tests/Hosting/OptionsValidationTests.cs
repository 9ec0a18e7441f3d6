using Customs.Ra.V1;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RaServer.Api;
using RaServer.Hosting;
using RaServer.Policy;
using RaServer.Tests.Harness;

namespace RaServer.Tests.Hosting;

/// <summary>
/// Every configuration section is checked when the server starts: a setting that cannot work stops the process with
/// its key named, before the first call or background round would fail on it. No database is opened: the checks
/// run before anything connects.
/// </summary>
public sealed class OptionsValidationTests
{
    /// <summary>
    /// What no default can know, on top of the shipped appsettings.json: the site's database, its TLS certificate, its
    /// client CAs, the roots it trusts and the seal of the embedded CA's keys.
    /// </summary>
    private static async Task<Dictionary<string, string?>> SiteSettingsAsync()
    {
        var pki = await SharedDevPki.GetAsync();
        return new()
        {
            ["Database:ConnectionString"] = "Host=127.0.0.1;Port=1;Database=never_opened",
            ["Server:Port"] = "0",
            ["Server:TlsCertificatePath"] = pki.TlsServerCertificate,
            ["Server:TlsKeyPath"] = pki.TlsServerKey,
            ["Audit:SigningCertificatePath"] = pki.AuditSigningCertificate,
            ["Audit:SigningKeyPath"] = pki.AuditSigningKey,
            ["Auth:ClientCaBundlePath"] = pki.ClientCaBundle,
            ["Trust:TrustAnchorFiles:0"] = pki.TrustAnchorFiles[0],
            ["EmbeddedCa:KeyPassphrase"] = "options validation tests",
            ["EmbeddedCa:HttpPort"] = "0",
            ["Logging:LogLevel:Default"] = "Warning",
        };
    }

    private static async Task<OptionsValidationException> StartRefusedAsync(
        Dictionary<string, string?> settings, Action<IServiceCollection>? replaceServices = null) =>
        await Assert.ThrowsAsync<OptionsValidationException>(async () =>
        {
            await using var app = RaServerApp.Build([], settings, replaceServices);
            await app.StartAsync();
        });

    [Fact]
    public async Task The_shipped_appsettings_with_only_the_site_settings_passes_every_validator()
    {
        await using var app = RaServerApp.Build([], await SiteSettingsAsync());

        app.Services.GetRequiredService<IStartupValidator>().Validate();
    }

    [Fact]
    public async Task A_server_started_with_an_empty_fee_schedule_refuses_to_start()
    {
        // As if appsettings.json had no Fees:Schedule: configuration cannot remove the shipped file's entries.
        var e = await StartRefusedAsync(await SiteSettingsAsync(), services => services.PostConfigure<FeeOptions>(o => o.Schedule.Clear()));

        Assert.Equal(
            [
                "Fees:Schedule has no entry for PERSONAL NEW.", "Fees:Schedule has no entry for PERSONAL RENEW.",
                "Fees:Schedule has no entry for ORGANIZATION NEW.", "Fees:Schedule has no entry for ORGANIZATION RENEW.",
            ],
            e.Failures);
    }

    [Theory]
    [InlineData("Auth:ClientCaBundlePath", "/nonexistent/clients.pem", "Auth:ClientCaBundlePath")]
    [InlineData("EmbeddedCa:HttpPort", "70000", "EmbeddedCa:HttpPort")]
    [InlineData("EmbeddedCa:CrlRefreshInterval", "2.00:00:00", "EmbeddedCa:CrlRefreshInterval")]
    [InlineData("EmbeddedCa:CmpTrustedClientCertificates:0", "/nonexistent/cmp-client.pem", "EmbeddedCa:CmpTrustedClientCertificates:0")]
    [InlineData("EmbeddedCa:KeySource", "Pkcs11", "EmbeddedCa:Pkcs11:Library is required")]
    [InlineData("EmbeddedCa:KeySource", "Pkcs11", "EmbeddedCa:Pkcs11:TokenLabel is required")]
    [InlineData("EmbeddedCa:KeySource", "Pkcs11", "EmbeddedCa:Pkcs11:PinFile or EmbeddedCa:Pkcs11:Pin (from the environment")]
    [InlineData("Auth:Clients:clerk-BB:Role", "admin", "Auth:Clients:clerk-BB:Role")]
    [InlineData("Auth:Clients:clerk-BB:Role", "officer", "Auth:Clients:clerk-BB:OfficeCode")]
    [InlineData("Auth:ServiceRoles:Registry:0", "registrar", "Auth:ServiceRoles:Registry names the role 'registrar'")]
    [InlineData("RaInfo:Name", "", "RaInfo:Name")]
    [InlineData("RaInfo:Url", "ra.example", "RaInfo:Url")]
    [InlineData("RaInfo:Procedures:0:ServiceType", "RENEWAL", "RaInfo:Procedures:0:ServiceType")]
    [InlineData("Database:ConnectionString", "", "Database:ConnectionString")]
    [InlineData("Database:ConnectionString", "Hots=db.example", "Database:ConnectionString")]
    [InlineData("Server:ListenAddress", "localhost", "Server:ListenAddress")]
    [InlineData("Server:TlsKeyPath", "/nonexistent/server.key", "Server:TlsKeyPath")]
    [InlineData("Eligibility:RenewWindowDays", "0", "Eligibility:RenewWindowDays")]
    [InlineData("Eligibility:EligibleOperatorKinds:0", "SHIPPER", "Eligibility:EligibleOperatorKinds:0")]
    [InlineData("Fees:PaymentDeadlineDays", "0", "Fees:PaymentDeadlineDays")]
    [InlineData("Fees:Schedule:0:AmountNtd", "0", "Fees:Schedule:0:AmountNtd")]
    [InlineData("Fees:Schedule:2:ServiceType", "REVOKE", "Fees:Schedule:2:ServiceType")]
    [InlineData("Fees:Schedule:3:Kind", "PERSONAL", "Fees:Schedule has no entry for ORGANIZATION RENEW")]
    [InlineData("Trust:TrustAnchorFiles:0", "/nonexistent/root.crt", "Trust:TrustAnchorFiles:0")]
    [InlineData("Trust:CrlUrls:0", "ftp://crl.example/moeaca.crl", "Trust:CrlUrls:0")]
    [InlineData("Trust:SigningTimeWindow", "00:00:00", "Trust:SigningTimeWindow")]
    [InlineData("Ca:CrlUrl", "crl.example", "Ca:CrlUrl")]
    [InlineData("CaDispatch:Concurrency", "-1", "CaDispatch:Concurrency")]
    [InlineData("CaDispatch:MaxBackoff", "00:00:01", "CaDispatch:MaxBackoff")]
    [InlineData("CaDispatch:BatchSize", "0", "CaDispatch:BatchSize")]
    [InlineData("CaDispatch:LeaseDuration", "00:00:00", "CaDispatch:LeaseDuration")]
    [InlineData("Server:Http2MaxStreamsPerConnection", "0", "Server:Http2MaxStreamsPerConnection")]
    [InlineData("ExpiryNotices:CheckInterval", "60.00:00:00", "ExpiryNotices:CheckInterval")]
    [InlineData("Mail:Smtp:Port", "0", "Mail:Smtp:Port")]
    [InlineData("Api:ApplicationAnswerCacheEntries", "0", "Api:ApplicationAnswerCacheEntries")]
    [InlineData("Audit:SigningCertificatePath", "/nonexistent/audit.crt", "Audit:SigningCertificatePath")]
    [InlineData("Audit:PendingFolder", "/proc/ra-audit-pending", "Audit:PendingFolder")]
    [InlineData("Audit:SealInterval", "00:00:00", "Audit:SealInterval")]
    [InlineData("Audit:PendingQueueCapacity", "0", "Audit:PendingQueueCapacity")]
    [InlineData("Sweeper:Interval", "00:00:00", "Sweeper:Interval")]
    [InlineData("Sweeper:BatchSize", "0", "Sweeper:BatchSize")]
    [InlineData("Events:WatchBatchSize", "0", "Events:WatchBatchSize")]
    [InlineData("SlipPrinting:FontFile", "/nonexistent/uming.ttc", "SlipPrinting:FontFile cannot print payment slips: '/nonexistent/uming.ttc' does not exist")]
    [InlineData("SlipPrinting:FontFace", "AR PL UMing XX", "SlipPrinting:FontFile cannot print payment slips: '/usr/share/fonts/truetype/arphic/uming.ttc' has no face 'AR PL UMing XX'")]
    [InlineData("SlipPrinting:FontFace", "", "SlipPrinting:FontFace")]
    public async Task A_setting_that_cannot_work_stops_the_server_at_start_naming_its_key(string key, string value, string named)
    {
        var settings = await SiteSettingsAsync();
        settings[key] = value;

        var e = await StartRefusedAsync(settings);

        Assert.Contains(e.Failures, f => f.StartsWith(named, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Every_configuration_section_has_its_validator_registered()
    {
        await using var app = RaServerApp.Build([], await SiteSettingsAsync());
        var sections = typeof(RaServerApp).Assembly.GetTypes()
            .Where(t => t.Name.EndsWith("Options", StringComparison.Ordinal) && t.GetField("Section") is { IsLiteral: true })
            // Read before the host exists (Kestrel's listener), so checked where it is read: see Server:ListenAddress above.
            .Where(t => t != typeof(ServerOptions))
            .ToList();

        Assert.NotEmpty(sections);
        Assert.All(sections, options => Assert.Contains(
            app.Services.GetServices(typeof(IValidateOptions<>).MakeGenericType(options)),
            validator => validator!.GetType().Name == options.Name + "Validator"));
    }

    [Fact]
    public void The_kinds_and_service_types_configuration_may_name_are_the_contracts()
    {
        Assert.Equal(Enum.GetValues<CertificateKind>().Where(k => k != CertificateKind.Unspecified).Select(k => ProtoEnums.ShortName(k)), FeeSchedule.Kinds);
        Assert.Equal(Enum.GetValues<ServiceType>().Where(t => t != ServiceType.Unspecified).Select(t => ProtoEnums.ShortName(t)), FeeSchedule.ServiceTypes);
    }
}
