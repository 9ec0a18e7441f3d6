using System.Reflection;
using Customs.Ra.V1;
using Google.Protobuf.Reflection;

namespace RaServer.Tests.Harness;

/// <summary>
/// The reasons the contract declares: the names of <see cref="ErrorReason"/> without the "ERROR_REASON_" prefix,
/// which is what the server puts in ErrorInfo.reason. Read from the generated code so the proto is the one source.
/// </summary>
public static class DeclaredReasons
{
    private const string Prefix = "ERROR_REASON_";

    public static IReadOnlySet<string> All { get; } = typeof(ErrorReason)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => f.GetCustomAttribute<OriginalNameAttribute>()!.Name)
        .Where(n => n != Prefix + "UNSPECIFIED")
        .Select(n => n[Prefix.Length..])
        .ToHashSet(StringComparer.Ordinal);

    /// <summary>The ones of <paramref name="sent"/> the contract does not declare, sorted, for a failure message.</summary>
    public static IReadOnlyList<string> Undeclared(IEnumerable<string> sent) =>
        sent.Where(r => !All.Contains(r)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();

    /// <summary>Fails a test that received a reason the protos do not declare, so a client could not know it.</summary>
    public static void AssertDeclared(string? reason)
    {
        if (reason is null)
            return; // no ErrorInfo at all (INTERNAL, CANCELLED): nothing a client could branch on
        Assert.True(All.Contains(reason),
            $"the server sent reason \"{reason}\", which is not a value of customs.ra.v1.ErrorReason; declare it in common.proto");
    }
}
