using Ra.DevPki;
using RaServer.Tests.Fixtures;
using RaServer.Tests.Harness;

namespace RaServer.Tests.Integration;

/// <summary>
/// One RaServer for the government-certificate tests, reading its trust anchors' CRLs from files of its own, so a test
/// can publish a new MOEACA CRL (<see cref="RaServerHarness.StartAsync"/> with <c>crls</c>) without touching the shared
/// dev PKI. Each test issues its own leaves, so one test's CRL entries never decide another's verdict.
/// </summary>
public sealed class GovernmentPkiServer : IAsyncLifetime
{
    private readonly PostgresFixture postgres = new();

    public RaServerHarness Server { get; private set; } = null!;
    public WorkflowScenario Scenario { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await postgres.InitializeAsync();
        Server = await RaServerHarness.StartAsync(postgres, crls: new Dictionary<DevCa, byte[]>());
        Scenario = new WorkflowScenario(Server);
        await Scenario.LoadRegistryAsync();
        await Scenario.AddSecondFirmAsync();
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        await postgres.DisposeAsync();
    }
}
