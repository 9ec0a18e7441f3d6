using Customs.Ra.V1;
using Dapper;
using Grpc.Core;
using Npgsql;
using RaServer.Api;
using RaServer.Tests.Fixtures;
using RaServer.Tests.Harness;

namespace RaServer.Tests.Integration;

/// <summary>
/// PostgreSQL going away under a running server: its callers are told UNAVAILABLE (retry), never INTERNAL (give up).
/// </summary>
public sealed class DatabaseUnavailableTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>, IAsyncLifetime
{
    private RaServerHarness server = null!;
    private string database = null!;

    public async Task InitializeAsync()
    {
        // Pooling off, so that every call opens a connection of its own and meets the database as it is now.
        var connectionString = new NpgsqlConnectionStringBuilder(await postgres.CreateDatabaseAsync()) { Pooling = false };
        database = connectionString.Database!;
        server = await RaServerHarness.StartAsync(postgres, connectionString: connectionString.ConnectionString);
    }

    public async Task DisposeAsync()
    {
        await SetAcceptingAsync(true);
        await server.DisposeAsync();
    }

    private static UpsertOperatorRequest AnOperator() => new()
    {
        Operator = new Operator
        {
            Ubn = "04595252", Name = "測試報關股份有限公司", Kind = OperatorKind.CustomsBroker,
            CustomsOfficeCode = "AA", BoxNumber = "207/0", Status = OperatorStatus.Active,
        },
    };

    [Fact]
    public async Task A_call_that_needs_the_database_while_it_refuses_connections_fails_unavailable_with_a_reason_and_no_driver_text()
    {
        var registry = new Customs.Ra.V1.Registry.RegistryClient(server.Channel(RaServerHarness.Client("registry")));
        await registry.UpsertOperatorAsync(AnOperator()); // the same call succeeds while the database is there

        await SetAcceptingAsync(false);

        var e = await RpcAssert.RefusedAsync(StatusCode.Unavailable, ServerReasons.DatabaseUnavailable,
            async () => await registry.UpsertOperatorAsync(AnOperator()));
        Assert.Equal(ErrorMappingInterceptor.ErrorDomain, e.GetRpcStatus()?.GetDetail<Google.Rpc.ErrorInfo>()?.Domain);
        Assert.DoesNotContain(database, e.Status.Detail);
        Assert.DoesNotContain("55000", e.Status.Detail);

        await SetAcceptingAsync(true);
        await registry.UpsertOperatorAsync(AnOperator()); // and once it is back, the retry the status invites succeeds
    }

    private Task SetAcceptingAsync(bool accepting) => DatabaseGate.SetAcceptingAsync(server.ConnectionString, accepting);
}
