using RaServer.Tests.Fixtures;

namespace RaServer.Tests.Harness;

/// <summary>
/// One RaServer for all the tests of a class (<c>IClassFixture&lt;SharedRaServer&gt;</c>), on a database of its
/// own, with the dev registry loaded through the API once. Starting a server per test costs a database, a host and
/// TLS handshakes each time; tests that only call the API and assert on what they did share one. Each test begins
/// with <see cref="BeginTestAsync"/>; a test that moves the clock, or needs an empty server, starts its own.
/// </summary>
public sealed class SharedRaServer : IAsyncLifetime
{
    private readonly PostgresFixture postgres = new();

    public RaServerHarness Server { get; private set; } = null!;

    /// <summary>API clients as the partner app, the office, the fee system and the registry feed, made once.</summary>
    public WorkflowScenario Scenario { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await postgres.InitializeAsync();
        Server = await RaServerHarness.StartAsync(postgres);
        Scenario = new WorkflowScenario(Server);
    }

    /// <summary>
    /// Puts back the dev registry (a test may have ended the mandate) and starts counting from here
    /// (<see cref="RaServerHarness.BeginTestAsync"/>). Returns the scenario for convenience.
    /// </summary>
    public async Task<WorkflowScenario> BeginTestAsync(bool loadRegistry = true)
    {
        if (loadRegistry)
            await Scenario.LoadRegistryAsync();
        await Server.BeginTestAsync();
        return Scenario;
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        await postgres.DisposeAsync();
    }
}
