using System.Net;
using System.Net.Sockets;
using RaServer.Tests.Fixtures;

namespace RaServer.Tests.EmbeddedCa;

public sealed class ListenerSeparationTests(PostgresFixture pg) : IClassFixture<PostgresFixture>
{
    [Theory]
    [InlineData("/crl/customs-ca.crl")]
    [InlineData("/ca/customs-ca.crt")]
    [InlineData("/ca/customs-root.crt")]
    public async Task The_ca_endpoints_answer_on_the_ca_listener_and_not_on_any_other(string path)
    {
        var otherPort = FreePort();
        await using var ca = await EmbeddedCaHost.StartAsync(await pg.CreateDatabaseAsync(), otherPort: otherPort);
        using var http = new HttpClient();

        using var onCa = await http.GetAsync(new Uri(ca.Address, path));
        using var onOther = await http.GetAsync(new Uri($"http://127.0.0.1:{otherPort}{path}"));

        Assert.Equal(HttpStatusCode.OK, onCa.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, onOther.StatusCode);
    }

    [Fact]
    public async Task A_cmp_post_with_another_content_type_is_refused_before_parsing()
    {
        await using var ca = await EmbeddedCaHost.StartAsync(await pg.CreateDatabaseAsync());
        using var http = new HttpClient();

        using var response = await http.PostAsync(new Uri(ca.Address, "/.well-known/cmp"), new ByteArrayContent([0x30, 0x00]));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
