using EmbeddedCa.Pkcs11;

namespace RaServer.Hosting;

/// <summary>The PKCS#11 token of EmbeddedCa:Pkcs11, opened once (by the check at start) and then signed with; closed with the host.</summary>
internal sealed class EmbeddedCaKeyToken : IDisposable
{
    private readonly Lock _gate = new();
    private Pkcs11Token? _token;

    public Pkcs11Token Open(EmbeddedCaPkcs11Options options)
    {
        lock (_gate)
            return _token ??= Pkcs11Token.Open(options.ToTokenSettings());
    }

    public void Dispose()
    {
        lock (_gate)
            _token?.Dispose();
    }
}
