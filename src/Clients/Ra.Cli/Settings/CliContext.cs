using System.CommandLine;
using Grpc.Core;
using Grpc.Net.Client;
using Ra.Cli.Failures;
using Ra.Cli.Output;
using Ra.Client;
using Ra.Client.Calls;

namespace Ra.Cli.Settings;

/// <summary>
/// What a command's action works with: the global options merged over the profile, the channel to the RA for the
/// caller role of the command, call options with the deadline, and the printer for the answer.
/// </summary>
public sealed class CliContext(ParseResult parse, TextWriter output) : IDisposable
{
    private readonly List<GrpcChannel> channels = [];
    private Profile? profile;

    public ParseResult Parse { get; } = parse;

    public Printer Printer { get; } = new(output, parse.GetValue(GlobalOptions.Json));

    public Profile Profile => profile ??= Profile.Load(Parse.GetValue(GlobalOptions.Profile));

    /// <summary>The address a call goes to, for the error line; null until a channel was made.</summary>
    public string? Address { get; private set; }

    public string? OfficeCode => Profile.OfficeCode;

    public string? ClerkId => Profile.ClerkId;

    /// <summary>A channel to the RA presenting the role's mTLS client certificate (none for Anonymous and Applicant).</summary>
    public GrpcChannel Channel(CallerRole role) => Connection(role).Channel;

    /// <summary>
    /// The SDK's connection for the role (its channel as <see cref="Channel"/>), whose calls retry while unanswered;
    /// each attempt may take --timeout seconds.
    /// </summary>
    public RaConnection Connection(CallerRole role)
    {
        var server = ServerUri();
        Address = server.GetLeftPart(UriPartial.Authority);
        var trust = Parse.GetValue(GlobalOptions.Trust) ?? Profile.Resolve(Profile.Trust);
        var ca = trust is null ? null : Identities.LoadTrust(trust);
        var client = role is CallerRole.Anonymous or CallerRole.Applicant ? null : Identity(role);
        var connection = RaConnection.Open(server, ca, client,
            CallPolicy.Default with { AttemptTimeout = TimeSpan.FromSeconds(Parse.GetValue(GlobalOptions.Timeout)) });
        channels.Add(connection.Channel);
        return connection;
    }

    /// <summary>The certificate with its private key the role speaks with (mTLS, or signing for an applicant).</summary>
    public System.Security.Cryptography.X509Certificates.X509Certificate2 Identity(CallerRole role)
    {
        var entry = Profile.Identities.GetValueOrDefault(role.Key());
        var pkcs12 = Parse.GetValue(GlobalOptions.Identity) ?? Profile.Resolve(entry?.Pkcs12);
        var passwordFile = Parse.GetValue(GlobalOptions.PasswordFile) ?? Profile.Resolve(entry?.PasswordFile);
        return Identities.Load(role, pkcs12, passwordFile);
    }

    /// <summary>Per-call options: the --timeout deadline and Ctrl+C.</summary>
    public CallOptions Call(CancellationToken cancellation, bool streaming = false) =>
        new(deadline: streaming ? null : DateTime.UtcNow.AddSeconds(Parse.GetValue(GlobalOptions.Timeout)), cancellationToken: cancellation);

    private Uri ServerUri()
    {
        var fromOption = Parse.GetValue(GlobalOptions.Server);
        var text = fromOption ?? Profile.Server;
        var origin = fromOption is not null ? "--server" : $"\"server\" in {Profile.Path}";
        if (string.IsNullOrWhiteSpace(text))
            throw CliFailure.Usage("no server given: pass --server URL (e.g. https://127.0.0.1:5443) or set \"server\" in the profile");
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http") || uri.Host.Length == 0)
            throw CliFailure.Usage($"{origin}: '{text}' is not a URL like https://ra.example.gov.tw:443");
        return uri;
    }

    public void Dispose()
    {
        foreach (var channel in channels)
            channel.Dispose();
    }
}
