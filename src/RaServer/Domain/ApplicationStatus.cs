namespace RaServer.Domain;

/// <summary>
/// Where an application is in its journey (the state machine of docs/ARCHITECTURE.md §2).
/// The database enforces the same machine (application_states, application_transitions and a trigger, migration
/// 0005); a test compares <see cref="ApplicationStateMachine.Transitions"/> with those tables, so a state added on
/// one side only fails the build's tests, and a switch over this enum without it fails the build.
/// </summary>
public enum ApplicationStatus
{
    Received,
    Rejected,
    AwaitingPayment,
    Cancelled,
    AwaitingKey,
    Forwarded,
    Completed,
    Failed,
}

/// <summary>The application state machine: its transitions, its final states, and the names the database stores.</summary>
public static class ApplicationStateMachine
{
    /// <summary>Every allowed move, with why it happens.</summary>
    public static readonly IReadOnlyList<(ApplicationStatus From, ApplicationStatus To)> Transitions =
    [
        (ApplicationStatus.Received, ApplicationStatus.Rejected),           // identity, data or eligibility check failed
        (ApplicationStatus.Received, ApplicationStatus.AwaitingPayment),    // NEW / RENEW approved: a payment slip was issued
        (ApplicationStatus.Received, ApplicationStatus.Forwarded),          // REVOKE / SUSPEND / UNSUSPEND approved: CA request queued
        (ApplicationStatus.AwaitingPayment, ApplicationStatus.Rejected),    // the receiving office rejects a paper application
        (ApplicationStatus.AwaitingPayment, ApplicationStatus.Cancelled),   // the slip went past its due time and was voided
        (ApplicationStatus.AwaitingPayment, ApplicationStatus.AwaitingKey), // the fee system confirmed payment
        (ApplicationStatus.AwaitingKey, ApplicationStatus.Forwarded),       // the applicant submitted its CSR
        (ApplicationStatus.Forwarded, ApplicationStatus.Completed),         // the CA did it
        (ApplicationStatus.Forwarded, ApplicationStatus.Failed),            // the CA refused for good
    ];

    public static bool IsFinal(ApplicationStatus state) => state switch
    {
        ApplicationStatus.Rejected or ApplicationStatus.Cancelled or ApplicationStatus.Completed or ApplicationStatus.Failed => true,
        ApplicationStatus.Received or ApplicationStatus.AwaitingPayment or ApplicationStatus.AwaitingKey or ApplicationStatus.Forwarded => false,
    };

    public static bool CanMove(ApplicationStatus from, ApplicationStatus to) => Transitions.Contains((from, to));

    /// <summary>The name stored in applications.state and application_states (and the proto's short name).</summary>
    public static string Code(ApplicationStatus state) => state switch
    {
        ApplicationStatus.Received => "RECEIVED",
        ApplicationStatus.Rejected => "REJECTED",
        ApplicationStatus.AwaitingPayment => "AWAITING_PAYMENT",
        ApplicationStatus.Cancelled => "CANCELLED",
        ApplicationStatus.AwaitingKey => "AWAITING_KEY",
        ApplicationStatus.Forwarded => "FORWARDED",
        ApplicationStatus.Completed => "COMPLETED",
        ApplicationStatus.Failed => "FAILED",
    };

    public static ApplicationStatus Parse(string code)
    {
        foreach (var state in Enum.GetValues<ApplicationStatus>())
        {
            if (Code(state) == code)
                return state;
        }
        throw new ArgumentException($"'{code}' is not an application state", nameof(code));
    }
}
