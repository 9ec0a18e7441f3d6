using Google.Rpc;
using Grpc.Core;

namespace RaServer.Tests.Harness;

/// <summary>Asserts on refusals the way a client reads them: status code plus google.rpc details.</summary>
public static class RpcAssert
{
    public static async Task<RpcException> RefusedAsync(StatusCode code, string reason, Func<Task> call)
    {
        var e = await Assert.ThrowsAsync<RpcException>(call);
        Assert.True(code == e.StatusCode, $"expected {code}, got {e.StatusCode}: {e.Status.Detail}");
        Assert.Equal(reason, ReasonOf(e));
        return e;
    }

    /// <summary>
    /// The ErrorInfo reason, failing when the protos do not declare it: every refusal a test reads this way is
    /// also a check, on a live server, that a client could know what it was sent.
    /// </summary>
    public static string? ReasonOf(RpcException e)
    {
        var reason = e.GetRpcStatus()?.GetDetail<ErrorInfo>()?.Reason;
        DeclaredReasons.AssertDeclared(reason);
        return reason;
    }

    public static IReadOnlyList<string> ViolatedFields(RpcException e) =>
        e.GetRpcStatus()?.GetDetail<BadRequest>()?.FieldViolations.Select(v => v.Field).ToList() ?? [];
}
