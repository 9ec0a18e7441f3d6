using System.Diagnostics;
using CaConnector.Tests.Fixtures;

namespace CaConnector.Tests;

/// <summary>The CMP client, one attempt per call, against the real `openssl cmp` mock server.</summary>
[Collection(CmpMockCollection.Name)]
public sealed class CmpClientTests(CmpMockNetwork network) : IDisposable
{
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };

    [Fact]
    public async Task Issuing_returns_the_certificate_the_CA_sent_and_its_CA_certificate()
    {
        var connector = Connector(network.StartMock());

        var issued = await connector.IssueAsync(Request(), CancellationToken.None);

        Assert.Equal(network.Pki.IssuedLeaf.RawData, issued.CertificateDer);
        Assert.Contains(issued.ChainDer, der => der.AsSpan().SequenceEqual(network.Pki.CaCertificate.RawData));
    }

    [Fact]
    public async Task Renewing_sends_the_new_CSR_like_an_issue_and_returns_the_certificate()
    {
        var connector = Connector(network.StartMock());

        var issued = await connector.RenewAsync(Request(), CancellationToken.None);

        Assert.Equal(network.Pki.IssuedLeaf.RawData, issued.CertificateDer);
    }

    [Theory]
    [InlineData(RevocationReason.KeyCompromise)]
    [InlineData(RevocationReason.Superseded)]
    [InlineData(RevocationReason.PrivilegeWithdrawn)]
    public async Task A_permanent_revocation_is_accepted_by_the_CA(RevocationReason reason)
    {
        var connector = Connector(network.StartMock());

        var result = await connector.RevokeAsync(CaCertificateId.Of(network.Pki.IssuedLeaf), reason, CancellationToken.None);

        Assert.Equal(CaRevocationResult.Done, result);
    }

    [Fact]
    public async Task A_hold_and_its_release_are_each_accepted_by_the_CA()
    {
        var connector = Connector(network.StartMock());
        var certificate = CaCertificateId.Of(network.Pki.IssuedLeaf);

        Assert.Equal(CaRevocationResult.Done, await connector.SuspendAsync(certificate, CancellationToken.None));
        Assert.Equal(CaRevocationResult.Done, await connector.UnsuspendAsync(certificate, CancellationToken.None));
    }

    [Fact]
    public async Task A_CA_that_answers_waiting_is_polled_until_it_issues()
    {
        var connector = Connector(network.StartMock("srv", "-poll_count", "2", "-check_after", "1"));
        var clock = Stopwatch.StartNew();

        var issued = await connector.IssueAsync(Request(), CancellationToken.None);

        Assert.Equal(network.Pki.IssuedLeaf.RawData, issued.CertificateDer);
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(1), $"polled without waiting checkAfter ({clock.Elapsed})");
    }

    [Fact]
    public async Task Polling_that_outlasts_the_limit_leaves_the_outcome_unknown_not_failed()
    {
        var connector = Connector(network.StartMock("srv", "-poll_count", "5", "-check_after", "2"),
            options => options.MaxTotalPollWait = TimeSpan.FromSeconds(1));

        var unknown = await Assert.ThrowsAsync<CaOutcomeUnknownException>(() => connector.IssueAsync(Request("app-42"), CancellationToken.None));

        Assert.Equal("app-42", unknown.RequestKey);
    }

    [Fact]
    public async Task A_CMP_error_message_is_a_permanent_refusal_carrying_the_CA_text()
    {
        var connector = Connector(network.StartMock("srv", "-send_error"));

        var refused = await Assert.ThrowsAsync<CaRefusedException>(() => connector.IssueAsync(Request(), CancellationToken.None));

        // The mock's fixed error: status text plus OpenSSL's errorDetails, failInfo badRequest.
        Assert.Contains("error processing message", refused.ReasonText);
        Assert.Equal(CmpFailureInfo.BadRequest, refused.FailureInfo);
    }

    [Fact]
    public async Task A_rejection_status_is_a_permanent_refusal_carrying_the_failure_info()
    {
        var connector = Connector(network.StartMock("srv", "-pkistatus", "2", "-failure", "9", "-statusstring", "proof of possession failed"));

        var refused = await Assert.ThrowsAsync<CaRefusedException>(() => connector.IssueAsync(Request(), CancellationToken.None));

        Assert.Equal(CmpFailureInfo.BadPop, refused.FailureInfo);
        Assert.Contains("proof of possession failed", refused.ReasonText);
    }

    [Fact]
    public async Task A_revocation_answered_certRevoked_is_already_done()
    {
        var connector = Connector(network.StartMock("srv", "-pkistatus", "2", "-failure", "10"));

        var result = await connector.RevokeAsync(CaCertificateId.Of(network.Pki.IssuedLeaf), RevocationReason.KeyCompromise, CancellationToken.None);

        Assert.Equal(CaRevocationResult.AlreadyInRequestedState, result);
    }

    [Fact]
    public async Task A_first_hold_answered_certRevoked_is_refused_because_the_certificate_may_be_revoked_for_good()
    {
        var connector = Connector(network.StartMock("srv", "-pkistatus", "2", "-failure", "10"));

        var refused = await Assert.ThrowsAsync<CaRefusedException>(
            () => connector.SuspendAsync(CaCertificateId.Of(network.Pki.IssuedLeaf), CancellationToken.None));

        Assert.Equal(CmpFailureInfo.CertRevoked, refused.FailureInfo);
    }

    [Fact]
    public async Task An_answer_signed_by_a_key_the_RA_does_not_trust_is_refused_as_badMessageCheck()
    {
        var connector = Connector(network.StartMock("impostor"));

        var refused = await Assert.ThrowsAsync<CaRefusedException>(
            () => connector.RevokeAsync(CaCertificateId.Of(network.Pki.IssuedLeaf), RevocationReason.KeyCompromise, CancellationToken.None));

        Assert.Equal(CmpFailureInfo.BadMessageCheck, refused.FailureInfo);
    }

    [Fact]
    public async Task A_CA_set_up_for_a_shared_secret_accepts_MAC_protected_requests_and_its_MAC_answer_verifies()
    {
        var connector = Connector(network.StartMock("srv", "-srv_secret", "pass:shared-secret-for-tests"), options =>
        {
            options.SharedSecret = "shared-secret-for-tests";
            options.SharedSecretReference = "ra-reference";
        });

        var result = await connector.RevokeAsync(CaCertificateId.Of(network.Pki.IssuedLeaf), RevocationReason.KeyCompromise, CancellationToken.None);

        Assert.Equal(CaRevocationResult.Done, result);
    }

    [Fact]
    public async Task A_MAC_answer_made_with_another_secret_is_refused_as_badMessageCheck()
    {
        var connector = Connector(network.StartMock("srv", "-srv_secret", "pass:shared-secret-for-tests"), options =>
        {
            options.SharedSecret = "a-different-secret";
            options.SharedSecretReference = "ra-reference";
        });

        var refused = await Assert.ThrowsAsync<CaRefusedException>(
            () => connector.RevokeAsync(CaCertificateId.Of(network.Pki.IssuedLeaf), RevocationReason.KeyCompromise, CancellationToken.None));

        Assert.Equal(CmpFailureInfo.BadMessageCheck, refused.FailureInfo);
        Assert.Contains("protection does not verify", refused.ReasonText);
    }

    [Fact]
    public async Task A_path_the_CA_does_not_serve_is_a_refusal_not_a_retry()
    {
        var connector = Connector(network.StartMock(), options => options.Path = "/.well-known/cmp");

        await Assert.ThrowsAsync<CaRefusedException>(() => connector.IssueAsync(Request(), CancellationToken.None));
    }

    public void Dispose() => _http.Dispose();

    private static CaIssueRequest Request(string key = "app-1") => MockPki.Request(key);

    private CmpCaConnector Connector(Uri mock, Action<CmpOptions>? configure = null)
    {
        var options = MockOptions.For(network, mock);
        configure?.Invoke(options);
        return new CmpCaConnector(_http, options);
    }
}
