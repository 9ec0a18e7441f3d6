using Customs.Ra.V1;
using Grpc.Core;
using Microsoft.Extensions.Options;
using RaServer.Domain;
using RaServer.Storage;
using RaServer.Workflow;
using RaServer.Policy;
using RaServer.Printing;

namespace RaServer.Api;

/// <summary>
/// The applicants' service. Every RPC but GetRaInfo takes a signed envelope and runs through the
/// SignedRequestPipeline. RPCs not overridden here answer UNIMPLEMENTED (README lists them).
/// </summary>
public sealed class RegistrationAuthorityService(
    IOptions<RaInfoOptions> raInfo,
    IOptions<FeeOptions> fees,
    TimeProvider clock,
    SignedRequestPipeline signed,
    ApplicationQueries applications,
    ApplicationAnswerCache answers,
    ApplicationWorkflow workflow,
    ApplicationWatch watch,
    CertificateQueries certificates,
    CertificateListing listing,
    CertificateRegistrations registrations,
    GovernmentCertificateRegistrations governmentRegistrations,
    SlipPdfRenderer slips) : RegistrationAuthority.RegistrationAuthorityBase
{
    public override Task<RegisterCertificateResponse> RegisterCertificate(RegisterCertificateRequest request, ServerCallContext context) =>
        signed.HandleAsync(request.Envelope, RegisterCertificatePayload.Parser, p => p.Header, context, async (call, ct) =>
        {
            var payload = call.Payload;
            if (!TaiwanIdentifiers.IsValidUbn(payload.FirmUbn))
                throw RaException.InvalidField("UBN_INVALID", "firm_ubn", "not a valid unified business number");
            if (payload.SerialHex.Length > 0 == !payload.CertificateDer.IsEmpty)
                throw RaException.InvalidField("REGISTRATION_TARGET_INVALID", "serial_hex",
                    "name the certificate by exactly one of serial_hex and certificate_der");
            var applicant = ApplicantKeyOf(payload.Header);
            var now = clock.GetUtcNow();
            if (!payload.CertificateDer.IsEmpty)
            {
                var government = await governmentRegistrations.RegisterAsync(call.Unit, payload.CertificateDer.ToByteArray(),
                    ProtoEnums.HolderType(payload.HolderKind), payload.FirmUbn, applicant, call.Signer, ct);
                await call.Unit.Audit.RecordAcceptedAsync($"signer:{call.Signer.SerialNumberHex}",
                    context.Method, new { government = government.Sha256, firm = payload.FirmUbn }, now, ct);
                // The envelope was just signed with it, so no CRL lists it: what is left to say is its dates.
                return new RegisterCertificateResponse
                {
                    Certificate = CertificateMapping.ToProto(government,
                        GovernmentPkiPolicy.StateOf(CustomsCertificateStanding.Good, government.NotAfterUtc, now)),
                };
            }
            var serial = CaConnector.SerialNumbers.Canonical(payload.SerialHex);
            var row = await registrations.RegisterAsync(call.Unit, serial, payload.FirmUbn, applicant, ct);
            await call.Unit.Audit.RecordAcceptedAsync($"signer:{call.Signer.SerialNumberHex}",
                context.Method, new { serial, firm = payload.FirmUbn }, now, ct);
            return new RegisterCertificateResponse { Certificate = CertificateMapping.ToProto(row, now) };
        });

    public override async Task<ListCertificatesResponse> ListCertificates(ListCertificatesRequest request, ServerCallContext context)
    {
        var call = signed.Accept(request.Envelope, ListCertificatesPayload.Parser, p => p.Header, context);
        var payload = call.Payload;
        var (listed, next) = await listing.ListAsync(ApplicantKeyOf(payload.Header),
            payload.State == CertificateState.Unspecified ? null : ProtoEnums.ShortName(payload.State),
            payload.Kind == CertificateKind.Unspecified ? null : ProtoEnums.ShortName(payload.Kind),
            payload.PageSize, payload.PageToken, context.CancellationToken);
        var response = new ListCertificatesResponse { NextPageToken = next };
        response.Certificates.AddRange(listed.Select(item => item.Government is { } government
            ? CertificateMapping.ToProto(government, item.GovernmentState!)
            : CertificateMapping.ToProto(item.Customs!, clock.GetUtcNow())));
        return response;
    }

    public override Task<GetRaInfoResponse> GetRaInfo(GetRaInfoRequest request, ServerCallContext context) =>
        Task.FromResult(RaInfoMapping.ToResponse(raInfo.Value, fees.Value));

    public override async Task<SubmitApplicationResponse> SubmitApplication(SubmitApplicationRequest request, ServerCallContext context)
    {
        var response = await signed.HandleAsync(request.Envelope, SubmitApplicationPayload.Parser, p => p.Header, context, async (call, ct) =>
        {
            var draft = ApplicationDraftReader.Read(call.Payload.Header.Applicant, call.Payload.Content);
            var row = await workflow.SubmitAsync(call.Unit, draft, call.Request.RequestId, paper: null, ct);
            var slip = await call.Unit.PaymentSlips.ForApplicationAsync(row.Id, ct);
            return new SubmitApplicationResponse { Application = ApplicationMapping.ToProto(row, slip) };
        });
        return response;
    }

    public override async Task<SubmitCsrResponse> SubmitCsr(SubmitCsrRequest request, ServerCallContext context)
    {
        var response = await signed.HandleAsync(request.Envelope, SubmitCsrPayload.Parser, p => p.Header, context, async (call, ct) =>
        {
            var id = ParseApplicationId(call.Payload.ApplicationId);
            var row = await workflow.SubmitCsrAsync(call.Unit, id, ApplicantKeyOf(call.Payload.Header),
                call.Payload.CsrDer.ToByteArray(), ct);
            return new SubmitCsrResponse { Application = ApplicationMapping.ToProto(row) };
        });
        return response;
    }

    public override async Task<DownloadCertificateResponse> DownloadCertificate(DownloadCertificateRequest request, ServerCallContext context)
    {
        var call = signed.Accept(request.Envelope, DownloadCertificatePayload.Parser, p => p.Header, context);
        var payload = call.Payload;
        var (serial, applicationId) = payload.SelectorCase switch
        {
            DownloadCertificatePayload.SelectorOneofCase.SerialHex => (CaConnector.SerialNumbers.Canonical(payload.SerialHex), (Guid?)null),
            DownloadCertificatePayload.SelectorOneofCase.ApplicationId => ((string?)null, ParseApplicationId(payload.ApplicationId)),
            _ => throw RaException.InvalidField("CERTIFICATE_SELECTOR_MISSING", "selector", "name the certificate by serial_hex or application_id"),
        };
        var certificate = await certificates.FindOwnedAsync(serial, applicationId, ApplicantKeyOf(payload.Header), context.CancellationToken);
        if (certificate?.Der is null)
            throw new RaException(RaErrorKind.NotFound, "CERTIFICATE_NOT_FOUND", "no issued certificate of this applicant matches");
        var response = new DownloadCertificateResponse
        {
            Certificate = CertificateMapping.ToProto(certificate, clock.GetUtcNow()),
            CertificateDer = Google.Protobuf.ByteString.CopyFrom(certificate.Der),
        };
        response.ChainDer.AddRange((certificate.ChainDer ?? []).Select(Google.Protobuf.ByteString.CopyFrom));
        return response;
    }

    public override async Task<GetPaymentSlipResponse> GetPaymentSlip(GetPaymentSlipRequest request, ServerCallContext context)
    {
        var call = signed.Accept(request.Envelope, GetPaymentSlipPayload.Parser, p => p.Header, context);
        var id = ParseApplicationId(call.Payload.ApplicationId);
        var (application, slip) = await applications.GetWithSlipAsync(id, ApplicantKeyOf(call.Payload.Header), context.CancellationToken)
            ?? throw new RaException(RaErrorKind.NotFound, "APPLICATION_NOT_FOUND", "no such application for this applicant");
        if (slip is null)
            throw new RaException(RaErrorKind.NotFound, "SLIP_NOT_ISSUED", "no payment slip has been issued for this application");
        var response = new GetPaymentSlipResponse { PaymentSlip = ApplicationMapping.ToProto(slip) };
        if (ProtoEnums.WantsPdf(call.Payload.Format))
            response.Pdf = Google.Protobuf.ByteString.CopyFrom(slips.Render(application, slip));
        return response;
    }

    public override async Task<GetApplicationResponse> GetApplication(GetApplicationRequest request, ServerCallContext context)
    {
        var call = signed.Accept(request.Envelope, GetApplicationPayload.Parser, p => p.Header, context);
        var id = ParseApplicationId(call.Payload.ApplicationId);
        var application = await answers.GetAsync(id, ApplicantKeyOf(call.Payload.Header), context.CancellationToken)
            ?? throw new RaException(RaErrorKind.NotFound, "APPLICATION_NOT_FOUND", "no such application for this applicant");
        return new GetApplicationResponse { Application = application };
    }

    public override async Task<ListApplicationsResponse> ListApplications(ListApplicationsRequest request, ServerCallContext context)
    {
        var call = signed.Accept(request.Envelope, ListApplicationsPayload.Parser, p => p.Header, context);
        var payload = call.Payload;
        var (rows, next) = await applications.ListAsync(
            ApplicantKeyOf(payload.Header),
            payload.State == ApplicationState.Unspecified ? null : ProtoEnums.ShortName(payload.State),
            payload.ServiceType == ServiceType.Unspecified ? null : ProtoEnums.ShortName(payload.ServiceType),
            payload.PageSize, payload.PageToken, context.CancellationToken);
        var response = new ListApplicationsResponse { NextPageToken = next };
        response.Applications.AddRange(rows.Select(row => ApplicationMapping.ToProto(row)));
        return response;
    }

    public override Task WatchApplication(WatchApplicationRequest request, IServerStreamWriter<WatchApplicationResponse> responseStream, ServerCallContext context) =>
        watch.WatchAsync(request, responseStream, context);

    /// <summary>The header's applicant, already bound to the signer by the pipeline.</summary>
    private static ApplicantKey ApplicantKeyOf(RequestHeader header) =>
        header.Applicant.IdentityCase == Applicant.IdentityOneofCase.Organization
            ? new ApplicantKey(header.Applicant.Organization.Ubn, null)
            : new ApplicantKey(null, header.Applicant.Person.NationalId);

    internal static Guid ParseApplicationId(string text) =>
        Guid.TryParseExact(text, "D", out var id)
            ? id
            : throw RaException.InvalidField("APPLICATION_ID_INVALID", "application_id", "application_id must be a UUID");
}
