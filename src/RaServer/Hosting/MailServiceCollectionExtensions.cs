using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using RaServer.Policy;
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
        services.AddValidatedOptions<MailOptions, MailOptionsValidator>(configuration.GetSection(MailOptions.Section));
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
