using RaServer.Api;
using RaServer.Domain;

namespace RaServer.Tests.Identity;

internal static class RaAssert
{
    public static RaException Refused(RaErrorKind kind, string reason, Action action)
    {
        var error = Assert.Throws<RaException>(action);
        Assert.Equal(reason, error.Reason);
        Assert.Equal(kind, error.Kind);
        return error;
    }
}
