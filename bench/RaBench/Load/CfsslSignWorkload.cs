using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace RaBench.Load;

/// <summary>
/// T7's baseline: `cfssl serve`'s /api/v1/cfssl/sign (job.ServerAddress) for the same CSRs (Args: csrs), PEM in JSON,
/// bodies built before the clock; an answer counts when cfssl says success and returns a certificate.
/// </summary>
public sealed class CfsslSignWorkload : ILoadWorkload
{
    private HttpClient _http = null!;
    private Uri _endpoint = null!;
    private byte[][] _bodies = [];

    public Task PrepareAsync(LoadJob job, CancellationToken ct)
    {
        _endpoint = new Uri(job.ServerAddress);
        _bodies = CmpHttp.ReadCsrs(job)
            .Select(der => JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string> { ["certificate_request"] = Pem(der) }))
            .ToArray();
        _http = CmpHttp.Create(job);
        return Task.CompletedTask;
    }

    public async Task OperationAsync(long n)
    {
        using var content = new ByteArrayContent(_bodies[n % _bodies.Length]);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        using var response = await _http.PostAsync(_endpoint, content);
        var body = await response.Content.ReadAsByteArrayAsync();
        using var answer = JsonDocument.Parse(body);
        var root = answer.RootElement;
        if (!response.IsSuccessStatusCode || !root.GetProperty("success").GetBoolean()
            || !root.GetProperty("result").TryGetProperty("certificate", out var certificate)
            || !certificate.GetString()!.StartsWith("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal))
            throw new InvalidOperationException($"cfssl answered HTTP {(int)response.StatusCode}: {Encoding.UTF8.GetString(body)}");
    }

    private static string Pem(byte[] der) => new(PemEncoding.Write("CERTIFICATE REQUEST", der));

    public ValueTask DisposeAsync()
    {
        _http?.Dispose();
        return ValueTask.CompletedTask;
    }
}
