using Customs.Ra.V1;

namespace Ra.Cli.Output;

/// <summary>What the person does next with an application in its current state, as one line after the answer.</summary>
public static class NextStep
{
    public static string For(Application application) => application.State switch
    {
        ApplicationState.AwaitingPayment =>
            $"next: pay slip {application.PaymentSlip?.SlipNumber} (NT$ {application.PaymentSlip?.AmountNtd}) by {Printer.Time(application.PaymentSlip?.DueAt)}; "
            + $"see 'ra slip {application.ApplicationId}'",
        ApplicationState.AwaitingKey =>
            $"next: 'ra key --dir FOLDER', then 'ra submit-csr {application.ApplicationId} --dir FOLDER'",
        ApplicationState.Forwarded or ApplicationState.Received =>
            $"next: the RA is working on it; 'ra status {application.ApplicationId} --watch' follows it",
        ApplicationState.Completed when application.Content?.ServiceType is ServiceType.New or ServiceType.Renew =>
            $"next: 'ra download {application.ApplicationId} --dir FOLDER'",
        ApplicationState.Completed => "done",
        ApplicationState.Rejected => "rejected: " + string.Join("; ", application.RejectionReasons.Select(r => $"{r.Code}: {r.Text}")),
        ApplicationState.Cancelled => "cancelled: the slip was not paid in time; apply again",
        ApplicationState.Failed => $"failed: {application.FailureDetail}",
        ApplicationState.Unspecified => "",
    };

    /// <summary>Whether the application moves no more.</summary>
    public static bool IsFinal(ApplicationState state) =>
        state is ApplicationState.Completed or ApplicationState.Rejected or ApplicationState.Cancelled or ApplicationState.Failed;
}
