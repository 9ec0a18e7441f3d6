using System.Net;
using System.Net.Http.Headers;

namespace CaConnector.Cmp;

/// <summary>
/// CMP over HTTP (RFC 6712): one POST per message, application/pkixcmp both ways. Sorts every failure that comes
/// before a CMP answer into "the CA may or may not have seen it" for the retry rules of docs/CMP.md.
/// </summary>
internal sealed class CmpHttpTransport(HttpClient http, Uri endpoint)
{
    public const string ContentType = "application/pkixcmp";

    public async Task<byte[]> PostAsync(byte[] message, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new ByteArrayContent(message) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(ContentType);
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            ThrowUnlessCmpAnswer(response);
            return await response.Content.ReadAsByteArrayAsync(cancellationToken);
        }
        catch (HttpRequestException e)
        {
            throw new CaUnavailableException($"CMP request to {endpoint} failed: {e.Message}", MayHaveReachedCa(e), e);
        }
        catch (IOException e)
        {
            throw new CaUnavailableException($"CMP answer from {endpoint} broke off: {e.Message}", requestMayHaveReachedCa: true, e);
        }
    }

    // Only a failed connection proves the request never left; a connection that breaks later may have delivered it.
    private static bool MayHaveReachedCa(HttpRequestException e) => e.HttpRequestError switch
    {
        HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError or HttpRequestError.SecureConnectionError => false,
        _ => true,
    };

    private void ThrowUnlessCmpAnswer(HttpResponseMessage response)
    {
        var status = (int)response.StatusCode;
        // 503 and 429 say the server did not take the request on; a 500/502/504 may come after the CA acted.
        if (response.StatusCode is HttpStatusCode.ServiceUnavailable or HttpStatusCode.TooManyRequests)
            throw new CaUnavailableException($"CA at {endpoint} answered HTTP {status}", requestMayHaveReachedCa: false);
        if (status >= 500)
            throw new CaUnavailableException($"CA at {endpoint} answered HTTP {status}", requestMayHaveReachedCa: true);
        // Anything else that is not a CMP message is a configuration or protocol fault that retrying will not fix.
        if (!response.IsSuccessStatusCode)
            throw new CaRefusedException(CmpFailureInfo.None, $"CA at {endpoint} answered HTTP {status} without a CMP message");
        var mediaType = response.Content.Headers.ContentType?.MediaType;
        if (!string.Equals(mediaType, ContentType, StringComparison.OrdinalIgnoreCase))
            throw new CaRefusedException(CmpFailureInfo.BadDataFormat, $"CA at {endpoint} answered with content type '{mediaType}', not {ContentType}");
    }
}
