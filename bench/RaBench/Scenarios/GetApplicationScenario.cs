using Customs.Ra.V1;
using Grpc.Net.Client;
using Ra.Client.Signing;

namespace RaBench.Scenarios;

/// <summary>
/// T2: GetApplication over gRPC (TLS, signed envelope checked, one application row and its slip read; reads write no
/// journal row) against GetRaInfo, an unauthenticated call that touches nothing, on the same server with the same
/// connections and the same number of calls in flight. Envelopes are signed before the clock starts: the load
/// generator shares the 2 cores with the server, and RSA signing would otherwise be most of its work.
/// </summary>
public static class GetApplicationScenario
{
    private const int Connections = 4;
    private const int DistinctEnvelopes = 2_000;
    private static readonly TimeSpan Duration = TimeSpan.FromSeconds(8);
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(1);

    public static async Task RunAsync(BenchEnvironment env)
    {
        Report.Heading("get-application", "T2: GetApplication ≥ 15,000/s and ≥ 0.5 × an empty unary call (GetRaInfo)");
        await Workload.LoadCompanyAsync(env);
        using var company = env.CompanyCertificate();
        var signer = new RequestSigner(company);
        var application = await Workload.SubmitNewOrganizationApplicationAsync(env, signer);
        var requests = Enumerable.Range(0, DistinctEnvelopes).Select(_ => new GetApplicationRequest
        {
            Envelope = signer.Sign(new GetApplicationPayload
            {
                Header = RequestSigner.OrganizationHeader(Workload.FirmUbn, Workload.FirmName),
                ApplicationId = application.ApplicationId,
            }),
        }).ToArray();

        var channels = Enumerable.Range(0, Connections).Select(_ => env.Channel()).ToArray();
        try
        {
            var clients = channels.Select(c => new RegistrationAuthority.RegistrationAuthorityClient(c)).ToArray();
            async Task GetApplication(long n)
            {
                var response = await clients[n % Connections].GetApplicationAsync(requests[n % DistinctEnvelopes]);
                if (response.Application.ApplicationId != application.ApplicationId)
                    throw new InvalidOperationException($"answered with application {response.Application.ApplicationId}");
            }
            // A status other than OK throws RpcException, which the runner counts as a failure.
            async Task GetRaInfo(long n) => await clients[n % Connections].GetRaInfoAsync(new GetRaInfoRequest());

            foreach (var inFlight in new[] { 8, 32 })
            {
                await LoadRunner.RunAsync("warm-up", inFlight, WarmUp, long.MaxValue, GetRaInfo);
                await LoadRunner.RunAsync("warm-up", inFlight, WarmUp, long.MaxValue, GetApplication);
                var empty = await LoadRunner.RunAsync($"GetRaInfo (baseline), {Connections} connections", inFlight, Duration, long.MaxValue, GetRaInfo);
                var get = await LoadRunner.RunAsync($"GetApplication, {Connections} connections", inFlight, Duration, long.MaxValue, GetApplication);
                Report.Line(empty);
                Report.Line(get);
                Report.Ratio($"GetApplication / GetRaInfo at {inFlight} in flight", get, empty);
            }
        }
        finally
        {
            foreach (GrpcChannel channel in channels)
                channel.Dispose();
        }
    }
}
