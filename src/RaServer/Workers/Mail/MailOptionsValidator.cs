using Microsoft.Extensions.Options;
using MimeKit;

using RaServer.Domain;

namespace RaServer.Workers;

/// <summary>Refuses mail settings with which the outbox sender could not deliver, or would spin on a failing notice.</summary>
internal sealed class MailOptionsValidator : IValidateOptions<MailOptions>
{
    public ValidateOptionsResult Validate(string? name, MailOptions options)
    {
        var problems = new OptionsProblems(MailOptions.Section);
        problems.Defined(options.Transport, nameof(options.Transport));
        problems.Check(MailboxAddress.TryParse(options.FromAddress, out var from) && from.Address.Contains('@'),
            nameof(options.FromAddress), $"must be an e-mail address, not '{options.FromAddress}'.");
        problems.Check(options.Transport != MailTransportKind.Pickup || !string.IsNullOrWhiteSpace(options.PickupFolder),
            nameof(options.PickupFolder), $"is required when {problems.Key(nameof(options.Transport))} is Pickup.");
        problems.Check(options.Transport != MailTransportKind.Smtp || !string.IsNullOrWhiteSpace(options.Smtp.Host),
            "Smtp:Host", $"is required when {problems.Key(nameof(options.Transport))} is Smtp.");
        problems.Between(options.Smtp.Port, 1, 65535, "Smtp:Port");
        problems.Defined(options.Smtp.Security, "Smtp:Security");
        problems.Duration(options.Smtp.Timeout, "Smtp:Timeout");
        problems.Between(options.BatchSize, 1, 1000, nameof(options.BatchSize));
        problems.Duration(options.PollInterval, nameof(options.PollInterval));
        // A zero delay would make a failing notice due again at once, and RunOnceAsync would never finish.
        problems.Duration(options.FirstRetryDelay, nameof(options.FirstRetryDelay));
        problems.Duration(options.MaxBackoff, nameof(options.MaxBackoff));
        problems.Check(options.MaxBackoff >= options.FirstRetryDelay, nameof(options.MaxBackoff),
            $"must be at least {problems.Key(nameof(options.FirstRetryDelay))}.");
        return problems.Result();
    }
}
