using CaConnector;
using CaConnector.Resilience;
using RaServer.Domain;
using RaServer.Hosting;

namespace RaServer.Workers;

/// <summary>Which CA the outbox dispatcher talks to.</summary>
public enum CaMode
{
    /// <summary>The embedded CA in this process (the default: one machine runs everything).</summary>
    Embedded,

    /// <summary>An external CA over CMP (RFC 4210/9480 over HTTP), through the resilience pipeline.</summary>
    Cmp,
}

/// <summary>Configuration section "Ca": the CA behind the dispatcher (docs/ARCHITECTURE.md §3, docs/CMP.md).</summary>
public sealed class CaGatewayOptions
{
    public const string Section = "Ca";

    /// <summary>Embedded (default) or Cmp. The settings below are read only for Cmp.</summary>
    public CaMode Mode { get; set; } = CaMode.Embedded;

    /// <summary>
    /// Where and how to speak CMP (Ca:Cmp:ServerUri, Path, RaCertificatePath, RaKeyPath, CaServerCertificatePath, the
    /// poll limits); see <see cref="CmpOptions"/> for each. The RA's certificate is the one the CA trusts as its RA.
    /// </summary>
    public CmpOptions Cmp { get; set; } = new();

    /// <summary>
    /// Timeout per attempt, in-call retries and the circuit breaker (Ca:Resilience:*); see <see cref="CaResilienceOptions"/>.
    /// The outbox retries on its own schedule after the call gives up, so in-call retries only smooth over blips.
    /// </summary>
    public CaResilienceOptions Resilience { get; set; } = new();

    /// <summary>
    /// PEM file of the CA certificate that issues the RA's certificates. An rr names the certificate by issuer and
    /// serial; the issuer is read from the RA's stored copy of the certificate, and from this certificate's subject
    /// when the RA holds no copy (records imported from before the RA issued through this CA). Required for Cmp.
    /// </summary>
    public string? IssuingCaCertificatePath { get; set; }

    /// <summary>Every problem with the Cmp settings, none for Embedded; the host refuses to start on any.</summary>
    public IReadOnlyList<string> Problems()
    {
        if (Mode != CaMode.Cmp)
            return [];
        var problems = new List<string>();
        Collect(problems, Cmp.Validate);
        Collect(problems, Resilience.Validate);
        if (string.IsNullOrEmpty(IssuingCaCertificatePath))
            problems.Add("Ca:IssuingCaCertificatePath is required when Ca:Mode is Cmp.");
        foreach (var path in new[] { Cmp.RaCertificatePath, Cmp.RaKeyPath, Cmp.CaServerCertificatePath, IssuingCaCertificatePath })
        {
            if (!string.IsNullOrEmpty(path) && !File.Exists(path))
                problems.Add($"Ca: '{path}' does not exist.");
        }
        return problems;
    }

    private static void Collect(List<string> problems, Action validate)
    {
        try
        {
            validate();
        }
        catch (ArgumentException e)
        {
            problems.Add(e.Message);
        }
    }
}
