using Microsoft.Extensions.Options;
using RaServer.Tests.Fixtures;
using RaServer.Tests.Harness;

namespace RaServer.Tests.Hsm;

/// <summary>A token that cannot be opened stops the start with one sentence naming EmbeddedCa:Pkcs11 and the token's reason.</summary>
public sealed class TokenStartupTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    [Fact]
    public async Task A_wrong_pin_stops_the_start_saying_the_token_refused_it()
    {
        var token = await SoftHsmToken.NeverLoggedInAsync();

        var e = await Assert.ThrowsAsync<OptionsValidationException>(() =>
            RaServerHarness.StartAsync(postgres, configure: token.Settings("wrong-pin", pin: "000000")));

        Assert.Equal(
            [$"EmbeddedCa:Pkcs11 cannot open the CA's key token: The CA's key token '{token.Label}' failed: the PIN was refused (CKR_PIN_INCORRECT)"],
            e.Failures);
    }

    [Fact]
    public async Task A_token_label_the_module_does_not_have_stops_the_start_listing_the_tokens_it_has()
    {
        var token = await SoftHsmToken.SharedAsync();
        var settings = token.Settings("missing-token");

        var e = await Assert.ThrowsAsync<OptionsValidationException>(() => RaServerHarness.StartAsync(postgres, configure: s =>
        {
            settings(s);
            s["EmbeddedCa:Pkcs11:TokenLabel"] = "no-such-token";
        }));

        var failure = Assert.Single(e.Failures);
        Assert.StartsWith($"EmbeddedCa:Pkcs11 cannot open the CA's key token: The PKCS#11 module '{SoftHsmToken.Module}' has no token labelled 'no-such-token'", failure);
        Assert.Contains($"'{token.Label}'", failure);
    }
}
