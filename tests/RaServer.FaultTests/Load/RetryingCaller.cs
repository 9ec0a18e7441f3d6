using System.Diagnostics;
using Google.Rpc;
using Grpc.Core;

namespace RaServer.FaultTests.Load;

/// <summary>
/// How a well-behaved client calls the RA through a fault: UNAVAILABLE means "try again", so it tries again with the
/// very same request (same signed envelope, same request id, same receipt reference: the API makes that safe), on
/// the other replica, as a load balancer would, until a budget longer than any fault here runs out. Any other
/// status ends the call and is held against the RA by the test.
/// </summary>
public sealed class RetryingCaller(Ledger ledger, int replicas)
{
    /// <summary>Longer than the longest outage the tests make (30 s), plus the replicas' own reconnection.</summary>
    public static readonly TimeSpan Budget = TimeSpan.FromSeconds(75);

    /// <summary>A call that hangs this long is a hang, not a fault handled (it would show as DEADLINE_EXCEEDED).</summary>
    private static readonly TimeSpan CallDeadline = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan Pause = TimeSpan.FromMilliseconds(250);

    /// <returns>The answer, or null when the call failed for good (recorded in the ledger).</returns>
    public async Task<T?> CallAsync<T>(string rpc, int firstReplica, Func<int, CallOptions, Task<T>> call)
        where T : class
    {
        var replica = firstReplica;
        var waited = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                var answer = await call(replica, new CallOptions(deadline: DateTime.UtcNow + CallDeadline));
                ledger.Answered(rpc, StatusCode.OK);
                return answer;
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.Unavailable)
            {
                ledger.Answered(rpc, StatusCode.Unavailable, ReasonOf(e));
                if (waited.Elapsed > Budget)
                {
                    ledger.Abandon();
                    ledger.Note($"{rpc}: still UNAVAILABLE after {Budget.TotalSeconds:F0} s: {e.Status.Detail}");
                    return null;
                }
                replica = (replica + 1) % replicas;
                await Task.Delay(Pause);
            }
            catch (RpcException e)
            {
                ledger.Failed(rpc, e);
                return null;
            }
        }
    }

    /// <summary>The RA's reason (DATABASE_UNAVAILABLE); none when the transport failed before the RA answered.</summary>
    public static string ReasonOf(RpcException e) => e.GetRpcStatus()?.GetDetail<ErrorInfo>()?.Reason ?? "transport";
}
