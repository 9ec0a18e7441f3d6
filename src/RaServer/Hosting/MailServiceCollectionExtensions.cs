using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using MimeKit;
using RaServer.Storage;
using RaServer.Workers;

namespace RaServer.Hosting;

public static class MailServiceCollectionExtensions
{
    /// <summary>
    /// Binds section "Mail" (validated at start) and registers <see cref="MailOutboxSettings"/> (the Message-ID domain) for the workflow, the
    /// configured <see cref="IMailTransport"/>, and <see cref="MailSender"/> as a hosted service. Expects the
    /// process's storage (<see cref="StorageServiceCollectionExtensions.AddStorage"/>) to be registered already.
    /// </summary>
    public static IServiceCollection AddRaMail(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<MailOptions>()
            .Bind(configuration.GetSection(MailOptions.SectionName))
            .Validate(o => MailboxAddress.TryParse(o.FromAddress, out var from) && from.Address.Contains('@'),
                "Mail:FromAddress must be an e-mail address.")
            .Validate(o => o.Transport != MailTransportKind.Pickup || !string.IsNullOrWhiteSpace(o.PickupFolder),
                "Mail:PickupFolder is required when Mail:Transport is Pickup.")
            .Validate(o => o.Transport != MailTransportKind.Smtp || !string.IsNullOrWhiteSpace(o.Smtp.Host),
                "Mail:Smtp:Host is required when Mail:Transport is Smtp.")
            .Validate(o => o.Smtp.Port is > 0 and <= 65535, "Mail:Smtp:Port must be 1-65535.")
            .Validate(o => o.Smtp.Timeout > TimeSpan.Zero, "Mail:Smtp:Timeout must be positive.")
            .Validate(o => o.BatchSize is > 0 and <= 1000, "Mail:BatchSize must be 1-1000.")
            .Validate(o => o.PollInterval > TimeSpan.Zero, "Mail:PollInterval must be positive.")
            // A zero delay would make a failing notice due again at once, and RunOnceAsync would never finish.
            .Validate(o => o.FirstRetryDelay > TimeSpan.Zero, "Mail:FirstRetryDelay must be positive.")
            .Validate(o => o.MaxBackoff >= o.FirstRetryDelay, "Mail:MaxBackoff must be at least Mail:FirstRetryDelay.")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(sp => MailOutboxSettings.ForSender(sp.GetRequiredService<IOptions<MailOptions>>().Value.FromAddress));
        services.AddSingleton<IMailTransport>(sp => CreateTransport(
            sp.GetRequiredService<IOptions<MailOptions>>(), sp.GetRequiredService<ILogger<MailSender>>()));
        services.AddSingleton<MailSender>();
        services.AddHostedService(sp => sp.GetRequiredService<MailSender>());
        return services;
    }

    private static IMailTransport CreateTransport(IOptions<MailOptions> options, ILogger logger)
    {
        if (options.Value.Transport == MailTransportKind.Smtp)
        {
            var smtp = options.Value.Smtp;
            MailLog.TransportChosen(logger, MailTransportKind.Smtp, $"{smtp.Host}:{smtp.Port}, {smtp.Security}");
            return new SmtpTransport(options);
        }
        var pickup = new PickupFolderTransport(options);
        MailLog.TransportChosen(logger, MailTransportKind.Pickup, pickup.Folder);
        return pickup;
    }
}
