using System.Diagnostics;
using System.Security.Cryptography.X509Certificates;
using Customs.Ra.V1;
using Grpc.Core;
using Ra.Client;

namespace RaBench.Startup;

/// <summary>What one start of the server took, from the moment its process was started.</summary>
public sealed record StartupSample(double RaInfoMs, double GetApplicationMs, double CpuAtRaInfoMs, double CpuAtGetApplicationMs);

/// <summary>
/// Times one start of a child RaServer as a client sees it: GetRaInfo is tried every 10 ms until the first answer
/// (the listener is up and gRPC answers), then one signed GetApplication, signed before the process started, that
/// must answer with the application (signed-envelope check, trust store, one PostgreSQL read: the first real work);
/// a fresh envelope is signed for each start, before its clock starts.
/// The child's CPU is read from /proc right after each answer. The probe's own code is warmed up against the hosted
/// server first (<see cref="WarmUpAsync"/>), so the bench's JIT is not in the figures.
/// </summary>
public sealed class StartupProbe(X509Certificate2 tlsCa, Func<GetApplicationRequest> sign, string applicationId)
{
    private static readonly TimeSpan PollEvery = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan GiveUpAfter = TimeSpan.FromSeconds(90);

    public async Task WarmUpAsync(Uri address)
    {
        using var channel = RaChannel.Create(address, tlsCa, null);
        var client = new RegistrationAuthority.RegistrationAuthorityClient(channel);
        await client.GetRaInfoAsync(new GetRaInfoRequest());
        await GetApplicationAsync(client, sign());
    }

    /// <summary>A signed request for the next <see cref="MeasureAsync"/>, made before its clock starts.</summary>
    public GetApplicationRequest Sign() => sign();

    /// <param name="clock">Started just before the child process was.</param>
    public async Task<StartupSample> MeasureAsync(ServerChild child, Stopwatch clock, GetApplicationRequest request)
    {
        using var channel = RaChannel.Create(child.Address, tlsCa, null);
        var client = new RegistrationAuthority.RegistrationAuthorityClient(channel);
        while (true)
        {
            if (child.HasExited)
                throw new InvalidOperationException($"RaServer child exited during start-up: {child.LastLines}");
            if (clock.Elapsed > GiveUpAfter)
                throw new TimeoutException($"RaServer child did not answer GetRaInfo within {GiveUpAfter.TotalSeconds:F0} s: {child.LastLines}");
            try
            {
                await client.GetRaInfoAsync(new GetRaInfoRequest(), deadline: DateTime.UtcNow.AddSeconds(30));
                break;
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.Unavailable)
            {
                await Task.Delay(PollEvery); // not listening yet
            }
        }
        var raInfo = clock.Elapsed.TotalMilliseconds;
        var cpuAtRaInfo = ProcessCpu.Milliseconds(child.Id);
        await GetApplicationAsync(client, request);
        var getApplication = clock.Elapsed.TotalMilliseconds;
        return new StartupSample(raInfo, getApplication, cpuAtRaInfo, ProcessCpu.Milliseconds(child.Id));
    }

    private async Task GetApplicationAsync(RegistrationAuthority.RegistrationAuthorityClient client, GetApplicationRequest request)
    {
        var response = await client.GetApplicationAsync(request, deadline: DateTime.UtcNow.AddSeconds(60));
        if (response.Application.ApplicationId != applicationId)
            throw new InvalidOperationException($"answered with application {response.Application.ApplicationId}");
    }
}
