using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Customs.Ra.V1;
using Google.Protobuf;
using Grpc.Core;
using Ra.Client.Signing;

namespace RaBench.Load;

/// <summary>The workloads the load process knows, by the name a <see cref="LoadJob"/> gives.</summary>
public static class LoadWorkloads
{
    public static ILoadWorkload Create(string name) => name switch
    {
        "ra-info" => new RaInfoWorkload(),
        "get-application" => new GetApplicationWorkload(),
        "verify-message" => new VerifyMessageWorkload(),
        "submit-csr" => new SubmitCsrWorkload(),
        "import" => new ImportWorkload(),
        "watch" => new WatchWorkload(),
        "cmp-p10cr" => new CmpP10crWorkload(),
        "cfssl-sign" => new CfsslSignWorkload(),
        _ => throw new ArgumentException($"no load workload {name}"),
    };
}

/// <summary>Base for workloads over <see cref="LoadClient"/>'s channels.</summary>
public abstract class ChannelWorkload : ILoadWorkload
{
    protected LoadClient Client { get; private set; } = null!;

    protected virtual string? ClientFileName => null;

    public virtual Task PrepareAsync(LoadJob job, CancellationToken ct)
    {
        Client = new LoadClient(job, ClientFileName);
        return Task.CompletedTask;
    }

    public abstract Task OperationAsync(long n);

    public virtual ValueTask DisposeAsync()
    {
        Client?.Dispose();
        return ValueTask.CompletedTask;
    }
}

/// <summary>T2's baseline: GetRaInfo, an unauthenticated call that touches no database.</summary>
public sealed class RaInfoWorkload : ChannelWorkload
{
    private RegistrationAuthority.RegistrationAuthorityClient[] _clients = [];

    public override async Task PrepareAsync(LoadJob job, CancellationToken ct)
    {
        await base.PrepareAsync(job, ct);
        _clients = Enumerable.Range(0, Client.Count).Select(i => new RegistrationAuthority.RegistrationAuthorityClient(Client[i])).ToArray();
    }

    public override async Task OperationAsync(long n) => await _clients[n % _clients.Length].GetRaInfoAsync(new GetRaInfoRequest());
}

/// <summary>
/// T2: GetApplication of one application (Args: application), with 2,000 distinct envelopes signed before the clock
/// starts and cycled (reads are not journalled, so a repeated envelope is answered like a new one).
/// </summary>
public sealed class GetApplicationWorkload : ChannelWorkload
{
    private const int DistinctEnvelopes = 2_000;
    private RegistrationAuthority.RegistrationAuthorityClient[] _clients = [];
    private GetApplicationRequest[] _requests = [];
    private string _application = "";

    public override async Task PrepareAsync(LoadJob job, CancellationToken ct)
    {
        await base.PrepareAsync(job, ct);
        _application = job.Arg("application");
        using var company = Client.CompanyCertificate();
        var signer = new RequestSigner(company);
        _requests = Enumerable.Range(0, DistinctEnvelopes).Select(_ => new GetApplicationRequest
        {
            Envelope = signer.Sign(new GetApplicationPayload
            {
                Header = RequestSigner.OrganizationHeader(Workload.FirmUbn, Workload.FirmName), ApplicationId = _application,
            }),
        }).ToArray();
        _clients = Enumerable.Range(0, Client.Count).Select(i => new RegistrationAuthority.RegistrationAuthorityClient(Client[i])).ToArray();
    }

    public override async Task OperationAsync(long n)
    {
        var response = await _clients[n % _clients.Length].GetApplicationAsync(_requests[n % DistinctEnvelopes]);
        if (response.Application.ApplicationId != _application)
            throw new InvalidOperationException($"answered with application {response.Application.ApplicationId}");
    }
}

/// <summary>
/// T5: VerifySignedMessage as a government system calls it (mTLS as the verifier role), messages signed by an
/// RA-issued certificate with an RSA-2048 key (Args: signer-p12, firm, verdict); 2,000 distinct messages signed
/// before the clock starts. Every answer must carry the verdict the parent saw when it set the signer up.
/// </summary>
public sealed class VerifyMessageWorkload : ChannelWorkload
{
    private const int DistinctMessages = 2_000;
    private Verification.VerificationClient[] _clients = [];
    private VerifySignedMessageRequest[] _requests = [];
    private VerificationVerdict _expected;

    protected override string ClientFileName => "verifier";

    public override async Task PrepareAsync(LoadJob job, CancellationToken ct)
    {
        await base.PrepareAsync(job, ct);
        _expected = Enum.Parse<VerificationVerdict>(job.Arg("verdict"));
        using var signer = X509CertificateLoader.LoadPkcs12FromFile(job.Arg("signer-p12"), null, X509KeyStorageFlags.EphemeralKeySet);
        _requests = Enumerable.Range(0, DistinctMessages).Select(i =>
        {
            var message = System.Text.Encoding.UTF8.GetBytes($"報單 AA/15/123/{i:D4} customs declaration {Guid.NewGuid()}");
            return new VerifySignedMessageRequest
            {
                Message = ByteString.CopyFrom(message),
                CmsSignature = ByteString.CopyFrom(DetachedCmsSigner.Sign(message, signer, DateTimeOffset.UtcNow)),
                FirmUbn = job.Arg("firm"),
            };
        }).ToArray();
        _clients = Enumerable.Range(0, Client.Count).Select(i => new Verification.VerificationClient(Client[i])).ToArray();
    }

    public override async Task OperationAsync(long n)
    {
        var response = await _clients[n % _clients.Length].VerifySignedMessageAsync(_requests[n % DistinctMessages]);
        if (response.Verdict != _expected)
            throw new InvalidOperationException($"verdict {response.Verdict}, expected {_expected}");
    }
}

/// <summary>
/// T1 as PERFORMANCE.md defines it: a signed SubmitCsr for an application the parent put in AWAITING_KEY (Args:
/// applications, a file of ids), done when the client sees COMPLETED for it on WatchApplication. One stream
/// watches all of the applicant's applications, opened before the clock starts, as a partner app would;
/// each operation's latency runs from sending SubmitCsr to receiving its COMPLETED event. Envelopes and CSRs (a fresh
/// P-256 key each) are made before the clock starts; every application is used once.
/// </summary>
public sealed class SubmitCsrWorkload : ChannelWorkload
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _waiting = new();
    private readonly CancellationTokenSource _stop = new();
    private RegistrationAuthority.RegistrationAuthorityClient[] _clients = [];
    private SubmitCsrRequest[] _requests = [];
    private string[] _ids = [];
    private readonly List<Task> _watchers = [];
    private long _next = -1;

    public override async Task PrepareAsync(LoadJob job, CancellationToken ct)
    {
        await base.PrepareAsync(job, ct);
        _ids = await File.ReadAllLinesAsync(job.Arg("applications"), ct);
        using var company = Client.CompanyCertificate();
        var signer = new RequestSigner(company);
        _requests = _ids.AsParallel().AsOrdered().Select(id =>
        {
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var csr = new CertificateRequest("CN=bench applicant", key, HashAlgorithmName.SHA256).CreateSigningRequest();
            return new SubmitCsrRequest
            {
                Envelope = signer.Sign(new SubmitCsrPayload
                {
                    Header = RequestSigner.OrganizationHeader(Workload.FirmUbn, Workload.FirmName), ApplicationId = id,
                    CsrDer = ByteString.CopyFrom(csr),
                }),
            };
        }).ToArray();
        _clients = Enumerable.Range(0, Client.Count).Select(i => new RegistrationAuthority.RegistrationAuthorityClient(Client[i])).ToArray();

        var after = long.Parse(job.Arg("after-sequence"), System.Globalization.CultureInfo.InvariantCulture);
        // One stream for all applications, as a partner app would hold: more would multiply the server's fan-out.
        foreach (var client in _clients.Take(1))
        {
            var call = client.WatchApplication(new WatchApplicationRequest
            {
                Envelope = signer.Sign(new WatchApplicationPayload
                {
                    Header = RequestSigner.OrganizationHeader(Workload.FirmUbn, Workload.FirmName), AllApplications = true, AfterSequence = after,
                }),
            }, cancellationToken: _stop.Token);
            _watchers.Add(ReadEventsAsync(call));
        }
        // No wait for the stream's headers: the server sends them with the first event, and the stream replays every
        // event after after-sequence anyway, so an event committed before it is fully open is not missed.
    }

    private async Task ReadEventsAsync(AsyncServerStreamingCall<WatchApplicationResponse> call)
    {
        try
        {
            await foreach (var message in call.ResponseStream.ReadAllAsync(_stop.Token))
            {
                var e = message.Event;
                if (e.ToState is ApplicationState.Completed or ApplicationState.Failed && _waiting.TryRemove(e.ApplicationId, out var done))
                {
                    if (e.ToState == ApplicationState.Completed)
                        done.TrySetResult();
                    else
                        done.TrySetException(new InvalidOperationException($"application {e.ApplicationId} FAILED: {e.Detail}"));
                }
            }
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.Cancelled || _stop.IsCancellationRequested)
        {
        }
        catch (OperationCanceledException)
        {
        }
    }

    public override async Task OperationAsync(long n)
    {
        var i = Interlocked.Increment(ref _next);
        if (i >= _requests.Length)
            throw new InvalidOperationException("ran out of prepared applications");
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _waiting[_ids[i]] = done;
        var answer = await _clients[i % _clients.Length].SubmitCsrAsync(_requests[i]);
        if (answer.Application.State is not (ApplicationState.Forwarded or ApplicationState.Completed))
            throw new InvalidOperationException($"SubmitCsr left application {_ids[i]} {answer.Application.State}");
        await done.Task.WaitAsync(TimeSpan.FromSeconds(30));
    }

    public override async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_watchers);
        await base.DisposeAsync();
    }
}

/// <summary>
/// T6: one ImportRegistry client stream (mTLS as the registry role) of Args: records valid operator records, made
/// before the clock starts; one operation is the whole import, and every record must come back ACCEPTED.
/// </summary>
public sealed class ImportWorkload : ChannelWorkload
{
    private List<Operator> _operators = [];

    protected override string ClientFileName => "registry";

    public override async Task PrepareAsync(LoadJob job, CancellationToken ct)
    {
        await base.PrepareAsync(job, ct);
        var count = int.Parse(job.Arg("records"), System.Globalization.CultureInfo.InvariantCulture);
        _operators = Workload.ValidUbns().Take(count).Select((ubn, i) => new Operator
        {
            Ubn = ubn, Name = $"Bench Operator {i}", Kind = OperatorKind.Carrier, CustomsOfficeCode = "AA", Status = OperatorStatus.Active,
        }).ToList();
    }

    public override async Task OperationAsync(long n)
    {
        using var call = new Registry.RegistryClient(Client[0]).ImportRegistry();
        foreach (var record in _operators)
            await call.RequestStream.WriteAsync(new ImportRegistryRequest { Operator = record });
        await call.RequestStream.CompleteAsync();
        var summary = await call.ResponseAsync;
        if (summary.AcceptedCount != _operators.Count)
        {
            var refused = summary.Results.FirstOrDefault(r => r.Outcome != RecordOutcome.Accepted);
            throw new InvalidOperationException($"{summary.AcceptedCount} of {_operators.Count} accepted; record {refused?.Index}: {refused?.Reason}");
        }
    }
}
