using Customs.Ra.V1;
using Grpc.Core;
using Ra.Client.Signing;
using RaServer.Tests.Harness;

namespace RaServer.Tests.Events;

/// <summary>Opens WatchApplication streams as the dev test company and reads them with deadlines, as a client would.</summary>
internal sealed class WatchStreams(RaServerHarness server)
{
    private readonly RegistrationAuthority.RegistrationAuthorityClient _client = new(server.Channel());

    public AsyncServerStreamingCall<WatchApplicationResponse> Application(Guid id, long afterSequence = 0, CancellationToken ct = default) =>
        Open(new WatchApplicationPayload { ApplicationId = id.ToString("D"), AfterSequence = afterSequence }, ct);

    public AsyncServerStreamingCall<WatchApplicationResponse> AllApplications(long afterSequence = 0, CancellationToken ct = default) =>
        Open(new WatchApplicationPayload { AllApplications = true, AfterSequence = afterSequence }, ct);

    public AsyncServerStreamingCall<WatchApplicationResponse> Open(WatchApplicationPayload payload, CancellationToken ct = default)
    {
        payload.Header = RequestSigner.OrganizationHeader(TestApplications.CompanyUbn, TestApplications.CompanyName);
        return _client.WatchApplication(new WatchApplicationRequest { Envelope = server.CompanySigner().Sign(payload) }, cancellationToken: ct);
    }

    /// <summary>Reads exactly <paramref name="count"/> events, failing if they do not all arrive within the deadline.</summary>
    public static async Task<List<ApplicationEvent>> ReadAsync(
        AsyncServerStreamingCall<WatchApplicationResponse> call, int count, TimeSpan? within = null)
    {
        using var deadline = new CancellationTokenSource(within ?? TimeSpan.FromSeconds(10));
        var events = new List<ApplicationEvent>();
        try
        {
            while (events.Count < count)
            {
                Assert.True(await call.ResponseStream.MoveNext(deadline.Token),
                    $"the stream ended after {events.Count} of {count} events");
                events.Add(call.ResponseStream.Current.Event);
            }
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.Cancelled && deadline.IsCancellationRequested)
        {
            Assert.Fail($"only {events.Count} of {count} events arrived in time");
        }
        return events;
    }

    /// <summary>Asserts the server ends the stream with OK (and sends nothing more) within the deadline.</summary>
    public static async Task AssertEndsAsync(AsyncServerStreamingCall<WatchApplicationResponse> call, TimeSpan? within = null)
    {
        using var deadline = new CancellationTokenSource(within ?? TimeSpan.FromSeconds(10));
        Assert.False(await call.ResponseStream.MoveNext(deadline.Token), "the stream sent another event instead of ending");
        Assert.Equal(StatusCode.OK, call.GetStatus().StatusCode);
    }
}
