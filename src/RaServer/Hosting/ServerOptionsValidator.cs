using System.Net;
using Microsoft.Extensions.Options;

using RaServer.Domain;

namespace RaServer.Hosting;

/// <summary>Refuses a listener Kestrel could not bind, or TLS without its certificate and key.</summary>
internal sealed class ServerOptionsValidator : IValidateOptions<ServerOptions>
{
    public ValidateOptionsResult Validate(string? name, ServerOptions options)
    {
        var problems = new OptionsProblems(ServerOptions.Section);
        problems.Check(IPAddress.TryParse(options.ListenAddress, out _), nameof(options.ListenAddress),
            $"must be an IP address, not '{options.ListenAddress}'.");
        problems.Between(options.Port, 0, 65535, nameof(options.Port));
        problems.Positive(options.Http2MaxStreamsPerConnection, nameof(options.Http2MaxStreamsPerConnection));
        if (options.TlsEnabled)
        {
            TlsFile(problems, options.TlsCertificatePath, nameof(options.TlsCertificatePath), "certificate");
            TlsFile(problems, options.TlsKeyPath, nameof(options.TlsKeyPath), "private key");
        }
        return problems.Result();
    }

    private static void TlsFile(OptionsProblems problems, string path, string key, string what) =>
        problems.Check(File.Exists(path), key,
            $"must name the server's PEM {what} while TLS is on; '{path}' does not exist (`ra-dev devpki` makes a development one).");
}
