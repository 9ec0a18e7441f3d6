using System.Runtime.Versioning;
using System.Security.Cryptography.X509Certificates;
using Grpc.Health.V1;
using Npgsql;
using DevTools;
using Ra.Client;
using RaServer.Tests.Fixtures;
using RaServer.Tests.Harness;

namespace RaServer.Tests.DevTools;

/// <summary>
/// Whole `ra-dev dev` instances, hosted in this process on real PostgreSQL clusters: each in its own temp folder,
/// on free ports, listening on 127.0.0.1 only.
/// </summary>
/// <remarks>
/// Two costs of a start are not what these tests are about, and are cut (see <see cref="StartAsync"/>): minting a
/// dev PKI (a dozen RSA keys, seconds of CPU) and sealing the embedded CA's keys at the production work factor. The
/// first instance of the side-by-side test still mints its own PKI, as a newcomer's first run does.
/// </remarks>
[SupportedOSPlatform("linux")] // PostgreSQL's Debian binaries, runuser
public sealed class LocalInstancesTests : IAsyncLifetime
{
    // In memory where the machine has it, as the shared test cluster is: initdb and the migrations write and sync
    // every file, which on this project's virtual disks costs seconds per instance.
    private readonly string _root = Path.Combine(SharedPostgres.Root, $"ra-instances-{Guid.NewGuid():N}");
    private readonly List<DevInstance> _running = [];
    private readonly List<string> _clusterFolders = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var instance in Enumerable.Reverse(_running))
            await instance.DisposeAsync();
        foreach (var folder in _clusterFolders.Append(_root).Distinct().Where(Directory.Exists))
            Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public async Task Two_instances_in_two_folders_run_side_by_side_and_stopping_one_leaves_the_other_serving()
    {
        var first = await StartAsync(Path.Combine(_root, "a"), mintPki: true, "--Server:Port=0");
        var second = await StartAsync(Path.Combine(_root, "b"), mintPki: false, "--port", FreePorts.AskOs().ToString());

        Assert.NotEqual(first.Cluster!.DataDirectory, second.Cluster!.DataDirectory);
        Assert.NotEqual(first.Cluster.Port, second.Cluster.Port);
        Assert.NotEqual(first.GrpcAddress.Port, second.GrpcAddress.Port);
        Assert.False(first.Cluster.Adopted);
        Assert.False(second.Cluster.Adopted);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, await HealthAsync(first));
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, await HealthAsync(second));
        var secondPostmaster = PostmasterPid(second.Cluster);

        await StopAsync(first);

        Assert.False(File.Exists(Path.Combine(first.Cluster.DataDirectory, "postmaster.pid")), "the first instance stops the cluster it started");
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, await HealthAsync(second));
        Assert.Equal(secondPostmaster, PostmasterPid(second.Cluster));
        Assert.Equal(1, await ScalarAsync(second.ConnectionString, "SELECT 1"));
    }

    [Fact]
    public async Task A_second_instance_in_the_same_folder_adopts_its_cluster_and_leaves_it_running_when_it_stops()
    {
        var folder = Path.Combine(_root, "shared");
        var first = await StartAsync(folder, "--Server:Port=0");
        var second = await StartAsync(folder, "--Server:Port=0");

        Assert.True(second.Cluster!.Adopted);
        Assert.Equal(first.Cluster!.Port, second.Cluster.Port);

        await StopAsync(second);

        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, await HealthAsync(first));
        Assert.Equal(1, await ScalarAsync(first.ConnectionString, "SELECT 1"));
    }

    [Fact]
    public async Task A_restarted_instance_reuses_its_remembered_postgresql_port_and_data()
    {
        var folder = Path.Combine(_root, "restart");
        var first = await StartAsync(folder, "--Server:Port=0");
        var port = first.Cluster!.Port;
        await ScalarAsync(first.ConnectionString, "CREATE TABLE kept (value int); INSERT INTO kept VALUES (7); SELECT 0");
        await StopAsync(first);

        var again = await StartAsync(folder, "--Server:Port=0");

        Assert.Equal(port, again.Cluster!.Port);
        Assert.Equal(7, await ScalarAsync(again.ConnectionString, "SELECT value FROM kept"));
    }

    [Fact]
    public async Task A_given_pg_port_is_used_and_command_line_settings_reach_the_server_over_the_dev_defaults()
    {
        var pgPort = FreePorts.AskOs();
        var pickup = Path.Combine(_root, "elsewhere-mail");

        var instance = await StartAsync(Path.Combine(_root, "given"), "--pg-port", pgPort.ToString(), "--Server:Port=0", "--Mail:PickupFolder", pickup);

        Assert.Equal(pgPort, instance.Cluster!.Port);
        Assert.Equal(pickup, instance.App.Configuration["Mail:PickupFolder"]);
        Assert.Equal("0", instance.App.Configuration["Server:Port"]);
        Assert.NotEqual(0, instance.GrpcAddress.Port);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, await HealthAsync(instance));
    }

    private Task<DevInstance> StartAsync(string folder, params string[] options) => StartAsync(folder, mintPki: false, options);

    /// <param name="mintPki">
    /// False: the folder gets a copy of the test run's dev PKI (<see cref="SharedDevPki"/>, made by the same
    /// generator) before the start, which then finds a complete PKI and keeps it, as a restarted instance does.
    /// </param>
    private async Task<DevInstance> StartAsync(string folder, bool mintPki, params string[] options)
    {
        if (!mintPki && !Directory.Exists(Path.Combine(folder, "pki")))
            CopyFolder((await SharedDevPki.GetAsync()).Folder, Path.Combine(folder, "pki"));
        // The dev default seals each of the embedded CA's three keys with 600,000 PBKDF2 rounds, and every start opens
        // them again: seconds of CPU per start. The command line overrides it, as the test harness's servers do.
        var arguments = DevArguments.Parse(
            ["--dir", folder, "--EmbeddedCa:HttpPort=" + FreePorts.AskOs(), "--EmbeddedCa:KeySealingIterations=1000", .. options], out var error);
        Assert.True(arguments is not null, error);
        var instance = await DevInstance.StartAsync(arguments);
        _running.Add(instance);
        if (instance.Cluster is { } cluster)
            _clusterFolders.Add(cluster.Folder);
        Assert.Equal("127.0.0.1", instance.GrpcAddress.Host);
        return instance;
    }

    private async Task StopAsync(DevInstance instance)
    {
        _running.Remove(instance);
        await instance.DisposeAsync();
    }

    /// <summary>gRPC health over TLS, trusting only the instance's own dev TLS CA.</summary>
    private static async Task<HealthCheckResponse.Types.ServingStatus> HealthAsync(DevInstance instance)
    {
        using var ca = X509CertificateLoader.LoadCertificateFromFile(instance.Pki.TlsCaCertificate);
        using var channel = RaChannel.Create(instance.GrpcAddress, ca);
        return (await new Health.HealthClient(channel).CheckAsync(new HealthCheckRequest())).Status;
    }

    private static void CopyFolder(string source, string target)
    {
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var copy = Path.Combine(target, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
            File.Copy(file, copy);
        }
    }

    private static int PostmasterPid(LocalPostgresCluster cluster) =>
        int.Parse(File.ReadLines(Path.Combine(cluster.DataDirectory, "postmaster.pid")).First());

    private static async Task<int> ScalarAsync(string connectionString, string sql)
    {
        // Unpooled, so a restarted cluster is not reached through a connection to the one that stopped.
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt32(await command.ExecuteScalarAsync());
    }
}
