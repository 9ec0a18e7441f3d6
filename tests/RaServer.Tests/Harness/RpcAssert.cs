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

    public static string? ReasonOf(RpcException e) =>
        e.GetRpcStatus()?.GetDetail<ErrorInfo>()?.Reason;

    public static IReadOnlyList<string> ViolatedFields(RpcException e) =>
        e.GetRpcStatus()?.GetDetail<BadRequest>()?.FieldViolations.Select(v => v.Field).ToList() ?? [];
}
