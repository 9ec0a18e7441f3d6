using Customs.Ra.V1;
using Google.Protobuf;
using Grpc.Core;
using RaServer.Domain;
using RaServer.Storage;
using RaServer.Workflow;
using RaServer.Policy;
using RaServer.Printing;

namespace RaServer.Api;

/// <summary>
/// Customs office clerks (role officer, mTLS): paper applications, their rejection and slips. An office acts
/// only on its own paper applications; another office's are NOT_FOUND. The broker staff RPCs (RecordMandate,
/// EndMandate, DisqualifyBroker) belong to the registration issue and answer UNIMPLEMENTED until then.
/// </summary>
public sealed class CustomsOfficeService(
    PaperApplications paper, ApplicationQueries applications, BrokerStaffChanges staffChanges,
    SlipPdfRenderer slips)
    : CustomsOffice.CustomsOfficeBase
{
    public override async Task<RecordMandateResponse> RecordMandate(RecordMandateRequest request, ServerCallContext context)
    {
        var (mandate, problems) = RegistryMapping.ToRecord(request.Mandate ?? new Mandate(), "mandate.");
        if (mandate is null)
            throw new RaException(RaErrorKind.Invalid, RegistryReasons.InvalidRecord, $"the mandate is invalid: {problems[0].Description}", problems);
        var recorded = await staffChanges.RecordMandateAsync(mandate, ActorOf(context, request.ClerkId), context.CancellationToken);
        return new RecordMandateResponse { Mandate = RegistryMapping.ToProto(recorded) };
    }

    public override async Task<EndMandateResponse> EndMandate(EndMandateRequest request, ServerCallContext context)
    {
        var end = RegistryMapping.ParseRequiredDate(request.EndDate, "end_date");
        var ended = await staffChanges.EndMandateAsync(request.NationalId, request.FirmUbn, end, ActorOf(context, request.ClerkId), context.CancellationToken);
        return new EndMandateResponse { Mandate = RegistryMapping.ToProto(ended) };
    }

    public override async Task<DisqualifyBrokerResponse> DisqualifyBroker(DisqualifyBrokerRequest request, ServerCallContext context)
    {
        var effective = RegistryMapping.ParseRequiredDate(request.EffectiveDate, "effective_date");
        if (string.IsNullOrWhiteSpace(request.Reason))
            throw RaException.InvalidField("DISQUALIFICATION_REASON_REQUIRED", "reason", "the reason for the disqualification is required");
        var staff = await staffChanges.DisqualifyAsync(request.NationalId, effective, request.Reason, ActorOf(context, request.ClerkId), context.CancellationToken);
        return new DisqualifyBrokerResponse { BrokerStaff = RegistryMapping.ToProto(staff) };
    }

    private static string ActorOf(ServerCallContext context, string clerkId) =>
        $"client:{context.GetSystemCaller().Name}/clerk:{(string.IsNullOrWhiteSpace(clerkId) ? "-" : clerkId)}";

    public override async Task<ListOfficeApplicationsResponse> ListOfficeApplications(ListOfficeApplicationsRequest request, ServerCallContext context)
    {
        var (rows, next) = await applications.ListForOfficeAsync(
            OfficeOf(context),
            request.State == ApplicationState.Unspecified ? null : ProtoEnums.ShortName(request.State),
            request.Channel == ApplicationChannel.Unspecified ? null : ProtoEnums.ShortName(request.Channel),
            request.PageSize, request.PageToken, context.CancellationToken);
        var response = new ListOfficeApplicationsResponse { NextPageToken = next };
        response.Applications.AddRange(rows.Select(row => ApplicationMapping.ToProto(row)));
        return response;
    }

    public override async Task<IntakePaperApplicationResponse> IntakePaperApplication(IntakePaperApplicationRequest request, ServerCallContext context)
    {
        var office = OfficeOf(context);
        if (!Guid.TryParseExact(request.RequestId, "D", out _))
            throw RaException.InvalidField("REQUEST_ID_INVALID", "request_id", "request_id must be a UUID in its 36-character form");
        if (request.ReceivingOfficeCode.Length > 0 && request.ReceivingOfficeCode != office)
            throw new RaException(RaErrorKind.PermissionDenied, "OFFICE_MISMATCH",
                $"this clerk works at office {office}, not {request.ReceivingOfficeCode}", [new FieldProblem("receiving_office_code", $"must be {office}")]);
        if (string.IsNullOrWhiteSpace(request.ClerkId))
            throw RaException.InvalidField("CLERK_ID_REQUIRED", "clerk_id", "the clerk's id is required");
        if (!request.SealsChecked)
            throw RaException.InvalidField("SEALS_NOT_CHECKED", "seals_checked", "the clerk must confirm the company seals were checked");
        var draft = ApplicationDraftReader.Read(request.Applicant, request.Content);

        var (row, slip) = await paper.IntakeAsync(draft, request.RequestId, new PaperIntakeInfo(office, request.ClerkId), context.CancellationToken);
        return new IntakePaperApplicationResponse { Application = ApplicationMapping.ToProto(row, slip) };
    }

    public override async Task<RejectApplicationResponse> RejectApplication(RejectApplicationRequest request, ServerCallContext context)
    {
        var office = OfficeOf(context);
        var id = RegistrationAuthorityService.ParseApplicationId(request.ApplicationId);
        if (request.Reasons.Count == 0 || request.Reasons.Any(r => string.IsNullOrWhiteSpace(r.Code) || string.IsNullOrWhiteSpace(r.Text)))
            throw RaException.InvalidField("REJECTION_REASONS_REQUIRED", "reasons", "at least one reason, each with a code and a text, is required");

        var reasons = request.Reasons.Select(r => new Rejection(r.Code, r.Text, r.Field.Length == 0 ? null : r.Field)).ToList();
        var clerk = string.IsNullOrWhiteSpace(request.ClerkId) ? context.GetSystemCaller().Name : request.ClerkId;
        var (rejected, slip) = await paper.RejectAsync(id, office, clerk, reasons, context.CancellationToken);
        return new RejectApplicationResponse { Application = ApplicationMapping.ToProto(rejected, slip) };
    }

    public override async Task<PrintPaymentSlipResponse> PrintPaymentSlip(PrintPaymentSlipRequest request, ServerCallContext context)
    {
        var office = OfficeOf(context);
        var id = RegistrationAuthorityService.ParseApplicationId(request.ApplicationId);
        var (application, slip) = await paper.SlipAsync(id, office, context.CancellationToken)
            ?? throw new RaException(RaErrorKind.NotFound, "SLIP_NOT_ISSUED", "no payment slip for an application of this office has this id");
        var response = new PrintPaymentSlipResponse { PaymentSlip = ApplicationMapping.ToProto(slip) };
        if (ProtoEnums.WantsPdf(request.Format))
            response.Pdf = ByteString.CopyFrom(slips.Render(application, slip));
        return response;
    }

    private static string OfficeOf(ServerCallContext context) =>
        context.GetSystemCaller().OfficeCode
        ?? throw new RaException(RaErrorKind.PermissionDenied, "OFFICE_CODE_MISSING", "this officer client has no office code configured");
}
