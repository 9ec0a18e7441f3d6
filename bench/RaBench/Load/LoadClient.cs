using System.Security.Cryptography.X509Certificates;
using Grpc.Net.Client;
using Ra.Client;
using Ra.DevPki;

namespace RaBench.Load;

/// <summary>The load process's connections to the server: <see cref="LoadJob.Connections"/> channels, each its own HTTP/2 connection.</summary>
public sealed class LoadClient : IDisposable
{
    private readonly GrpcChannel[] _channels;

    public LoadClient(LoadJob job, string? clientFileName = null)
    {
        Pki = DevPki.Load(job.PkiFolder);
        var client = clientFileName is null ? null : DevPki.LoadP12(Pki.ClientP12(DevClient.All.Single(c => c.FileName == clientFileName)));
        var tlsCa = X509CertificateLoader.LoadCertificateFromFile(Pki.TlsCaCertificate);
        _channels = Enumerable.Range(0, job.Connections).Select(_ => RaChannel.Create(new Uri(job.ServerAddress), tlsCa, client)).ToArray();
    }

    public DevPki Pki { get; }

    public int Count => _channels.Length;

    public GrpcChannel this[long n] => _channels[n % _channels.Length];

    public X509Certificate2 CompanyCertificate() => DevPki.LoadP12(Pki.CompanyP12);

    public void Dispose()
    {
        foreach (var channel in _channels)
            channel.Dispose();
    }
}
