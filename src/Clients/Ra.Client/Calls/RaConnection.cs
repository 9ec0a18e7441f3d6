using System.Security.Cryptography.X509Certificates;
using Grpc.Core;
using Grpc.Net.Client;

namespace Ra.Client.Calls;

/// <summary>
/// One channel to the RA with the policy every call through it follows. Open one per server and caller identity and
/// share it: the channel keeps its HTTP/2 connections.
/// </summary>
public sealed class RaConnection(GrpcChannel channel, Uri address, CallPolicy? policy = null) : IDisposable
{
    public GrpcChannel Channel { get; } = channel;
    public Uri Address { get; } = address;
    public CallPolicy Policy { get; } = policy ?? CallPolicy.Default;

    /// <param name="serverCa">The RA's TLS CA (not the machine's store, so a development RA works as it is).</param>
    /// <param name="clientCertificate">The mTLS certificate of a system caller (officer, registry, fees, verifier).</param>
    public static RaConnection Open(Uri server, X509Certificate2? serverCa = null, X509Certificate2? clientCertificate = null, CallPolicy? policy = null) =>
        new(RaChannel.Create(server, serverCa, clientCertificate), server, policy);

    /// <summary>A unary call under <see cref="Policy"/>: retried while unanswered, a refusal raised as <see cref="RaRefusedException"/>.</summary>
    /// <param name="repeatable">False for a call the RA would refuse or record twice if it came again (see <see cref="CallPolicy"/>).</param>
    public Task<T> CallAsync<T>(Func<CallOptions, AsyncUnaryCall<T>> call, CancellationToken ct = default, bool repeatable = true) =>
        Policy.RunAsync(Address, (deadline, token) => call(new CallOptions(deadline: deadline, cancellationToken: token)).ResponseAsync, ct, repeatable);

    /// <summary>Every item of a paged list, page after page, each page fetched under <see cref="Policy"/>.</summary>
    public async IAsyncEnumerable<TItem> PagesAsync<TItem, TPage>(
        Func<string, CallOptions, AsyncUnaryCall<TPage>> page, Func<TPage, (IEnumerable<TItem> Items, string Next)> read,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct = default)
    {
        var token = "";
        do
        {
            var (items, next) = read(await CallAsync(options => page(token, options), ct));
            foreach (var item in items)
                yield return item;
            token = next;
        }
        while (token.Length > 0);
    }

    public void Dispose() => Channel.Dispose();
}
