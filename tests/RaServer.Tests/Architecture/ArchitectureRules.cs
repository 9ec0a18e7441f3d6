using System.Reflection;
using NetArchTest.Rules;

namespace RaServer.Tests.Architecture;

/// <summary>
/// The rules of docs/ARCHITECTURE.md as code: which area of the server may use which, what only the API layer may
/// see, that Policy does no I/O and that only Storage talks SQL. <see cref="Check"/> takes the root namespace so the
/// same rules can be run against a deliberately broken sample (<see cref="BrokenSample"/>) to show they catch each
/// break.
/// </summary>
internal static class ArchitectureRules
{
    /// <summary>The areas and the arrows allowed out of each; Hosting composes them all and is not listed.</summary>
    public static readonly IReadOnlyDictionary<string, string[]> AllowedArrows = new Dictionary<string, string[]>
    {
        ["Domain"] = [],
        ["Policy"] = ["Domain"],
        ["Storage"] = ["Domain", "Policy"],
        ["Trust"] = ["Domain", "Policy", "Storage"],
        ["Workflow"] = ["Domain", "Policy", "Storage", "Trust"],
        ["Workers"] = ["Domain", "Policy", "Storage", "Trust", "Workflow"],
        ["Printing"] = ["Domain"],
        ["Api"] = ["Domain", "Policy", "Storage", "Trust", "Workflow", "Printing"],
    };

    /// <summary>What only the API layer (and the composition root) may see: the contract and gRPC.</summary>
    private static readonly string[] Contract = ["Customs.Ra.V1", "Grpc.Core", "Grpc.AspNetCore", "Google.Protobuf", "Google.Rpc"];

    /// <summary>What a pure decision must not touch: files, the network, processes, the database, the clock's source.</summary>
    private static readonly string[] InputOutput =
    [
        "System.IO", "System.Net", "System.Diagnostics.Process", "System.Data", "Npgsql", "Dapper", "MailKit",
        "Microsoft.AspNetCore", "Microsoft.Extensions.Hosting", "System.Net.Http",
    ];

    private static readonly string[] Sql = ["Npgsql", "Dapper"];

    /// <summary>Every broken rule in <paramref name="assembly"/> under <paramref name="root"/>, one line each; empty when all hold.</summary>
    public static IReadOnlyList<string> Check(Assembly assembly, string root)
    {
        var problems = new List<string>();
        foreach (var area in AllowedArrows.Keys.Where(a => a != "Api"))
        {
            Collect(problems, $"{area} uses the contract or gRPC (only Api may)",
                Types.InAssembly(assembly).That().ResideInNamespace($"{root}.{area}").ShouldNot().HaveDependencyOnAny(Contract));
        }
        Collect(problems, "Policy does I/O",
            Types.InAssembly(assembly).That().ResideInNamespace($"{root}.Policy").ShouldNot().HaveDependencyOnAny(InputOutput));
        Collect(problems, "SQL outside Storage",
            Types.InAssembly(assembly).That().ResideInNamespace(root).And().DoNotResideInNamespace($"{root}.Storage")
                .ShouldNot().HaveDependencyOnAny(Sql));
        foreach (var (area, allowed) in AllowedArrows)
        {
            var forbidden = AllowedArrows.Keys.Append("Hosting").Where(other => other != area && !allowed.Contains(other))
                .Select(other => $"{root}.{other}").ToArray();
            Collect(problems, $"{area} uses an area it must not ({string.Join(", ", forbidden.Select(f => f[(root.Length + 1)..]))})",
                Types.InAssembly(assembly).That().ResideInNamespace($"{root}.{area}").ShouldNot().HaveDependencyOnAny(forbidden));
        }
        var strays = Types.InAssembly(assembly).That().ResideInNamespace(root).GetTypes()
            .Where(t => t.Namespace is { } ns && !AllowedArrows.Keys.Append("Hosting").Any(a => ns == $"{root}.{a}" || ns.StartsWith($"{root}.{a}.", StringComparison.Ordinal))
                        && t.Name != "Program" && !t.Name.StartsWith('<'))
            .Select(t => t.FullName).ToList();
        problems.AddRange(strays.Select(t => $"{t} is in no area"));
        return problems;
    }

    /// <summary>Every type of <paramref name="assembly"/> that depends on one of <paramref name="forbidden"/>.</summary>
    public static IReadOnlyList<string> CheckStandsAlone(Assembly assembly, params string[] forbidden)
    {
        var problems = new List<string>();
        Collect(problems, $"{assembly.GetName().Name} depends on {string.Join(", ", forbidden)}",
            Types.InAssembly(assembly).ShouldNot().HaveDependencyOnAny(forbidden));
        problems.AddRange(assembly.GetReferencedAssemblies()
            .Where(r => forbidden.Any(f => r.Name!.StartsWith(f, StringComparison.Ordinal)))
            .Select(r => $"{assembly.GetName().Name} references the assembly {r.Name}"));
        return problems;
    }

    private static void Collect(List<string> problems, string rule, ConditionList condition)
    {
        var result = condition.GetResult();
        if (!result.IsSuccessful)
            problems.AddRange(result.FailingTypeNames.Select(type => $"{rule}: {type}"));
    }
}
