namespace CaConnector.Tests.Fixtures;

/// <summary>CMP options that match a mock started by <see cref="CmpMockNetwork"/>.</summary>
internal static class MockOptions
{
    public static CmpOptions For(CmpMockNetwork network, Uri mock) => new()
    {
        ServerUri = mock,
        Path = "/pkix/",
        RaCertificate = network.Pki.Ra,
        CaServerCertificate = network.Pki.CaServer,
        MinPollInterval = TimeSpan.Zero,
    };
}
