using System.Runtime.CompilerServices;
using System.Security.Cryptography.X509Certificates;
using Customs.Ra.V1;
using Google.Protobuf;
using Grpc.Core;
using Ra.Client.Signing;

namespace Ra.Client.Calls;

/// <summary>
/// An operator or broker online: every RPC of RegistrationAuthority, signed with the applicant's certificate (MOEACA
/// for a company, MOICA for a person). Each call gets a request id of its own and is signed once; a retry re-sends the
/// very same envelope, which the RA answers with its first answer, so repeating a state change is always safe.
/// </summary>
public sealed class ApplicantClient
{
    private readonly RaConnection connection;
    private readonly RequestSigner signer;
    private readonly Applicant applicant;
    private readonly RegistrationAuthority.RegistrationAuthorityClient rpc;

    /// <param name="applicant">Who signs, as the RA must see it in each header: the organization (UBN and name) or the person.</param>
    public ApplicantClient(RaConnection connection, X509Certificate2 signingCertificate, Applicant applicant, TimeProvider? clock = null)
    {
        this.connection = connection;
        this.applicant = applicant;
        signer = new RequestSigner(signingCertificate, clock);
        rpc = new RegistrationAuthority.RegistrationAuthorityClient(connection.Channel);
    }

    public static Applicant Organization(string ubn, string name) => new() { Organization = new OrganizationIdentity { Ubn = ubn, Name = name } };

    public static Applicant Person(string nationalId, string name) => new() { Person = new PersonIdentity { NationalId = nationalId, Name = name } };

    public Task<GetRaInfoResponse> GetRaInfoAsync(CancellationToken ct = default) =>
        connection.CallAsync(o => rpc.GetRaInfoAsync(new GetRaInfoRequest(), o), ct);

    /// <param name="requestId">To resume a submission whose answer was lost in an earlier run: the same id and content.</param>
    public async Task<Application> SubmitApplicationAsync(ApplicationContent content, string? requestId = null, CancellationToken ct = default)
    {
        var envelope = Sign(new SubmitApplicationPayload { Header = Header(requestId), Content = content });
        return (await connection.CallAsync(o => rpc.SubmitApplicationAsync(new SubmitApplicationRequest { Envelope = envelope }, o), ct)).Application;
    }

    public async Task<Application> GetApplicationAsync(string applicationId, CancellationToken ct = default)
    {
        var envelope = Sign(new GetApplicationPayload { Header = Header(), ApplicationId = applicationId });
        return (await connection.CallAsync(o => rpc.GetApplicationAsync(new GetApplicationRequest { Envelope = envelope }, o), ct)).Application;
    }

    /// <param name="pdf">Also the printable A4 slip (GetPaymentSlipResponse.pdf).</param>
    public Task<GetPaymentSlipResponse> GetPaymentSlipAsync(string applicationId, bool pdf = false, CancellationToken ct = default)
    {
        var envelope = Sign(new GetPaymentSlipPayload
        {
            Header = Header(), ApplicationId = applicationId, Format = pdf ? SlipFormat.Pdf : SlipFormat.Unspecified,
        });
        return connection.CallAsync(o => rpc.GetPaymentSlipAsync(new GetPaymentSlipRequest { Envelope = envelope }, o), ct);
    }

    public async Task<Application> SubmitCsrAsync(string applicationId, byte[] csrDer, CancellationToken ct = default)
    {
        var envelope = Sign(new SubmitCsrPayload { Header = Header(), ApplicationId = applicationId, CsrDer = ByteString.CopyFrom(csrDer) });
        return (await connection.CallAsync(o => rpc.SubmitCsrAsync(new SubmitCsrRequest { Envelope = envelope }, o), ct)).Application;
    }

    public Task<DownloadCertificateResponse> DownloadByApplicationAsync(string applicationId, CancellationToken ct = default) =>
        DownloadAsync(new DownloadCertificatePayload { Header = Header(), ApplicationId = applicationId }, ct);

    public Task<DownloadCertificateResponse> DownloadBySerialAsync(string serialHex, CancellationToken ct = default) =>
        DownloadAsync(new DownloadCertificatePayload { Header = Header(), SerialHex = serialHex }, ct);

    private Task<DownloadCertificateResponse> DownloadAsync(DownloadCertificatePayload payload, CancellationToken ct)
    {
        var envelope = Sign(payload);
        return connection.CallAsync(o => rpc.DownloadCertificateAsync(new DownloadCertificateRequest { Envelope = envelope }, o), ct);
    }

    /// <summary>Registers a customs-dedicated certificate of ours for Single Window messaging at <paramref name="firmUbn"/>.</summary>
    public Task<Certificate> RegisterAsync(string serialHex, string firmUbn, CancellationToken ct = default) =>
        RegisterAsync(new RegisterCertificatePayload { Header = Header(), SerialHex = serialHex, FirmUbn = firmUbn }, ct);

    /// <summary>Registers a government PKI certificate (DER) for the kind of holder its CA serves; the signer must be that certificate.</summary>
    public Task<Certificate> RegisterGovernmentCertificateAsync(byte[] certificateDer, GovernmentHolderKind holderKind, string firmUbn, CancellationToken ct = default) =>
        RegisterAsync(new RegisterCertificatePayload
        {
            Header = Header(), CertificateDer = ByteString.CopyFrom(certificateDer), HolderKind = holderKind, FirmUbn = firmUbn,
        }, ct);

    private async Task<Certificate> RegisterAsync(RegisterCertificatePayload payload, CancellationToken ct)
    {
        var envelope = Sign(payload);
        return (await connection.CallAsync(o => rpc.RegisterCertificateAsync(new RegisterCertificateRequest { Envelope = envelope }, o), ct)).Certificate;
    }

    /// <summary>Every application of the applicant matching the filters, following the pages.</summary>
    /// <param name="pageSize">Items per page asked of the RA; 0 takes the server's default.</param>
    public IAsyncEnumerable<Application> ListApplicationsAsync(
        ApplicationState state = ApplicationState.Unspecified, ServiceType serviceType = ServiceType.Unspecified, int pageSize = 0,
        CancellationToken ct = default) =>
        connection.PagesAsync(
            (token, o) => rpc.ListApplicationsAsync(new ListApplicationsRequest
            {
                Envelope = Sign(new ListApplicationsPayload
                {
                    Header = Header(), PageToken = token, State = state, ServiceType = serviceType, PageSize = pageSize,
                }),
            }, o),
            (ListApplicationsResponse page) => (page.Applications, page.NextPageToken), ct);

    /// <summary>Every certificate that concerns the applicant, following the pages.</summary>
    public IAsyncEnumerable<Certificate> ListCertificatesAsync(
        CertificateState state = CertificateState.Unspecified, CertificateKind kind = CertificateKind.Unspecified, int pageSize = 0,
        CancellationToken ct = default) =>
        connection.PagesAsync(
            (token, o) => rpc.ListCertificatesAsync(new ListCertificatesRequest
            {
                Envelope = Sign(new ListCertificatesPayload
                {
                    Header = Header(), PageToken = token, State = state, Kind = kind, PageSize = pageSize,
                }),
            }, o),
            (ListCertificatesResponse page) => (page.Certificates, page.NextPageToken), ct);

    /// <summary>
    /// The application's events after <paramref name="afterSequence"/>, live, until the RA ends the stream (the
    /// application is final). A stream cut without an answer is opened again after the last sequence seen, so no event
    /// is missed or repeated; the attempts of the call policy count the reconnections in a row that got no event.
    /// </summary>
    public IAsyncEnumerable<ApplicationEvent> WatchApplicationAsync(string applicationId, long afterSequence = 0, CancellationToken ct = default) =>
        WatchAsync(after => new WatchApplicationPayload { Header = Header(), ApplicationId = applicationId, AfterSequence = after }, afterSequence, ct);

    /// <summary>Like <see cref="WatchApplicationAsync"/> for every application of the applicant; it never ends by itself.</summary>
    public IAsyncEnumerable<ApplicationEvent> WatchAllApplicationsAsync(long afterSequence = 0, CancellationToken ct = default) =>
        WatchAsync(after => new WatchApplicationPayload { Header = Header(), AllApplications = true, AfterSequence = after }, afterSequence, ct);

    private async IAsyncEnumerable<ApplicationEvent> WatchAsync(
        Func<long, WatchApplicationPayload> payloadAfter, long afterSequence, [EnumeratorCancellation] CancellationToken ct)
    {
        var last = afterSequence;
        var pause = connection.Policy.FirstPause;
        for (var quietAttempts = 1; ; quietAttempts++)
        {
            using var call = rpc.WatchApplication(new WatchApplicationRequest { Envelope = Sign(payloadAfter(last)) }, cancellationToken: ct);
            var stream = call.ResponseStream;
            while (true)
            {
                bool more;
                try
                {
                    more = await stream.MoveNext(ct);
                }
                catch (RpcException e) when (CallPolicy.IsUnanswered(e, ct))
                {
                    if (quietAttempts >= connection.Policy.MaxAttempts)
                        throw new RaUnreachableException(connection.Address, quietAttempts, e);
                    break;
                }
                catch (RpcException e) when (!ct.IsCancellationRequested)
                {
                    throw CallPolicy.Refusal(e, connection.Address);
                }
                if (!more)
                    yield break;
                var next = stream.Current.Event;
                if (next.Sequence <= last)
                    continue; // already seen before a reconnection
                last = next.Sequence;
                quietAttempts = 0;
                pause = connection.Policy.FirstPause;
                yield return next;
            }
            await Task.Delay(pause, ct);
            pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, connection.Policy.MaxPause.Ticks));
        }
    }

    private RequestHeader Header(string? requestId = null) => new()
    {
        RequestId = requestId ?? Guid.NewGuid().ToString("D"),
        Applicant = applicant.Clone(),
    };

    private SignedEnvelope Sign(IMessage payload) => signer.Sign(payload);
}
