using System.Security.Cryptography.X509Certificates;
using CaConnector;

namespace RaServer.Workers;

/// <summary>
/// What the CA did with one leased request, found while no transaction is open and recorded afterwards in the batch's
/// unit of work (<see cref="CaRequestDispatcher"/>).
/// </summary>
internal abstract record CaOutcome
{
    private CaOutcome() { }

    /// <summary>The CA's answer, and its certificate parsed once (checked against the CSR's key) for the record.</summary>
    public sealed record Issued(CaIssuedCertificate Answer, X509Certificate2 Certificate) : CaOutcome;

    /// <summary>The hold, release or revocation is in force at the CA (done now, or found done before).</summary>
    public sealed record StatusChanged : CaOutcome;

    public sealed record Refused(CaRefusedException Refusal) : CaOutcome;

    /// <summary>An issue written before the RA stored its certificate decision; never sent.</summary>
    public sealed record Undecided : CaOutcome;

    /// <summary>Transient: the CA unreachable, slow, answering 5xx, its outcome unknown. Tried again later.</summary>
    public sealed record Retry(Exception Failure) : CaOutcome;
}
