using EmbeddedCa;
using EmbeddedCa.Cmp;
using Microsoft.AspNetCore.Connections.Features;
using RaServer.Hosting;

namespace RaServer.Api;

/// <summary>
/// The embedded CA over plain HTTP: CMP (RFC 6712), the CRL, and the CA certificates named in every certificate's
/// CRL distribution point and caIssuers. Served only on the listener of <see cref="EmbeddedCaHosting.AddEmbeddedCaListener"/>,
/// never on the gRPC TLS port.
/// </summary>
internal static partial class EmbeddedCaEndpoints
{
    public const string CmpContentType = "application/pkixcmp";
    public const string CrlContentType = "application/pkix-crl";
    public const string CertificateContentType = "application/pkix-cert";

    // A CMP message with a CSR and a few certificates is a few kB; anything near this is not one.
    private const int MaxCmpMessageBytes = 256 * 1024;

    public static void Map(IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("").AddEndpointFilter(OnlyOnTheCaListener);
        group.MapPost(EmbeddedCaPaths.CmpWellKnown, HandleCmpAsync);
        group.MapPost(EmbeddedCaPaths.CmpPkix, HandleCmpAsync);
        group.MapGet(EmbeddedCaPaths.Crl, GetCrlAsync);
        group.MapGet(EmbeddedCaPaths.IssuingCaCertificate, async (EmbeddedCertificateAuthority ca, CancellationToken ct) =>
            Results.Bytes((await ca.GetMaterialAsync(ct)).Issuing.RawData, CertificateContentType));
        group.MapGet(EmbeddedCaPaths.RootCertificate, async (EmbeddedCertificateAuthority ca, CancellationToken ct) =>
            Results.Bytes((await ca.GetMaterialAsync(ct)).Root.RawData, CertificateContentType));
    }

    private static async Task<IResult> HandleCmpAsync(HttpRequest request, CmpServer cmp, ILogger<CmpServer> logger, CancellationToken ct)
    {
        if (!string.Equals(request.ContentType, CmpContentType, StringComparison.OrdinalIgnoreCase))
            return Results.StatusCode(StatusCodes.Status415UnsupportedMediaType);
        if (request.ContentLength > MaxCmpMessageBytes)
            return Results.StatusCode(StatusCodes.Status413PayloadTooLarge);
        var message = await ReadMessageAsync(request, ct);
        if (message is null)
            return Results.StatusCode(StatusCodes.Status413PayloadTooLarge);
        try
        {
            return Results.Bytes(await cmp.HandleAsync(message, ct), CmpContentType);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Our own failure (the database is away): no CMP answer, so the client knows the outcome is open and may retry.
            CmpFailed(logger, e);
            return Results.StatusCode(StatusCodes.Status500InternalServerError);
        }
    }

    /// <summary>
    /// The body as one array: read straight into it when the client says its length (every CMP client we know does),
    /// so the message is not copied through a growing buffer; null when it is larger than a CMP message can be.
    /// </summary>
    private static async Task<byte[]?> ReadMessageAsync(HttpRequest request, CancellationToken ct)
    {
        if (request.ContentLength is { } length)
        {
            var message = new byte[length];
            await request.Body.ReadExactlyAsync(message, ct);
            return message;
        }
        using var body = new MemoryStream();
        await request.Body.CopyToAsync(body, ct);
        return body.Length > MaxCmpMessageBytes ? null : body.ToArray();
    }

    private static async Task<IResult> GetCrlAsync(HttpContext context, EmbeddedCertificateAuthority ca, CancellationToken ct)
    {
        var crl = await ca.LatestCrlAsync(ct);
        if (crl is null)
            return Results.StatusCode(StatusCodes.Status503ServiceUnavailable);
        // Relying parties may cache until the next CRL is due, but no longer: a status change must show within a second.
        context.Response.Headers.CacheControl = "no-cache";
        return Results.Bytes(crl.Der, CrlContentType, lastModified: crl.ThisUpdate,
            entityTag: new Microsoft.Net.Http.Headers.EntityTagHeaderValue($"\"{crl.CrlNumber}\""));
    }

    private static async ValueTask<object?> OnlyOnTheCaListener(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var items = context.HttpContext.Features.Get<IConnectionItemsFeature>()?.Items;
        if (items is null || !items.ContainsKey(EmbeddedCaHosting.ListenerMarker))
            return Results.NotFound();
        return await next(context);
    }

    [LoggerMessage(EventId = 7151, Level = LogLevel.Error, Message = "Embedded CA: a CMP request failed inside the CA; answered HTTP 500")]
    private static partial void CmpFailed(ILogger logger, Exception exception);
}
