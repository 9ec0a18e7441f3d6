using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;

namespace EmbeddedCa;

/// <summary>
/// The embedded CA, called in process by the RA (and by the CMP endpoint for third-party clients). The RA has
/// already decided who the certificate is for and how long it lasts (<see cref="CertificateProfile"/>) and judged the
/// key; the CA verifies the proof of possession, signs, and keeps status and CRLs. Every replica on one database is the same CA: keys, certificates, statuses and the CRL
/// number live in <see cref="IEmbeddedCaStore"/>.
/// </summary>
/// <remarks>
/// It is an <see cref="ICaConnector"/>, the RA's one door to a CA, so the outbox dispatcher treats it like any other:
/// <see cref="CaRefusedException"/> is final, anything else (a database outage) is worth retrying.
/// </remarks>
public sealed class EmbeddedCertificateAuthority : ICaConnector, IDisposable
{
    private readonly IEmbeddedCaStore _store;
    private readonly ICaKeySource _keys;
    private readonly EmbeddedCaSettings _settings;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CoalescingRunner _crlRunner;
    private readonly SemaphoreSlim _loadGate = new(1, 1);
    private Loaded? _loaded;

    // Set once a CRL exists too. Whoever fetches the CRL right after asking for the CA (this process's CRL keeper at
    // start, a test) must not find none because another caller loaded the keys and is still publishing the first.
    private volatile Loaded? _ready;

    public EmbeddedCertificateAuthority(IEmbeddedCaStore store, ICaKeySource keys, EmbeddedCaSettings settings, TimeProvider time, ILogger<EmbeddedCertificateAuthority> logger)
    {
        if (settings.MaxValidityYears < 1)
            throw new ArgumentException("MaxValidityYears must be at least 1.", nameof(settings));
        _store = store;
        _keys = keys;
        _settings = settings;
        _time = time;
        _logger = logger;
        _crlRunner = new CoalescingRunner(PublishNowAsync);
    }

    /// <summary>Loads the CA (making it on the very first start of any replica) and publishes a first CRL if none exists.</summary>
    public async Task<CaMaterial> GetMaterialAsync(CancellationToken cancellationToken)
    {
        if (_ready is { } ready)
            return ready.Material;
        await _loadGate.WaitAsync(cancellationToken);
        try
        {
            if (_loaded is null)
            {
                var stored = await _store.LoadOrCreateMaterialAsync(() => CaMaterial.CreateNew(_settings, _keys, _time.GetUtcNow()), cancellationToken);
                var material = CaMaterial.Open(stored, _keys);
                _loaded = new Loaded(material, new CertificateSigner(material, _settings.Links), new CrlSigner(material));
                EmbeddedCaLog.Ready(_logger, material.Issuing.Subject, stored.KeyAlgorithm, stored.KeySource, stored.CreatedAt);
            }
            if (await _store.LatestCrlAsync(cancellationToken) is null)
                await _crlRunner.RunAsync();
            _ready = _loaded;
            return _loaded.Material;
        }
        finally
        {
            _loadGate.Release();
        }
    }

    /// <summary>
    /// Certifies the CSR's key for the request's profile and validity. The same request key always yields the same
    /// certificate (a retry after a lost answer is safe); reusing a key for a different public key is refused.
    /// </summary>
    /// <returns>The certificate and its chain (issuing CA, then root).</returns>
    public Task<CaIssuedCertificate> IssueAsync(CaIssueRequest request, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(request.RequestKey, nameof(request));
        return IssueAsync(request, Proven(request), cancellationToken);
    }

    /// <summary>A renewal is an issue for the new CSR, under the renewal's own request key.</summary>
    public Task<CaIssuedCertificate> RenewAsync(CaIssueRequest request, CancellationToken cancellationToken) =>
        IssueAsync(request, cancellationToken);

    /// <summary>For callers that have verified the CSR already (the CMP endpoint needs its subject first).</summary>
    internal async Task<CaIssuedCertificate> IssueAsync(CaIssueRequest request, PublicKey provenKey, CancellationToken cancellationToken)
    {
        var (requestKey, profile, validityYears) = (request.RequestKey, request.Profile, request.ValidityYears);
        if (validityYears < 1 || validityYears > _settings.MaxValidityYears)
            throw new CaRefusedException(CmpFailureInfo.BadCertTemplate, $"a validity of {validityYears} years is outside this CA's 1 to {_settings.MaxValidityYears}");
        await GetMaterialAsync(cancellationToken);
        var loaded = _loaded!;

        var (certificate, created) = await _store.IssueOnceAsync(requestKey, () =>
        {
            var serial = SerialNumbers.NewSerial();
            var now = _time.GetUtcNow();
            var signed = loaded.Signer.Issue(provenKey, profile, validityYears, now, serial, request.TermFrom);
            return new IssuedCertificate(serial, requestKey, profile.Kind, signed.Subject, signed.Der, signed.NotBefore, signed.NotAfter);
        }, cancellationToken);

        if (created)
            EmbeddedCaLog.Issued(_logger, SerialNumbers.ToHex(certificate.Serial), profile.Kind, requestKey);
        else
            RequireSameKey(certificate, provenKey, requestKey);
        return new CaIssuedCertificate(certificate.Der, [loaded.Material.Issuing.RawData, loaded.Material.Root.RawData]);
    }

    /// <summary>Revokes for good. Hold and release have their own methods; a held certificate may be revoked.</summary>
    public Task<CaRevocationResult> RevokeAsync(CaCertificateId certificate, RevocationReason reason, CancellationToken cancellationToken)
    {
        if (reason is RevocationReason.CertificateHold or RevocationReason.RemoveFromCrl || !Enum.IsDefined(reason))
            throw new ArgumentException("A permanent revocation needs a reason other than certificateHold and removeFromCRL.", nameof(reason));
        return ChangeAsync(certificate, StatusRequest.Revoke, reason, cancellationToken);
    }

    public Task<CaRevocationResult> SuspendAsync(CaCertificateId certificate, CancellationToken cancellationToken) =>
        ChangeAsync(certificate, StatusRequest.Hold, RevocationReason.CertificateHold, cancellationToken);

    public Task<CaRevocationResult> UnsuspendAsync(CaCertificateId certificate, CancellationToken cancellationToken) =>
        ChangeAsync(certificate, StatusRequest.Release, RevocationReason.RemoveFromCrl, cancellationToken);

    /// <summary>
    /// The status rules applied and stored; after a change the CRL is republished before this returns, so the
    /// caller's next CRL fetch already shows it. Null for an unknown serial.
    /// </summary>
    public async Task<StatusDecision?> ChangeStatusAsync(byte[] serial, StatusRequest request, RevocationReason reason, CancellationToken cancellationToken)
    {
        await GetMaterialAsync(cancellationToken);
        var decision = await _store.ChangeStatusAsync(serial, request, reason, _time.GetUtcNow(), cancellationToken);
        if (decision is null)
            return null;
        EmbeddedCaLog.StatusChanged(_logger, SerialNumbers.ToHex(serial), request, reason, decision.Outcome, decision.Text);
        if (decision.Outcome == StatusOutcome.Change)
        {
            try
            {
                await _crlRunner.RunAsync();
            }
            catch (Exception e)
            {
                // The change is committed; the refresh schedule publishes it if this attempt could not.
                EmbeddedCaLog.CrlFailed(_logger, e);
            }
        }
        return decision;
    }

    /// <summary>Publishes a new CRL now (coalesced with any publication already asked for).</summary>
    public Task PublishCrlAsync() => _crlRunner.RunAsync();

    /// <summary>For the schedule: republishes when the latest CRL is older than the refresh interval, or missing.</summary>
    public async Task RefreshCrlIfDueAsync(CancellationToken cancellationToken)
    {
        await GetMaterialAsync(cancellationToken);
        var latest = await _store.LatestCrlAsync(cancellationToken);
        if (latest is null || _time.GetUtcNow() - latest.ThisUpdate >= _settings.CrlRefreshInterval)
            await _crlRunner.RunAsync();
    }

    /// <summary>The certificate issued for a request key, if any (reconciliation, CMP certConf).</summary>
    public Task<IssuedCertificate?> FindByRequestKeyAsync(string requestKey, CancellationToken cancellationToken) =>
        _store.FindByRequestKeyAsync(requestKey, cancellationToken);

    /// <summary>The CRL every replica serves, or null before the first is published.</summary>
    public Task<PublishedCrl?> LatestCrlAsync(CancellationToken cancellationToken) => _store.LatestCrlAsync(cancellationToken);

    public void Dispose()
    {
        _loaded?.Material.Dispose();
        _loadGate.Dispose();
    }

    private async Task<CaRevocationResult> ChangeAsync(CaCertificateId certificate, StatusRequest request, RevocationReason reason, CancellationToken cancellationToken)
    {
        var serialHex = certificate.SerialNumberHex;
        var issuing = (await GetMaterialAsync(cancellationToken)).Issuing;
        // A serial is unique only within one issuer: another CA's certificate is not this CA's to change.
        if (!certificate.Issuer.RawData.AsSpan().SequenceEqual(issuing.SubjectName.RawData))
            throw new CaRefusedException(CmpFailureInfo.BadCertId, $"certificate {serialHex} of {certificate.Issuer.Name} was not issued by this CA ({issuing.Subject})");
        if (!SerialNumbers.TryParseHex(serialHex, out var serial))
            throw new CaRefusedException(CmpFailureInfo.BadCertId, $"'{serialHex}' is not a hexadecimal serial number");
        var decision = await ChangeStatusAsync(serial, request, reason, cancellationToken)
            ?? throw new CaRefusedException(CmpFailureInfo.BadCertId, $"no certificate with serial {serialHex} was issued by this CA");
        return decision.Outcome switch
        {
            StatusOutcome.Change => CaRevocationResult.Done,
            StatusOutcome.AlreadyInRequestedState => CaRevocationResult.AlreadyInRequestedState,
            _ => throw new CaRefusedException(decision.FailureInfo, decision.Text),
        };
    }

    private async Task PublishNowAsync(CancellationToken cancellationToken)
    {
        var loaded = _loaded ?? throw new InvalidOperationException("The CA is not loaded.");
        await _store.PublishCrlAsync((number, entries) =>
        {
            var now = _time.GetUtcNow();
            var thisUpdate = new DateTimeOffset(now.Ticks - now.Ticks % TimeSpan.TicksPerSecond, TimeSpan.Zero);
            var nextUpdate = thisUpdate + _settings.CrlValidity;
            var der = loaded.CrlSigner.Sign(entries, number, thisUpdate, nextUpdate);
            EmbeddedCaLog.CrlPublished(_logger, number, entries.Count, nextUpdate);
            return new PublishedCrl(number, thisUpdate, nextUpdate, der);
        }, cancellationToken);
    }

    private static void RequireSameKey(IssuedCertificate existing, PublicKey requested, string requestKey)
    {
        using var certificate = X509CertificateLoader.LoadCertificate(existing.Der);
        if (!certificate.PublicKey.EncodedKeyValue.RawData.AsSpan().SequenceEqual(requested.EncodedKeyValue.RawData))
            throw new CaRefusedException(CmpFailureInfo.DuplicateCertReq,
                $"request key {requestKey} already has certificate {SerialNumbers.ToHex(existing.Serial)} for a different public key");
    }

    // The RA verified the CSR when it was submitted and sends its key along; any other caller's CSR is verified here.
    private PublicKey Proven(CaIssueRequest request)
    {
        if (request.VerifiedCsrKey is { } verified)
            return verified;
        try
        {
            return CsrProof.Verify(request.CsrDer).PublicKey;
        }
        catch (CaRefusedException e)
        {
            EmbeddedCaLog.CsrRefused(_logger, request.RequestKey, e.FailureInfo, e.ReasonText);
            throw;
        }
    }

    private sealed record Loaded(CaMaterial Material, CertificateSigner Signer, CrlSigner CrlSigner);
}
