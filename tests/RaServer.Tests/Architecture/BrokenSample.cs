// A small copy of the server's layout that breaks each architecture rule once, so the tests can show that the
// checks catch a break (ArchitectureTests.The_checks_find_each_rule_broken_in_a_sample_that_breaks_them).
// Nothing runs this code.
#pragma warning disable CA1822

namespace RaServer.Tests.Architecture.BrokenSample.Domain
{
    /// <summary>Below Api, yet names a gRPC type.</summary>
    public sealed class LeaksTheContract
    {
        public string Peer(Grpc.Core.ServerCallContext context) => context.Peer;
    }
}

namespace RaServer.Tests.Architecture.BrokenSample.Policy
{
    /// <summary>A decision that reads a file.</summary>
    public sealed class ReadsAFile
    {
        public string Decide(string path) => System.IO.File.ReadAllText(path);
    }
}

namespace RaServer.Tests.Architecture.BrokenSample.Workflow
{
    /// <summary>Workflow writing its own SQL.</summary>
    public sealed class WritesSql
    {
        public Task<int> RunAsync(Npgsql.NpgsqlConnection connection) => Dapper.SqlMapper.ExecuteAsync(connection, "SELECT 1");
    }
}

namespace RaServer.Tests.Architecture.BrokenSample.Storage
{
    /// <summary>Storage using the workflow above it: an arrow the wrong way, which would close a circle.</summary>
    public sealed class CallsBackIntoWorkflow
    {
        public Task<int> RunAsync(Workflow.WritesSql workflow) => workflow.RunAsync(null!);
    }
}

namespace RaServer.Tests.Architecture.BrokenSample.Misc
{
    /// <summary>A type in no area.</summary>
    public sealed class Stray;
}
