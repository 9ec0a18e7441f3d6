using Customs.Ra.V1;
using RaServer.Domain;
using RaServer.Workflow;

namespace RaServer.Api;

/// <summary>A validated WatchApplication request: one application or all of the applicant's, and the resume cursor.</summary>
public sealed record WatchScope(ApplicantKey Applicant, Guid? ApplicationId, long AfterSequence)
{
    /// <summary>The payload's scope, checked field by field; the applicant in the header is already bound to the signer.</summary>
    public static WatchScope From(WatchApplicationPayload payload)
    {
        var problems = new List<FieldProblem>();
        Guid? applicationId = null;
        switch (payload.ScopeCase)
        {
            case WatchApplicationPayload.ScopeOneofCase.ApplicationId:
                if (Guid.TryParseExact(payload.ApplicationId, "D", out var id))
                    applicationId = id;
                else
                    problems.Add(new FieldProblem("application_id", "application_id must be a UUID"));
                break;
            case WatchApplicationPayload.ScopeOneofCase.AllApplications:
                if (!payload.AllApplications)
                    problems.Add(new FieldProblem("all_applications", "all_applications must be true when it is the scope"));
                break;
            default:
                problems.Add(new FieldProblem("scope", "set exactly one of application_id or all_applications"));
                break;
        }
        if (payload.AfterSequence < 0)
            problems.Add(new FieldProblem("after_sequence", "after_sequence must not be negative"));
        if (problems.Count > 0)
            throw new RaException(RaErrorKind.Invalid, "WATCH_SCOPE_INVALID", "the watch request is not valid", problems);

        return new WatchScope(ApplicantOf(payload.Header), applicationId, payload.AfterSequence);
    }

    /// <summary>The key the fan-out wakes this stream by.</summary>
    public WatchKey Key => ApplicationId is { } id ? WatchKey.Application(id)
        : Applicant.Ubn is { } ubn ? WatchKey.ApplicantUbn(ubn)
        : WatchKey.ApplicantNationalId(Applicant.NationalId!);

    private static ApplicantKey ApplicantOf(RequestHeader header) =>
        header.Applicant.IdentityCase == Customs.Ra.V1.Applicant.IdentityOneofCase.Organization
            ? new ApplicantKey(header.Applicant.Organization.Ubn, null)
            : new ApplicantKey(null, header.Applicant.Person.NationalId);
}
