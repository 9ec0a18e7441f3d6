using RaServer.Tests.Architecture.BrokenSample.Domain;

namespace RaServer.Tests.Architecture;

/// <summary>The layout of docs/ARCHITECTURE.md holds, and the checks that say so can fail.</summary>
public sealed class ArchitectureTests
{
    private static readonly System.Reflection.Assembly Server = typeof(RaServer.Hosting.RaServerApp).Assembly;

    [Fact]
    public void The_server_keeps_every_rule_of_its_layout()
    {
        var problems = ArchitectureRules.Check(Server, "RaServer");

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public void The_ca_connector_and_the_embedded_ca_know_nothing_of_the_server_the_web_or_the_database()
    {
        string[] forbidden = ["RaServer", "Customs.Ra.V1", "Microsoft.AspNetCore", "Npgsql", "Dapper", "Grpc"];
        Assert.Empty(ArchitectureRules.CheckStandsAlone(typeof(CaConnector.ICaConnector).Assembly, forbidden));
        Assert.Empty(ArchitectureRules.CheckStandsAlone(typeof(global::EmbeddedCa.EmbeddedCertificateAuthority).Assembly, forbidden));
    }

    [Fact]
    public void The_allowed_arrows_between_areas_have_no_circle()
    {
        var visiting = new HashSet<string>();
        var done = new HashSet<string>();
        bool HasCircleFrom(string area)
        {
            if (done.Contains(area))
                return false;
            if (!visiting.Add(area))
                return true;
            var circle = ArchitectureRules.AllowedArrows[area].Any(HasCircleFrom);
            visiting.Remove(area);
            done.Add(area);
            return circle;
        }

        Assert.DoesNotContain(ArchitectureRules.AllowedArrows.Keys, HasCircleFrom);
    }

    [Fact]
    public void The_checks_find_each_rule_broken_in_a_sample_that_breaks_them()
    {
        var problems = ArchitectureRules.Check(typeof(LeaksTheContract).Assembly, "RaServer.Tests.Architecture.BrokenSample");

        Assert.Contains(problems, p => p.StartsWith("Domain uses the contract or gRPC", StringComparison.Ordinal) && p.EndsWith(nameof(LeaksTheContract), StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Policy does I/O", StringComparison.Ordinal) && p.EndsWith("ReadsAFile", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("SQL outside Storage", StringComparison.Ordinal) && p.EndsWith("WritesSql", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Storage uses an area it must not", StringComparison.Ordinal) && p.EndsWith("CallsBackIntoWorkflow", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.EndsWith("Stray is in no area", StringComparison.Ordinal));
        Assert.Equal(5, problems.Count);
    }

    [Fact]
    public void The_standalone_check_finds_an_assembly_that_uses_the_server()
    {
        var problems = ArchitectureRules.CheckStandsAlone(typeof(ArchitectureTests).Assembly, "RaServer.Storage");

        Assert.Contains(problems, p => p.Contains("references the assembly RaServer", StringComparison.Ordinal) || p.Contains("depends on RaServer.Storage", StringComparison.Ordinal));
    }
}
