using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Customs.Ra.V1;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Ra.Client.Signing;
using RaServer.FaultTests.Fixtures;
using RaServer.Tests.Harness;

namespace RaServer.FaultTests.Load;

/// <summary>
/// Concurrent applicants, spread over both replicas round-robin, each running the journey of a new organisation
/// certificate again and again: submit, pay (the fee system), submit the CSR. Every request is built once and
/// retried unchanged (<see cref="RetryingCaller"/>); each acknowledgement goes into the <see cref="Ledger"/>, and
/// each application gets a watcher on the replica its journey started on.
/// </summary>
public sealed class JourneyLoad(ReplicaPair pair, Ledger ledger, EventWatchers watchers)
{
    private readonly RetryingCaller _caller = new(ledger, pair.Replicas.Count);
    private int _journeys;
    private int _next;

    /// <summary>Journeys begun.</summary>
    public int Journeys => Volatile.Read(ref _journeys);

    /// <summary>Runs <paramref name="clients"/> applicants until <paramref name="stop"/>; a journey under way is finished first.</summary>
    public Task RunAsync(int clients, CancellationToken stop) =>
        Task.WhenAll(Enumerable.Range(0, clients).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
                await JourneyAsync(Interlocked.Increment(ref _next) % pair.Replicas.Count);
        })));

    /// <summary>Only the first two steps: applications waiting for a key, for a burst of CSRs later.</summary>
    public async Task<string?> SubmitAndPayAsync(int replica)
    {
        Interlocked.Increment(ref _journeys);
        var application = await SubmitAsync(replica);
        if (application is null || !await PayAsync(replica, application))
            return null;
        return application.ApplicationId;
    }

    public async Task JourneyAsync(int replica)
    {
        if (await SubmitAndPayAsync(replica) is { } applicationId)
            await SubmitCsrAsync(replica, applicationId);
    }

    private async Task<Application?> SubmitAsync(int replica)
    {
        var header = RequestSigner.OrganizationHeader(WorkflowScenario.FirmUbn, WorkflowScenario.FirmName);
        var request = new SubmitApplicationRequest
        {
            Envelope = pair.Signer.Sign(new SubmitApplicationPayload
            {
                Header = header, Content = WorkflowScenario.Content(ServiceType.New, CertificateKind.Organization),
            }),
        };
        var answer = await _caller.CallAsync("SubmitApplication", replica,
            (r, options) => pair.Applicants(r).SubmitApplicationAsync(request, options).ResponseAsync);
        if (answer is null)
            return null;
        var application = answer.Application;
        ledger.Acknowledge(application.ApplicationId, Acknowledged.Submitted, header.RequestId);
        watchers.WatchApplication(application.ApplicationId, replica);
        if (application.State != ApplicationState.AwaitingPayment)
        {
            ledger.Note($"application {application.ApplicationId} is {application.State}: {string.Join(", ", application.RejectionReasons)}");
            return null;
        }
        return application;
    }

    private async Task<bool> PayAsync(int replica, Application application)
    {
        var request = new ConfirmPaymentRequest
        {
            SlipNumber = application.PaymentSlip.SlipNumber,
            AmountNtd = application.PaymentSlip.AmountNtd,
            PaidAt = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow),
            // The fee system's idempotency key: a retried confirmation is the same payment.
            ReceiptReference = $"RCPT-{application.ApplicationId}",
        };
        var answer = await _caller.CallAsync("ConfirmPayment", replica,
            (r, options) => pair.Fees(r).ConfirmPaymentAsync(request, options).ResponseAsync);
        if (answer is null)
            return false;
        ledger.Acknowledge(application.ApplicationId, Acknowledged.Paid, request.ReceiptReference);
        return true;
    }

    /// <summary>The last step; returns whether the RA acknowledged it.</summary>
    public async Task<bool> SubmitCsrAsync(int replica, string applicationId)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var csr = new CertificateRequest("CN=applicant", key, HashAlgorithmName.SHA256).CreateSigningRequest();
        var header = RequestSigner.OrganizationHeader(WorkflowScenario.FirmUbn, WorkflowScenario.FirmName);
        var request = new SubmitCsrRequest
        {
            Envelope = pair.Signer.Sign(new SubmitCsrPayload
            {
                Header = header, ApplicationId = applicationId, CsrDer = ByteString.CopyFrom(csr),
            }),
        };
        var answer = await _caller.CallAsync("SubmitCsr", replica,
            (r, options) => pair.Applicants(r).SubmitCsrAsync(request, options).ResponseAsync);
        if (answer is null)
            return false;
        ledger.Acknowledge(applicationId, Acknowledged.KeySubmitted, header.RequestId);
        if (answer.Application.State is not (ApplicationState.Forwarded or ApplicationState.Completed))
            ledger.Note($"application {applicationId} is {answer.Application.State} after its CSR");
        return true;
    }
}
