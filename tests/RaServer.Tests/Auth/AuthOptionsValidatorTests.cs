using RaServer.Api;

namespace RaServer.Tests.Auth;

/// <summary>An allow-list entry must pin its certificate; each problem names its key.</summary>
public sealed class AuthOptionsValidatorTests : IDisposable
{
    private const string GcaPin = "6F1ED002AB5595859014EBF0951522D9E5A2F0F1E0C4C3E5A2D0F8A96C6B3D2A";
    private const string ClientPin = "0A1B2C3D4E5F60718293A4B5C6D7E8F90A1B2C3D4E5F60718293A4B5C6D7E8F9";
    private readonly string bundle = Path.GetTempFileName();

    public void Dispose() => File.Delete(bundle);

    private IReadOnlyList<string> ProblemsOf(params (string Name, SystemClientOptions Client)[] clients)
    {
        var options = new AuthOptions { ClientCaBundlePath = bundle };
        foreach (var (name, client) in clients)
            options.Clients[name] = client;
        var result = new AuthOptionsValidator().Validate(null, options);
        return result.Failures?.ToList() ?? [];
    }

    private static SystemClientOptions Fees(string issuer = GcaPin, string? subject = null, string? spki = ClientPin) =>
        new() { Role = Roles.Fees, IssuerSpkiSha256 = issuer, Subject = subject, SpkiSha256 = spki };

    [Fact]
    public void An_entry_pinned_to_its_issuer_and_its_key_or_its_subject_is_accepted()
    {
        Assert.Empty(ProblemsOf(("fees", Fees()), ("fees-by-name", Fees(subject: "CN=fees,O=RaBackend,C=TW", spki: null))));
    }

    [Fact]
    public void An_entry_without_its_issuing_ca_is_refused_naming_the_key()
    {
        Assert.Contains(ProblemsOf(("fees", Fees(issuer: ""))), p => p.StartsWith("Auth:Clients:fees:IssuerSpkiSha256 ", StringComparison.Ordinal));
    }

    [Fact]
    public void An_entry_pinned_by_neither_or_both_of_subject_and_key_is_refused()
    {
        Assert.Contains(ProblemsOf(("fees", Fees(spki: null))), p => p.StartsWith("Auth:Clients:fees must pin", StringComparison.Ordinal));
        Assert.Contains(ProblemsOf(("fees", Fees(subject: "CN=fees"))), p => p.StartsWith("Auth:Clients:fees must pin", StringComparison.Ordinal));
    }

    [Fact]
    public void A_key_pin_that_is_not_a_sha256_in_hex_is_refused()
    {
        Assert.Contains(ProblemsOf(("fees", Fees(spki: "fees"))), p => p.StartsWith("Auth:Clients:fees:SpkiSha256 ", StringComparison.Ordinal));
    }

    [Fact]
    public void Two_entries_with_the_same_pins_are_refused_since_the_role_would_depend_on_their_order()
    {
        var problems = ProblemsOf(("fees", Fees()), ("registry", Fees()));
        Assert.Contains(problems, p => p == "Auth:Clients:registry has the same pins as Auth:Clients:fees.");
    }
}
