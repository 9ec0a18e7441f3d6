using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using RaServer.Hosting;
using RaServer.Policy;
using RaServer.Storage;
using RaServer.Workers;

namespace RaServer.Tests.Mail;

public sealed class MailServiceRegistrationTests
{
    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        // Never opened here; the integrator registers the real one in AddRaCore.
        services.AddStorage(_ => "Host=127.0.0.1;Database=unused");
        services.AddRaMail(configuration);
        return services.BuildServiceProvider();
    }

    [Fact]
    public void Without_configuration_notices_go_to_the_pickup_folder_and_the_sender_is_a_hosted_service()
    {
        using var provider = Build([]);

        Assert.IsType<PickupFolderTransport>(provider.GetRequiredService<IMailTransport>());
        Assert.Contains(provider.GetServices<IHostedService>(), s => s is MailSender);
        Assert.Equal("example.invalid", provider.GetRequiredService<MailOutboxSettings>().MessageIdDomain); // the default sender's domain
    }

    [Fact]
    public void Transport_smtp_in_configuration_selects_the_smtp_transport_with_its_settings()
    {
        using var provider = Build(new()
        {
            ["Mail:Transport"] = "Smtp",
            ["Mail:Smtp:Host"] = "relay.example.invalid",
            ["Mail:Smtp:Port"] = "465",
            ["Mail:Smtp:Security"] = "SslOnConnect",
        });

        Assert.IsType<SmtpTransport>(provider.GetRequiredService<IMailTransport>());
        var options = provider.GetRequiredService<IOptions<MailOptions>>().Value;
        Assert.Equal(465, options.Smtp.Port);
        Assert.Equal(SmtpSecurity.SslOnConnect, options.Smtp.Security);
    }

    [Theory]
    [InlineData("Mail:BatchSize", "0")]
    [InlineData("Mail:FromAddress", "nobody")]
    [InlineData("Mail:FirstRetryDelay", "00:00:00")]
    [InlineData("Mail:MaxBackoff", "00:00:01")]
    [InlineData("Mail:PollInterval", "00:00:00")]
    public void Settings_that_would_break_the_sender_are_refused_at_start(string key, string value)
    {
        using var provider = Build(new() { [key] = value });

        Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<MailOptions>>().Value);
    }
}
