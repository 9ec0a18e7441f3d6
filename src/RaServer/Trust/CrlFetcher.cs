using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using RaServer.Hosting;

namespace RaServer.Trust;

/// <summary>
/// Downloads one CRL over http(s) and hands back its DER. Checks only the transport and the framing (status, size,
/// DER or PEM); what the CRL says, who signed it and whether it is newer is for the store it is offered to.
/// </summary>
public sealed class CrlFetcher(IHttpClientFactory httpClients)
{
    /// <summary>Name of the <see cref="HttpClient"/> registered by <see cref="CrlFetcherServices.AddCrlFetcher"/>.</summary>
    public const string HttpClientName = "crl-fetcher";

    private const string PemLabel = "X509 CRL";

    /// <param name="etag">The entity tag of the CRL held from this URL, if any: an unchanged CRL then costs a 304.</param>
    /// <param name="timeout">
    /// Wall-clock deadline for the whole download. Not taken from the injected TimeProvider on purpose: the network
    /// runs on real time, and a test's fake clock would never let a hung download end.
    /// </param>
    /// <exception cref="CrlFetchException">The URL is down, answered an error, took too long, or sent no CRL.</exception>
    public async Task<CrlDownload> FetchAsync(Uri url, string? etag, TimeSpan timeout, long maxBytes, CancellationToken ct)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(timeout);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/pkix-crl"));
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/x-pkcs7-crl"));
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("*/*", 0.5));
            if (etag is not null && EntityTagHeaderValue.TryParse(etag, out var tag))
                request.Headers.IfNoneMatch.Add(tag);

            using var response = await httpClients.CreateClient(HttpClientName)
                .SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token);
            if (response.StatusCode == HttpStatusCode.NotModified && etag is not null)
                return new CrlDownload(null, etag);
            if (!response.IsSuccessStatusCode)
                throw new CrlFetchException($"{url} answered HTTP {(int)response.StatusCode}.");
            if (response.Content.Headers.ContentLength > maxBytes)
                throw new CrlFetchException($"{url} offers {response.Content.Headers.ContentLength} bytes, more than the {maxBytes} accepted.");

            var body = await ReadCappedAsync(response.Content, url, maxBytes, deadline.Token);
            return new CrlDownload(ToDer(body, url), response.Headers.ETag?.ToString());
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new CrlFetchException($"{url} did not deliver a CRL within {timeout.TotalSeconds:0.#} s.");
        }
        catch (HttpRequestException e)
        {
            throw new CrlFetchException($"{url} could not be reached: {e.Message}", e);
        }
    }

    private static async Task<byte[]> ReadCappedAsync(HttpContent content, Uri url, long maxBytes, CancellationToken ct)
    {
        // Content-Length may be absent (chunked) or lie; the cap is enforced on what actually arrives.
        await using var stream = await content.ReadAsStreamAsync(ct);
        using var body = new MemoryStream();
        var buffer = new byte[81920];
        int read;
        while ((read = await stream.ReadAsync(buffer, ct)) > 0)
        {
            if (body.Length + read > maxBytes)
                throw new CrlFetchException($"{url} sent more than the {maxBytes} bytes accepted.");
            body.Write(buffer, 0, read);
        }
        return body.ToArray();
    }

    /// <summary>DER as it comes; PEM ("-----BEGIN X509 CRL-----") as some CAs publish it, decoded.</summary>
    private static byte[] ToDer(byte[] body, Uri url)
    {
        if (body.Length > 0 && body[0] == 0x30)
            return body;
        var text = Encoding.ASCII.GetString(body);
        if (PemEncoding.TryFind(text, out var fields) && text[fields.Label] == PemLabel)
            return Convert.FromBase64String(text[fields.Base64Data]);
        throw new CrlFetchException($"{url} sent {body.Length} bytes that are neither a DER nor a PEM CRL.");
    }
}

/// <summary>A download: the DER, or null when the server said the CRL held from it is still current (HTTP 304).</summary>
/// <param name="ETag">The entity tag to send next time, if the server gave one.</param>
public sealed record CrlDownload(byte[]? Der, string? ETag);

/// <summary>A CRL download that failed in transport or framing; the CRL held stays in force.</summary>
public sealed class CrlFetchException(string message, Exception? inner = null) : Exception(message, inner);
