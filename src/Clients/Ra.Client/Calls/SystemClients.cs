using Customs.Ra.V1;

namespace Ra.Client.Calls;

// The callers that authenticate with their mTLS certificate (the connection's client certificate). Each method is one
// RPC under the connection's call policy; the requests are the contract's own messages.

/// <summary>The fee system: confirms payments (idempotent by receipt reference).</summary>
public sealed class FeesClient(RaConnection connection)
{
    private readonly Payments.PaymentsClient rpc = new(connection.Channel);

    public Task<ConfirmPaymentResponse> ConfirmPaymentAsync(ConfirmPaymentRequest request, CancellationToken ct = default) =>
        connection.CallAsync(o => rpc.ConfirmPaymentAsync(request, o), ct);
}

/// <summary>Other government systems: is a signed customs message from a qualified holder, and a certificate's status.</summary>
public sealed class VerifierClient(RaConnection connection)
{
    private readonly Verification.VerificationClient rpc = new(connection.Channel);

    public Task<VerifySignedMessageResponse> VerifySignedMessageAsync(VerifySignedMessageRequest request, CancellationToken ct = default) =>
        connection.CallAsync(o => rpc.VerifySignedMessageAsync(request, o), ct);

    public Task<GetCertificateStatusResponse> GetCertificateStatusAsync(GetCertificateStatusRequest request, CancellationToken ct = default) =>
        connection.CallAsync(o => rpc.GetCertificateStatusAsync(request, o), ct);
}

/// <summary>The customs registry feed (upserts are idempotent by their keys).</summary>
public sealed class RegistryClient(RaConnection connection)
{
    private readonly Registry.RegistryClient rpc = new(connection.Channel);

    public Task<UpsertOperatorResponse> UpsertOperatorAsync(UpsertOperatorRequest request, CancellationToken ct = default) =>
        connection.CallAsync(o => rpc.UpsertOperatorAsync(request, o), ct);

    public Task<UpsertBrokerStaffResponse> UpsertBrokerStaffAsync(UpsertBrokerStaffRequest request, CancellationToken ct = default) =>
        connection.CallAsync(o => rpc.UpsertBrokerStaffAsync(request, o), ct);

    public Task<UpsertMandateResponse> UpsertMandateAsync(UpsertMandateRequest request, CancellationToken ct = default) =>
        connection.CallAsync(o => rpc.UpsertMandateAsync(request, o), ct);
}

/// <summary>A customs office clerk: paper applications, rejections at the counter, slips, broker staff changes.</summary>
public sealed class OfficeClient(RaConnection connection)
{
    private readonly CustomsOffice.CustomsOfficeClient rpc = new(connection.Channel);

    /// <summary>A paper application; give it a request id of its own (RequestSigner-style UUID) so a retry is replayed.</summary>
    public Task<IntakePaperApplicationResponse> IntakePaperApplicationAsync(IntakePaperApplicationRequest request, CancellationToken ct = default)
    {
        if (request.RequestId.Length == 0)
            request.RequestId = Guid.NewGuid().ToString("D");
        return connection.CallAsync(o => rpc.IntakePaperApplicationAsync(request, o), ct);
    }

    public Task<RejectApplicationResponse> RejectApplicationAsync(RejectApplicationRequest request, CancellationToken ct = default) =>
        connection.CallAsync(o => rpc.RejectApplicationAsync(request, o), ct);

    public Task<PrintPaymentSlipResponse> PrintPaymentSlipAsync(PrintPaymentSlipRequest request, CancellationToken ct = default) =>
        connection.CallAsync(o => rpc.PrintPaymentSlipAsync(request, o), ct);

    /// <summary>Every paper application of the office matching <paramref name="filter"/> (its page_token is managed here).</summary>
    public IAsyncEnumerable<Application> ListOfficeApplicationsAsync(ListOfficeApplicationsRequest filter, CancellationToken ct = default) =>
        connection.PagesAsync(
            (token, o) => rpc.ListOfficeApplicationsAsync(new ListOfficeApplicationsRequest(filter) { PageToken = token }, o),
            (ListOfficeApplicationsResponse page) => (page.Applications, page.NextPageToken), ct);

    public Task<RecordMandateResponse> RecordMandateAsync(RecordMandateRequest request, CancellationToken ct = default) =>
        connection.CallAsync(o => rpc.RecordMandateAsync(request, o), ct);

    /// <summary>Not repeatable: a second EndMandate is refused (NO_OPEN_MANDATE), so a lost answer is OutcomeUnknown.</summary>
    public Task<EndMandateResponse> EndMandateAsync(EndMandateRequest request, CancellationToken ct = default) =>
        connection.CallAsync(o => rpc.EndMandateAsync(request, o), ct, repeatable: false);

    /// <summary>Not repeatable: a second disqualification is recorded again, so a lost answer is OutcomeUnknown.</summary>
    public Task<DisqualifyBrokerResponse> DisqualifyBrokerAsync(DisqualifyBrokerRequest request, CancellationToken ct = default) =>
        connection.CallAsync(o => rpc.DisqualifyBrokerAsync(request, o), ct, repeatable: false);
}
