using System.Text.RegularExpressions;
using RaServer.Tests.Harness;

namespace RaServer.Tests.Contract;

/// <summary>
/// Every reason the server can send is a value of customs.ra.v1.ErrorReason, and every value is sent somewhere.
/// The server's reasons are read from its source, not listed here, so a new refusal cannot be forgotten: each
/// place that raises one (RaException, its InvalidField shorthand, a Trust Refusal, a registry import refusal, an
/// eligibility failure) must pass a string literal or a constant of a *Reasons class, or the scan fails naming it.
/// </summary>
public sealed partial class DeclaredReasonTests
{
    // The reason argument of every way a reason leaves the server. Target-typed `new(RaErrorKind.…, reason, …)`
    // covers Refusal and RaException built without their type name.
    [GeneratedRegex("""(?:new(?:\s+RaException|\s+Refusal)?\(\s*RaErrorKind\.\w+,|RaException\.InvalidField\(|RegistryImportResult\.Refuse\(\s*\w+,|failures\.Add\(new\()\s*(?<arg>[^,]+?)\s*,""")]
    private static partial Regex ReasonSite();

    [GeneratedRegex("""^"(?<literal>[A-Z][A-Z0-9_]*)"$|^(?<owner>\w+Reasons)\.(?<member>\w+)$""")]
    private static partial Regex ReasonArgument();

    [GeneratedRegex("""static\s+class\s+(?<owner>\w+Reasons)\s*\{(?<body>[^}]*)\}""")]
    private static partial Regex ReasonsClass();

    [GeneratedRegex("""const\s+string\s+(?<member>\w+)\s*=\s*"(?<value>[A-Z0-9_]+)"\s*;""")]
    private static partial Regex ReasonConstant();

    /// <summary>
    /// Arguments that are not a literal or a *Reasons constant, each with why it sends only declared reasons.
    /// Keep this short: a new entry is a reason the scan cannot see.
    /// </summary>
    private static readonly Dictionary<string, string> Forwarded = new(StringComparer.Ordinal)
    {
        // RaException.InvalidField and the RaException constructor hand on what their callers passed.
        ["reason"] = "a parameter: its callers are scanned",
        // ApplicationWorkflow raises the CSR check's outcome, which is always one of CsrReasons.
        ["check.ReasonCode!"] = "one of CsrReasons, whose constants are all counted as sent",
        // RequestForm refuses with the reason of the first malformed field, always one of InputReasons.
        ["first.Reason"] = "one of InputReasons, whose constants are all counted as sent",
    };

    private static string SourceRoot => Path.Combine(RepositoryLayout.Root, "src", "RaServer");

    private static IEnumerable<(string File, string Text)> Sources() =>
        Directory.EnumerateFiles(SourceRoot, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                     && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(f => (Path.GetRelativePath(RepositoryLayout.Root, f), File.ReadAllText(f)));

    /// <summary>The reasons the given sources can send, and the sites whose reason the scan cannot resolve.</summary>
    internal static (IReadOnlySet<string> Sent, IReadOnlyList<string> Unresolved) Scan(IEnumerable<(string File, string Text)> sources)
    {
        var files = sources.ToList();
        var constants = new Dictionary<string, string>(StringComparer.Ordinal);
        var sent = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (_, text) in files)
        {
            foreach (Match owner in ReasonsClass().Matches(text))
            {
                foreach (Match constant in ReasonConstant().Matches(owner.Groups["body"].Value))
                {
                    constants[$"{owner.Groups["owner"].Value}.{constant.Groups["member"].Value}"] = constant.Groups["value"].Value;
                    // A *Reasons class exists to name reasons; counting all of them keeps forwarded ones (CSR) in.
                    sent.Add(constant.Groups["value"].Value);
                }
            }
        }

        var unresolved = new List<string>();
        foreach (var (file, text) in files)
        {
            foreach (Match site in ReasonSite().Matches(text))
            {
                var arg = site.Groups["arg"].Value;
                var parsed = ReasonArgument().Match(arg);
                if (parsed.Groups["literal"].Success)
                    sent.Add(parsed.Groups["literal"].Value);
                else if (parsed.Success && constants.TryGetValue($"{parsed.Groups["owner"].Value}.{parsed.Groups["member"].Value}", out var value))
                    sent.Add(value);
                else if (!Forwarded.ContainsKey(arg))
                    unresolved.Add($"{file}: {arg}");
            }
        }
        return (sent, unresolved);
    }

    [Fact]
    public void Every_reason_the_server_can_send_is_declared_in_ErrorReason()
    {
        var (sent, unresolved) = Scan(Sources());

        Assert.True(unresolved.Count == 0,
            "these reasons are neither a string literal nor a *Reasons constant, so the scan cannot check them: "
            + string.Join("; ", unresolved));
        var undeclared = DeclaredReasons.Undeclared(sent);
        Assert.True(undeclared.Count == 0,
            "the server can send these reasons, which are not values of ErrorReason in common.proto: " + string.Join(", ", undeclared));
    }

    [Fact]
    public void Every_declared_reason_is_sent_somewhere_so_the_enum_does_not_rot()
    {
        var (sent, _) = Scan(Sources());

        var unused = DeclaredReasons.All.Where(r => !sent.Contains(r)).Order(StringComparer.Ordinal).ToList();
        Assert.True(unused.Count == 0,
            "ErrorReason declares these, but the server never sends them; remove them or send them: " + string.Join(", ", unused));
    }

    [Fact]
    public void The_scan_finds_a_made_up_reason_and_the_check_names_it_as_undeclared()
    {
        // The two tests above pass only if the scan really sees reasons; this shows it catching one that is missing.
        var sample = ("Sample.cs", """
            throw new RaException(RaErrorKind.Invalid,
                "MADE_UP_REASON", "a refusal nobody declared");
            throw RaException.InvalidField(SomeHelper.Compute(), "field", "unresolvable");
            """);

        var (sent, unresolved) = Scan([sample]);

        Assert.Contains("MADE_UP_REASON", sent);
        Assert.Equal(["MADE_UP_REASON"], DeclaredReasons.Undeclared(sent));
        Assert.Equal(["Sample.cs: SomeHelper.Compute()"], unresolved);
    }

    [Fact]
    public void The_harness_fails_a_test_that_receives_an_undeclared_reason()
    {
        DeclaredReasons.AssertDeclared("SIGNER_NOT_APPLICANT");

        Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => DeclaredReasons.AssertDeclared("APPLICANT_MISMATCH"));
    }
}
