using System.Security.Cryptography.X509Certificates;
using CaConnector.Cmp;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Cmp;
using Org.BouncyCastle.Asn1.X509;

namespace CaConnector;

/// <summary>
/// <see cref="ICaConnector"/> over CMP: one attempt per call, no retries (wrap it in
/// <see cref="ResilientCaConnector"/>). It owns the CMP rules BouncyCastle leaves to the client: nonces,
/// transactionIDs, answer checks, polling and certConf.
/// </summary>
public sealed class CmpCaConnector : ICaConnector
{
    private readonly CmpHttpTransport _transport;
    private readonly IMessageProtection _protection;
    private readonly CmpOptions _options;
    private readonly TimeProvider _time;

    /// <param name="http">Sends the POSTs; its lifetime is the caller's. Give it an infinite timeout and let the pipeline's attempt timeout rule.</param>
    public CmpCaConnector(HttpClient http, CmpOptions options, TimeProvider? time = null)
    {
        options.Validate();
        _options = options;
        _time = time ?? TimeProvider.System;
        _transport = new CmpHttpTransport(http, options.Endpoint);
        _protection = ProtectionFrom(options);
    }

    public Task<CaIssuedCertificate> RenewAsync(CaIssueRequest request, CancellationToken cancellationToken) =>
        IssueAsync(request, cancellationToken);

    public async Task<CaIssuedCertificate> IssueAsync(CaIssueRequest request, CancellationToken cancellationToken)
    {
        if (request.TransactionId is { Length: < CmpTransaction.NonceLength })
            throw new ArgumentException($"A caller-chosen transactionID needs at least {CmpTransaction.NonceLength} bytes.", nameof(request));
        var transaction = new CmpTransaction(_transport, _protection, _time, request.TransactionId);
        PkiMessage answer;
        try
        {
            answer = await transaction.ExchangeAsync(CmpBodies.P10(request.CsrDer), cancellationToken);
        }
        catch (CaUnavailableException e) when (e.RequestMayHaveReachedCa)
        {
            throw Unknown(request, transaction, e.Message, e);
        }
        // From here on the CA holds our request: a broken line means a certificate may exist that we never saw.
        try
        {
            var (response, reply) = await AwaitCertificateAsync(request, transaction, answer, cancellationToken);
            var certificate = CertificateOf(response);
            var confirmation = await transaction.ExchangeAsync(CmpBodies.CertConf(certificate, response.CertReqID.Value), cancellationToken);
            CmpStatus.Expect(confirmation, PkiBody.TYPE_CONFIRM);
            return Issued(certificate, CertRepMessage.GetInstance(reply.Body.Content), reply);
        }
        catch (CaUnavailableException e)
        {
            throw Unknown(request, transaction, e.Message, e);
        }
        // A CA that keeps our earlier, unanswered attempt open refuses the repeat with transactionIdInUse: that says
        // nothing about whether a certificate exists, so it is an open outcome, not a refusal for good.
        catch (CaRefusedException e) when (request.TransactionId is not null && e.FailureInfo.HasFlag(CmpFailureInfo.TransactionIdInUse))
        {
            throw Unknown(request, transaction, e.Message, e);
        }
    }

    public Task<CaRevocationResult> RevokeAsync(CaCertificateId certificate, RevocationReason reason, CancellationToken cancellationToken)
    {
        if (reason is RevocationReason.CertificateHold or RevocationReason.RemoveFromCrl)
            throw new ArgumentException("Hold and release go through SuspendAsync and UnsuspendAsync.", nameof(reason));
        return RevokeWithReasonAsync(certificate, reason, cancellationToken);
    }

    public Task<CaRevocationResult> SuspendAsync(CaCertificateId certificate, CancellationToken cancellationToken) =>
        RevokeWithReasonAsync(certificate, RevocationReason.CertificateHold, cancellationToken);

    public Task<CaRevocationResult> UnsuspendAsync(CaCertificateId certificate, CancellationToken cancellationToken) =>
        RevokeWithReasonAsync(certificate, RevocationReason.RemoveFromCrl, cancellationToken);

    private async Task<CaRevocationResult> RevokeWithReasonAsync(CaCertificateId certificate, RevocationReason reason, CancellationToken cancellationToken)
    {
        var answer = await NewTransaction().ExchangeAsync(CmpBodies.Rr(certificate, reason), cancellationToken);
        CmpStatus.Expect(answer, PkiBody.TYPE_REVOCATION_REP);
        var status = RevRepContent.GetInstance(answer.Body.Content).GetStatus();
        if (status.Length != 1)
            throw new CaRefusedException(CmpFailureInfo.BadMessageCheck, $"rp carries {status.Length} statuses for one revocation");
        if (CmpStatus.IsGranted(status[0]))
            return CaRevocationResult.Done;
        // Only a permanent revocation is complete whoever revoked first; a hold must not be mistaken for one.
        var alreadyRevoked = CmpStatus.StatusOf(status[0]) == CmpStatus.Rejection
            && CmpStatus.FailureInfoOf(status[0]).HasFlag(CmpFailureInfo.CertRevoked);
        if (alreadyRevoked && reason is not (RevocationReason.CertificateHold or RevocationReason.RemoveFromCrl))
            return CaRevocationResult.AlreadyInRequestedState;
        throw CmpStatus.Refusal(status[0]);
    }

    /// <summary>Follows "waiting" answers with pollReq until the CA decides or <see cref="CmpOptions.MaxTotalPollWait"/> runs out.</summary>
    private async Task<(CertResponse Response, PkiMessage Reply)> AwaitCertificateAsync(
        CaIssueRequest request, CmpTransaction transaction, PkiMessage answer, CancellationToken cancellationToken)
    {
        var deadline = _time.GetUtcNow() + _options.MaxTotalPollWait;
        var certReqId = CmpBodies.P10CertReqId;
        while (true)
        {
            if (answer.Body.Type == PkiBody.TYPE_POLL_REP)
            {
                var wait = PollWait(PollRepContent.GetInstance(answer.Body.Content));
                if (_time.GetUtcNow() + wait > deadline)
                    throw Unknown(request, transaction, $"the CA was still working after {_options.MaxTotalPollWait}", null);
                await Task.Delay(wait, _time, cancellationToken);
                answer = await transaction.ExchangeAsync(CmpBodies.PollReq(certReqId), cancellationToken);
                continue;
            }
            CmpStatus.Expect(answer, PkiBody.TYPE_CERT_REP);
            var responses = CertRepMessage.GetInstance(answer.Body.Content).GetResponse();
            if (responses.Length != 1)
                throw new CaRefusedException(CmpFailureInfo.BadMessageCheck, $"cp carries {responses.Length} responses for one request");
            var response = responses[0];
            if (CmpStatus.IsGranted(response.Status))
                return (response, answer);
            if (CmpStatus.StatusOf(response.Status) != CmpStatus.Waiting)
                throw CmpStatus.Refusal(response.Status);
            certReqId = response.CertReqID.Value;
            answer = await transaction.ExchangeAsync(CmpBodies.PollReq(certReqId), cancellationToken);
        }
    }

    private TimeSpan PollWait(PollRepContent poll)
    {
        var asked = TimeSpan.FromSeconds(poll.Count > 0 ? poll.GetCheckAfter(0).IntValueExact : 0);
        return asked < _options.MinPollInterval ? _options.MinPollInterval
            : asked > _options.MaxPollInterval ? _options.MaxPollInterval
            : asked;
    }

    private static X509CertificateStructure CertificateOf(CertResponse response) =>
        response.CertifiedKeyPair?.CertOrEncCert?.Certificate?.X509v3PKCert
        ?? throw new CaRefusedException(CmpFailureInfo.BadDataFormat, "the CA granted the request but sent no plain certificate");

    private static CaIssuedCertificate Issued(X509CertificateStructure certificate, CertRepMessage reply, PkiMessage message)
    {
        var issued = certificate.GetEncoded(Asn1Encodable.Der);
        var chain = new List<byte[]>();
        var others = (reply.GetCAPubs() ?? []).Concat(message.GetExtraCerts() ?? []);
        foreach (var der in others.Select(c => c.GetEncoded(Asn1Encodable.Der)))
        {
            if (!der.AsSpan().SequenceEqual(issued) && !chain.Any(known => known.AsSpan().SequenceEqual(der)))
                chain.Add(der);
        }
        return new CaIssuedCertificate(issued, chain);
    }

    private CmpTransaction NewTransaction() => new(_transport, _protection, _time);

    private static CaOutcomeUnknownException Unknown(CaIssueRequest request, CmpTransaction transaction, string why, Exception? inner) =>
        new(request.RequestKey, transaction.TransactionIdHex, why, inner);

    private static IMessageProtection ProtectionFrom(CmpOptions options)
    {
        if (options.SharedSecret is not null)
            return new SharedSecretProtection(options.SharedSecret, options.SharedSecretReference!);
        var ra = options.RaCertificate ?? X509Certificate2.CreateFromPemFile(options.RaCertificatePath!, options.RaKeyPath);
        var caServer = options.CaServerCertificate ?? X509CertificateLoader.LoadCertificateFromFile(options.CaServerCertificatePath!);
        return new SignatureProtection(ra, options.RaChain, caServer);
    }
}
