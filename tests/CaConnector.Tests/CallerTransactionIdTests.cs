using CaConnector.Tests.Fixtures;

namespace CaConnector.Tests;

/// <summary>
/// A caller-chosen p10cr transactionID (the RA uses the application id so a repeat can be recognised): a CA that
/// answers the repeat with transactionIdInUse has not said whether a certificate exists, so it is no refusal.
/// </summary>
[Collection(CmpMockCollection.Name)]
public sealed class CallerTransactionIdTests(CmpMockNetwork network) : IDisposable
{
    private static readonly byte[] ChosenId = Convert.FromHexString("0F1E2D3C4B5A69788796A5B4C3D2E1F0");

    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };

    [Fact]
    public async Task TransactionIdInUse_answering_a_caller_chosen_transaction_id_leaves_the_outcome_unknown()
    {
        var connector = Connector(network.StartMock("srv", "-pkistatus", "2", "-failure", "21", "-statusstring", "transaction still open"));

        var unknown = await Assert.ThrowsAsync<CaOutcomeUnknownException>(() =>
            connector.IssueAsync(Request(ChosenId), CancellationToken.None));

        Assert.Equal(Convert.ToHexString(ChosenId), unknown.TransactionIdHex);
        Assert.Contains("transaction still open", unknown.Message);
    }

    [Fact]
    public async Task TransactionIdInUse_answering_a_random_transaction_id_stays_a_refusal()
    {
        var connector = Connector(network.StartMock("srv", "-pkistatus", "2", "-failure", "21"));

        var refused = await Assert.ThrowsAsync<CaRefusedException>(() => connector.IssueAsync(Request(null), CancellationToken.None));

        Assert.Equal(CmpFailureInfo.TransactionIdInUse, refused.FailureInfo);
    }

    [Fact]
    public async Task A_caller_chosen_transaction_id_shorter_than_128_bits_is_not_sent()
    {
        var connector = Connector(network.StartMock());

        await Assert.ThrowsAsync<ArgumentException>(() => connector.IssueAsync(Request(new byte[8]), CancellationToken.None));
    }

    public void Dispose() => _http.Dispose();

    private static CaIssueRequest Request(byte[]? transactionId) => MockPki.Request(transactionId: transactionId);

    private CmpCaConnector Connector(Uri mock) => new(_http, MockOptions.For(network, mock));
}
