using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using EmbeddedCa;

namespace RaBench.Crl;

/// <summary>
/// Fetches the CRL as a relying party does, over HTTP from the embedded CA's listener, and looks for one serial in it.
/// Polls with If-None-Match, so an unchanged CRL costs a 304 and not megabytes. A serial is found by its DER INTEGER
/// (tag, length, bytes) in the CRL's bytes: a 16-byte random serial cannot turn up by chance, and it spares parsing a
/// million entries per poll.
/// </summary>
public sealed class ServedCrlProbe(Uri caAddress) : IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = caAddress };
    private EntityTagHeaderValue? _etag;

    public byte[]? Latest { get; private set; }

    /// <summary>The CRL as served now (fetched only when its ETag changed).</summary>
    public async Task<byte[]> FetchAsync(CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, EmbeddedCaPaths.Crl);
        if (_etag is not null && Latest is not null)
            request.Headers.IfNoneMatch.Add(_etag);
        using var response = await _http.SendAsync(request, ct);
        if (response.StatusCode == HttpStatusCode.NotModified && Latest is not null)
            return Latest;
        response.EnsureSuccessStatusCode();
        Latest = await response.Content.ReadAsByteArrayAsync(ct);
        _etag = response.Headers.ETag;
        return Latest;
    }

    /// <summary>Polls until the served CRL lists <paramref name="serial"/>; returns when it was first seen on <paramref name="clock"/>.</summary>
    public async Task<TimeSpan> WaitForSerialAsync(ReadOnlyMemory<byte> serial, Stopwatch clock, TimeSpan limit)
    {
        using var timeout = new CancellationTokenSource(limit);
        byte[] needle = [0x02, (byte)serial.Length, .. serial.Span];
        while (true)
        {
            var crl = await FetchAsync(timeout.Token);
            if (crl.AsSpan().IndexOf(needle) >= 0)
                return clock.Elapsed;
            await Task.Delay(TimeSpan.FromMilliseconds(5), timeout.Token);
        }
    }

    public static bool Lists(byte[] crl, ReadOnlySpan<byte> serial)
    {
        byte[] needle = [0x02, (byte)serial.Length, .. serial];
        return crl.AsSpan().IndexOf(needle) >= 0;
    }

    public void Dispose() => _http.Dispose();
}
