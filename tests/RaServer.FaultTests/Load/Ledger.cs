using System.Collections.Concurrent;
using Grpc.Core;
using RaServer.Tests.Harness;

namespace RaServer.FaultTests.Load;

/// <summary>What the RA acknowledged to the load's clients.</summary>
public enum Acknowledged
{
    /// <summary>SubmitApplication answered OK: the application is stored.</summary>
    Submitted,

    /// <summary>ConfirmPayment answered OK: the slip is paid and the application waits for a key.</summary>
    Paid,

    /// <summary>SubmitCsr answered OK: the CA request is queued and the application will complete.</summary>
    KeySubmitted,
}

/// <summary>
/// The clients' side of a fault run: every status each call came back with (UNAVAILABLE answers a client retried
/// included) and every acknowledgement, by application, so that the end of the test can hold the database to them.
/// </summary>
public sealed class Ledger
{
    private readonly ConcurrentDictionary<string, int> _statuses = new();
    private readonly ConcurrentDictionary<(string ApplicationId, Acknowledged What), string> _acknowledged = new();
    private readonly ConcurrentQueue<string> _unexpected = new();
    private int _abandoned;

    /// <summary>Counts of "STATUS" or "STATUS/REASON" per RPC name, e.g. "SubmitApplication Unavailable/DATABASE_UNAVAILABLE".</summary>
    public IReadOnlyDictionary<string, int> Statuses => new SortedDictionary<string, int>(_statuses);

    /// <summary>Calls that ended with a status a fault must never produce (anything but OK and UNAVAILABLE).</summary>
    public IReadOnlyList<string> Unexpected => [.. _unexpected];

    /// <summary>Journeys given up when a call stayed UNAVAILABLE past the retry budget.</summary>
    public int Abandoned => Volatile.Read(ref _abandoned);

    public void Answered(string rpc, StatusCode status, string? reason = null) =>
        _statuses.AddOrUpdate(reason is null ? $"{rpc} {status}" : $"{rpc} {status}/{reason}", 1, (_, n) => n + 1);

    /// <summary>A status outside {OK, UNAVAILABLE}: counted, and kept with its detail for the failure message.</summary>
    public void Failed(string rpc, RpcException e)
    {
        var reason = e.StatusCode == StatusCode.Internal || e.StatusCode == StatusCode.Unknown ? null : SafeReason(e);
        Answered(rpc, e.StatusCode, reason);
        _unexpected.Enqueue($"{rpc}: {e.StatusCode} {reason} {e.Status.Detail}");
    }

    public void Note(string unexpected) => _unexpected.Enqueue(unexpected);

    public void Abandon() => Interlocked.Increment(ref _abandoned);

    public void Acknowledge(string applicationId, Acknowledged what, string requestId) => _acknowledged[(applicationId, what)] = requestId;

    public IReadOnlyList<string> ApplicationsWith(Acknowledged what) =>
        [.. _acknowledged.Keys.Where(k => k.What == what).Select(k => k.ApplicationId).Distinct()];

    /// <summary>The request id SubmitApplication was acknowledged for, per application.</summary>
    public IReadOnlyDictionary<string, string> SubmittedRequestIds =>
        _acknowledged.Where(a => a.Key.What == Acknowledged.Submitted).ToDictionary(a => a.Key.ApplicationId, a => a.Value);

    public int UnavailableAnswers => _statuses.Where(s => s.Key.Contains(" Unavailable", StringComparison.Ordinal)).Sum(s => s.Value);

    private static string? SafeReason(RpcException e)
    {
        try
        {
            return RpcAssert.ReasonOf(e);
        }
        catch (Exception undeclared) when (undeclared is Xunit.Sdk.XunitException)
        {
            return "UNDECLARED_REASON";
        }
    }
}
