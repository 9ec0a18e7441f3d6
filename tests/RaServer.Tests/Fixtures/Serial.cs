namespace RaServer.Tests.Fixtures;

/// <summary>
/// The test classes that must not share the machine with other tests: they assert on wall-clock latency (an event
/// crossing replicas within a second) or on the whole process's managed heap, or change process-wide state (the working
/// directory), which tests running beside them would
/// distort. xUnit runs this collection alone, after the parallel ones. Everything else runs in parallel.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class Serial
{
    public const string Name = "serial: measures latency or the process's memory";
}
