using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Org.BouncyCastle.Asn1.Cmp;
using RaBench.Cmp;

namespace RaBench.Load;

/// <summary>
/// T7, ours: a protected p10cr to the embedded CA's CMP endpoint (job.ServerAddress), answered by a protected cp with
/// a certificate, then certConf → pkiConf as a real client confirms, unless it asked for implicitConfirm
/// (Args: implicit-confirm=true) and the answer grants it. Every p10cr opens a transaction of its own (the CA issues
/// once per transactionID), so Args: messages of them are built and signed before the clock, over the CSRs of
/// Args: csrs cycled; Args: client (folder of the pinned client certificate) and cmp-signer (the CA's CMP signer, PEM).
/// </summary>
public sealed class CmpP10crWorkload : ILoadWorkload
{
    private static readonly MediaTypeHeaderValue PkixCmp = new("application/pkixcmp");

    private HttpClient _http = null!;
    private Uri _endpoint = null!;
    private CmpClientMessages _messages = null!;
    private Prepared[] _prepared = [];
    private bool _implicitConfirm;
    private long _next = -1;

    private sealed record Prepared(byte[] Request, byte[] TransactionId, byte[] SenderNonce);

    public Task PrepareAsync(LoadJob job, CancellationToken ct)
    {
        _endpoint = new Uri(job.ServerAddress);
        _implicitConfirm = bool.Parse(job.Arg("implicit-confirm"));
        using var client = BenchCmpClient.Load(job.Arg("client"));
        using var cmpSigner = X509CertificateLoader.LoadCertificateFromFile(job.Arg("cmp-signer"));
        _messages = new CmpClientMessages(client, cmpSigner);
        var csrs = CmpHttp.ReadCsrs(job);
        var count = int.Parse(job.Arg("messages"), CultureInfo.InvariantCulture);
        _prepared = new Prepared[count];
        Parallel.For(0, count, i =>
        {
            var transactionId = RandomNumberGenerator.GetBytes(CmpClientMessages.NonceLength);
            var nonce = RandomNumberGenerator.GetBytes(CmpClientMessages.NonceLength);
            _prepared[i] = new Prepared(_messages.P10cr(csrs[i % csrs.Length], transactionId, nonce, _implicitConfirm), transactionId, nonce);
        });
        _http = CmpHttp.Create(job);
        return Task.CompletedTask;
    }

    public async Task OperationAsync(long n)
    {
        // The loop's own n restarts with every warm-up window; a transaction must never be sent twice.
        var i = Interlocked.Increment(ref _next);
        if (i >= _prepared.Length)
            throw new InvalidOperationException($"all {_prepared.Length:N0} pre-built p10cr messages are used");
        var p10cr = _prepared[i];
        var cp = _messages.Check(await PostAsync(p10cr.Request), p10cr.TransactionId, p10cr.SenderNonce, PkiBody.TYPE_CERT_REP);
        var certificate = CmpClientMessages.CertificateOf(cp);
        if (_implicitConfirm && CmpClientMessages.ConfirmsImplicitly(cp))
            return;
        var nonce = RandomNumberGenerator.GetBytes(CmpClientMessages.NonceLength);
        var certConf = _messages.CertConf(certificate, p10cr.TransactionId, nonce, cp.Header.SenderNonce.GetOctets());
        _messages.Check(await PostAsync(certConf), p10cr.TransactionId, nonce, PkiBody.TYPE_CONFIRM);
    }

    private async Task<byte[]> PostAsync(byte[] message)
    {
        using var content = new ByteArrayContent(message);
        content.Headers.ContentType = PkixCmp;
        using var response = await _http.PostAsync(_endpoint, content);
        if (!response.IsSuccessStatusCode || response.Content.Headers.ContentType?.MediaType != PkixCmp.MediaType)
            throw new InvalidOperationException($"CMP endpoint answered HTTP {(int)response.StatusCode} {response.Content.Headers.ContentType}");
        return await response.Content.ReadAsByteArrayAsync();
    }

    public ValueTask DisposeAsync()
    {
        _http?.Dispose();
        return ValueTask.CompletedTask;
    }
}
