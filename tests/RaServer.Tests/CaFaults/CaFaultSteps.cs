using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Customs.Ra.V1;
using Dapper;
using Google.Protobuf;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Ra.Client.Signing;
using RaServer.Domain;
using RaServer.Hosting;
using RaServer.Workers;
using RaServer.Tests.Harness;

namespace RaServer.Tests.CaFaults;

/// <summary>The outbox row of one application, as the dispatcher left it.</summary>
public sealed record CaRequestState(int Attempts, string? LastError, DateTime? CompletedAt);

/// <summary>Steps the fault tests share: bring an application to FORWARDED, deliver the outbox, read what happened.</summary>
public static class CaFaultSteps
{
    /// <summary>A paid NEW organisation application with its CSR submitted: FORWARDED, with an ISSUE request in the outbox.</summary>
    /// <param name="csrSubject">The CSR's own subject; a CMP CA takes it, the embedded path ignores it.</param>
    public static async Task<(string ApplicationId, byte[] CsrDer)> ForwardNewCertificateAsync(
        RaServerHarness server, WorkflowScenario scenario, string csrSubject = "CN=ra-fault-test, O=Test Firm, C=TW")
    {
        var application = await scenario.SubmitAsync(WorkflowScenario.Content(ServiceType.New, CertificateKind.Organization));
        await scenario.PayAsync(application.PaymentSlip);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var csr = new CertificateRequest(csrSubject, key, HashAlgorithmName.SHA256).CreateSigningRequest();
        var header = RequestSigner.OrganizationHeader(WorkflowScenario.FirmUbn, WorkflowScenario.FirmName);
        var forwarded = await scenario.Applicants.SubmitCsrAsync(new SubmitCsrRequest
        {
            Envelope = server.CompanySigner().Sign(new SubmitCsrPayload
            {
                Header = header, ApplicationId = application.ApplicationId, CsrDer = ByteString.CopyFrom(csr),
            }),
        });
        Assert.Equal(ApplicationState.Forwarded, forwarded.Application.State);
        return (application.ApplicationId, csr);
    }

    public static CaRequestDispatcher Dispatcher(RaServerHarness server) => server.Services.GetRequiredService<CaRequestDispatcher>();

    /// <summary>One dispatcher pass on <paramref name="server"/>: everything due now, one attempt each.</summary>
    public static Task<int> DeliverAsync(RaServerHarness server) => Dispatcher(server).RunOnceAsync(CancellationToken.None);

    public static async Task<CaRequestState> CaRequestAsync(RaServerHarness server, string applicationId)
    {
        await using var connection = new NpgsqlConnection(server.ConnectionString);
        return await connection.QuerySingleAsync<CaRequestState>(
            "SELECT attempts AS Attempts, last_error AS LastError, completed_at AS CompletedAt FROM ca_requests WHERE application_id = @id",
            new { id = Guid.Parse(applicationId) });
    }

    /// <summary>The certificate the RA stored for an application: its serial and DER.</summary>
    public static async Task<(string Serial, byte[] Der)> StoredCertificateAsync(RaServerHarness server, string applicationId)
    {
        await using var connection = new NpgsqlConnection(server.ConnectionString);
        return await connection.QuerySingleAsync<(string, byte[])>(
            "SELECT serial_hex, der FROM certificates WHERE issued_for_application = @id", new { id = Guid.Parse(applicationId) });
    }
}
