using Xunit.Abstractions;
using Xunit.Sdk;

namespace RaServer.Tests.Fixtures;

/// <summary>
/// Starts the test classes that take longest first, the rest after them in xUnit's own order. On a two-core machine a
/// long class that starts last is the run's tail: everything else has finished and one core waits for it. The list
/// is what the run's .trx shows as longest (time summed per class); a class missing from it costs time, never a result.
/// </summary>
public sealed class LongestFirst : ITestCollectionOrderer
{
    public const string TypeName = "RaServer.Tests.Fixtures.LongestFirst";
    public const string AssemblyName = "RaServer.Tests";

    private static readonly string[] Longest =
    [
        "RaServer.Tests.Faults.CmpCaFaultsUnderLoadTests",
        "RaServer.Tests.Faults.EmbeddedCaFaultsUnderLoadTests",
        "RaServer.Tests.InputForm.MalformedRequestProperties",
        "RaServer.Tests.Integration.CallerAuthorizationTests",
        "RaServer.Tests.DevTools.LocalInstancesTests",
        "RaServer.Tests.Integration.MutatedMessageSignatureTests",
        "RaServer.Tests.Identity.SignedRequestVerifierTests",
        "RaServer.Tests.Integration.SignedRequestRefusalTests",
        "RaServer.Tests.Expiry.ExpiryNotifierTests",
    ];

    private readonly DefaultTestCollectionOrderer xunitOrder = new();

    public IEnumerable<ITestCollection> OrderTestCollections(IEnumerable<ITestCollection> testCollections) =>
        xunitOrder.OrderTestCollections(testCollections).OrderBy(RankOf); // OrderBy is stable: the rest keep xUnit's order

    /// <summary>A class's own collection is named after it ("Test collection for &lt;class&gt;").</summary>
    private static int RankOf(ITestCollection collection)
    {
        var rank = Array.FindIndex(Longest, name => collection.DisplayName.EndsWith(" " + name, StringComparison.Ordinal));
        return rank < 0 ? Longest.Length : rank;
    }
}
