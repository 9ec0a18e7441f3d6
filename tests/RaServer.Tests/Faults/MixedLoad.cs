using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Customs.Ra.V1;
using Google.Protobuf;
using Grpc.Core;
using Ra.Client.Signing;
using RaServer.Tests.Harness;

namespace RaServer.Tests.Faults;

/// <summary>What the load was told was done: the applications whose submission, payment and CSR the RA acknowledged.</summary>
public sealed record Acknowledged(IReadOnlyList<string> Submitted, IReadOnlyList<string> Paid, IReadOnlyList<string> CsrAccepted);

/// <summary>
/// A small mixed load over every replica of a <see cref="FaultBed"/>: a few applicants, each running NEW organisation
/// journeys one after another (submit on one replica, pay on the other, CSR back on the first), and on each replica
/// one WatchApplication stream of all the applicant's applications that hangs up every second or two and resumes
/// after the last event it saw. A call answered UNAVAILABLE is repeated (the same signed envelope, so the same
/// request id) after a short pause, as the SDK does; any other refusal ends that applicant's run and fails the test.
/// Every status is counted, per RPC.
/// </summary>
public sealed class MixedLoad : IAsyncDisposable
{
    private static readonly TimeSpan RetryPause = TimeSpan.FromMilliseconds(200);
    /// <summary>How long a watcher's signed call counts as in flight after it is signed (see <see cref="BetweenRequestsAsync"/>).</summary>
    private static readonly TimeSpan SignedCallArrival = TimeSpan.FromMilliseconds(300);
    private static readonly TimeSpan PauseBetweenJourneys = TimeSpan.FromMilliseconds(150);
    /// <summary>How long one call keeps being repeated while UNAVAILABLE before the run gives up on it.</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private readonly IReadOnlyList<RaServerHarness> replicas;
    private readonly IReadOnlyList<WorkflowScenario> scenarios;
    private readonly CancellationTokenSource stopJourneys = new();
    private readonly CancellationTokenSource stopWatchers = new();
    private readonly ConcurrentDictionary<string, int> statuses = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> firstDetails = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> submitted = new();
    private readonly ConcurrentQueue<string> paid = new();
    private readonly ConcurrentQueue<string> csrAccepted = new();
    private readonly ConcurrentQueue<string> failures = new();
    private readonly List<Task> journeys = [];
    private readonly List<Watcher> watchers = [];
    private int journeyNumber;
    private int inFlight;
    private int quiet;
    private TaskCompletionSource quietOver = Done();

    private MixedLoad(IReadOnlyList<RaServerHarness> replicas)
    {
        this.replicas = replicas;
        scenarios = replicas.Select(r => new WorkflowScenario(r)).ToList();
    }

    /// <summary>Loads the registry, opens the watchers and starts <paramref name="applicants"/> applicants.</summary>
    public static async Task<MixedLoad> StartAsync(IReadOnlyList<RaServerHarness> replicas, int applicants = 3)
    {
        var load = new MixedLoad(replicas);
        await load.scenarios[0].LoadRegistryAsync();
        foreach (var replica in replicas)
        {
            var watcher = new Watcher(replica, load);
            watcher.Start(load.stopWatchers.Token);
            load.watchers.Add(watcher);
        }
        for (var i = 0; i < applicants; i++)
            load.journeys.Add(Task.Run(() => load.ApplicantAsync(load.stopJourneys.Token)));
        return load;
    }

    /// <summary>Status counts, keyed "Rpc STATUS".</summary>
    public IReadOnlyDictionary<string, int> Statuses => new SortedDictionary<string, int>(statuses, StringComparer.Ordinal);

    /// <summary>The detail of the first answer of each status other than OK, keyed as <see cref="Statuses"/>.</summary>
    public IReadOnlyDictionary<string, string> FirstDetails => new SortedDictionary<string, string>(firstDetails, StringComparer.Ordinal);

    /// <summary>Every status other than OK and UNAVAILABLE, "Rpc STATUS: detail": what a client must never see during a fault.</summary>
    public IReadOnlyList<string> Failures => failures.ToList();

    public Acknowledged Acknowledged => new(submitted.ToList(), paid.ToList(), csrAccepted.ToList());

    /// <summary>What each replica's watcher received, in order of arrival.</summary>
    public IReadOnlyList<WatchedStream> Watched => watchers.Select(w => w.Result()).ToList();

    /// <summary>Waits until the applicants have had <paramref name="count"/> CSRs accepted in all (at most 60 s).</summary>
    public async Task WaitForCsrsAsync(int count)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (csrAccepted.Count < count)
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"only {csrAccepted.Count} of {count} CSRs were accepted; failures: {string.Join("; ", failures)}");
            if (journeys.FirstOrDefault(j => j.IsFaulted) is { } broken)
                await broken;
            await Task.Delay(50);
        }
    }

    /// <summary>Lets every applicant finish the journey it is on, then starts no more.</summary>
    public async Task StopJourneysAsync()
    {
        await stopJourneys.CancelAsync();
        await Task.WhenAll(journeys);
    }

    /// <summary>Waits until every watcher has received the event numbered <paramref name="sequence"/> (at most 30 s).</summary>
    public async Task WaitForWatchersAsync(long sequence)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (watchers.Any(w => w.LastSequence < sequence) && DateTime.UtcNow < deadline)
            await Task.Delay(50);
    }

    /// <summary>
    /// Runs <paramref name="step"/> while no request is between its time stamp (signing time, time of payment) and the
    /// server's check of it: new journeys and watcher reconnections wait, the ones under way finish first. A clock
    /// step that falls in that gap makes the stamp look up to the step old or new, and the server refuses it with its
    /// declared reason once the step exceeds its 5-minute windows; that is the stamp's fault, not the server's.
    /// </summary>
    public async Task BetweenRequestsAsync(Func<Task> step)
    {
        quietOver = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Interlocked.Exchange(ref quiet, 1);
        try
        {
            while (Volatile.Read(ref inFlight) > 0)
                await Task.Delay(5);
            await step();
        }
        finally
        {
            Interlocked.Exchange(ref quiet, 0);
            quietOver.TrySetResult();
        }
    }

    /// <summary>Counts a stamped request in flight, after waiting out a <see cref="BetweenRequestsAsync"/>.</summary>
    private async Task<InFlight> EnterAsync()
    {
        while (true)
        {
            // Counted first, then the flag read: a step either sees this request or this request sees the step.
            Interlocked.Increment(ref inFlight);
            if (Volatile.Read(ref quiet) == 0)
                return new InFlight(this);
            var over = quietOver.Task;
            Interlocked.Decrement(ref inFlight);
            await over;
        }
    }

    private static TaskCompletionSource Done()
    {
        var done = new TaskCompletionSource();
        done.SetResult();
        return done;
    }

    private readonly struct InFlight(MixedLoad load) : IDisposable
    {
        public void Dispose() => Interlocked.Decrement(ref load.inFlight);
    }

    public async ValueTask DisposeAsync()
    {
        await stopJourneys.CancelAsync();
        await stopWatchers.CancelAsync();
        await Task.WhenAll(journeys.Concat(watchers.Select(w => w.Running)));
        stopJourneys.Dispose();
        stopWatchers.Dispose();
    }

    private async Task ApplicantAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            var n = Interlocked.Increment(ref journeyNumber);
            try
            {
                // The journey runs to its end even when the load stops meanwhile: nothing is left half-way.
                using var flight = await EnterAsync();
                await JourneyAsync(scenarios[n % scenarios.Count], scenarios[(n + 1) % scenarios.Count], replicas[n % replicas.Count]);
            }
            catch (RpcException)
            {
                return; // recorded in failures; this applicant stops
            }
            try
            {
                await Task.Delay(PauseBetweenJourneys, stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task JourneyAsync(WorkflowScenario applicantSide, WorkflowScenario paymentSide, RaServerHarness applicantReplica)
    {
        var submission = new SubmitApplicationRequest
        {
            Envelope = applicantSide.SignSubmission(WorkflowScenario.Content(ServiceType.New, CertificateKind.Organization), Guid.NewGuid().ToString("D")),
        };
        var application = (await CallAsync("SubmitApplication", () => applicantSide.Applicants.SubmitApplicationAsync(submission, deadline: Deadline()).ResponseAsync)).Application;
        submitted.Enqueue(application.ApplicationId);
        if (application.State != ApplicationState.AwaitingPayment)
            Fail("SubmitApplication", $"answered {application.State}: {string.Join(", ", application.RejectionReasons)}");

        var receipt = $"RCPT-{Guid.NewGuid():N}";
        await CallAsync("ConfirmPayment", () => paymentSide.PayAsync(application.PaymentSlip, receipt: receipt));
        paid.Enqueue(application.ApplicationId);

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var csr = new CertificateRequest("CN=ra-fault-load, O=Test Firm, C=TW", key, HashAlgorithmName.SHA256).CreateSigningRequest();
        var csrRequest = new SubmitCsrRequest
        {
            Envelope = applicantReplica.CompanySigner().Sign(new SubmitCsrPayload
            {
                Header = RequestSigner.OrganizationHeader(WorkflowScenario.FirmUbn, WorkflowScenario.FirmName),
                ApplicationId = application.ApplicationId,
                CsrDer = ByteString.CopyFrom(csr),
            }),
        };
        var forwarded = await CallAsync("SubmitCsr", () => applicantSide.Applicants.SubmitCsrAsync(csrRequest, deadline: Deadline()).ResponseAsync);
        csrAccepted.Enqueue(application.ApplicationId);
        if (forwarded.Application.State is not (ApplicationState.Forwarded or ApplicationState.Completed))
            Fail("SubmitCsr", $"answered {forwarded.Application.State}");
    }

    private static DateTime Deadline() => DateTime.UtcNow.AddSeconds(15);

    private async Task<T> CallAsync<T>(string rpc, Func<Task<T>> call)
    {
        var giveUp = DateTime.UtcNow + Patience;
        while (true)
        {
            try
            {
                var answer = await call();
                Count(rpc, StatusCode.OK);
                return answer;
            }
            catch (RpcException e)
            {
                Count(rpc, e);
                if (e.StatusCode != StatusCode.Unavailable || DateTime.UtcNow > giveUp)
                {
                    Fail(rpc, $"{e.StatusCode}: {e.Status.Detail}");
                    throw;
                }
            }
            await Task.Delay(RetryPause);
        }
    }

    private void Count(string rpc, StatusCode code) => statuses.AddOrUpdate($"{rpc} {code}", 1, (_, n) => n + 1);

    private void Count(string rpc, RpcException e)
    {
        Count(rpc, e.StatusCode);
        firstDetails.TryAdd($"{rpc} {e.StatusCode}", $"{e.Status.Detail} {RpcAssert.ReasonOf(e)}".Trim());
    }

    private void Fail(string rpc, string what) => failures.Enqueue($"{rpc} {what}");

    /// <summary>One replica's watcher of all the applicant's applications, reconnecting on its own every 1–2 s.</summary>
    private sealed class Watcher(RaServerHarness replica, MixedLoad load)
    {
        private readonly RegistrationAuthority.RegistrationAuthorityClient client = new(replica.Channel());
        private readonly List<ApplicationEvent> received = [];
        private long lastSequence;
        private int reconnects;

        public Task Running { get; private set; } = Task.CompletedTask;

        public long LastSequence => Interlocked.Read(ref lastSequence);

        public void Start(CancellationToken stop) => Running = Task.Run(() => RunAsync(stop));

        public WatchedStream Result()
        {
            lock (received)
                return new WatchedStream(replica.Address.Port, received.ToList(), Volatile.Read(ref reconnects));
        }

        private async Task RunAsync(CancellationToken stop)
        {
            while (!stop.IsCancellationRequested)
            {
                using var hangUp = CancellationTokenSource.CreateLinkedTokenSource(stop);
                hangUp.CancelAfter(TimeSpan.FromMilliseconds(1000 + Random.Shared.Next(1000)));
                // Signed now and checked when the call arrives, which takes well under the time counted in flight.
                var flight = await load.EnterAsync();
                _ = Task.Delay(SignedCallArrival).ContinueWith(_ => flight.Dispose(), TaskScheduler.Default);
                try
                {
                    var payload = new WatchApplicationPayload
                    {
                        Header = RequestSigner.OrganizationHeader(WorkflowScenario.FirmUbn, WorkflowScenario.FirmName),
                        AllApplications = true,
                        AfterSequence = LastSequence,
                    };
                    using var call = client.WatchApplication(new WatchApplicationRequest { Envelope = replica.CompanySigner().Sign(payload) },
                        cancellationToken: hangUp.Token);
                    while (await call.ResponseStream.MoveNext(hangUp.Token))
                    {
                        var e = call.ResponseStream.Current.Event;
                        lock (received)
                            received.Add(e);
                        Interlocked.Exchange(ref lastSequence, Math.Max(LastSequence, e.Sequence));
                    }
                    load.Count("WatchApplication", StatusCode.OK);
                }
                catch (RpcException) when (hangUp.IsCancellationRequested)
                {
                    // Our own hang-up (reported as CANCELLED, or as UNAVAILABLE "the request was aborted" when it races
                    // a read): resume after the last event seen.
                }
                catch (OperationCanceledException) when (hangUp.IsCancellationRequested)
                {
                }
                catch (RpcException e)
                {
                    load.Count("WatchApplication", e);
                    if (e.StatusCode != StatusCode.Unavailable)
                        load.Fail("WatchApplication", $"{e.StatusCode}: {e.Status.Detail}");
                    await Task.Delay(RetryPause, CancellationToken.None);
                }
                Interlocked.Increment(ref reconnects);
            }
        }
    }
}

/// <summary>The events one watcher received over all its reconnections, in order of arrival.</summary>
public sealed record WatchedStream(int ReplicaPort, IReadOnlyList<ApplicationEvent> Events, int Reconnects);
