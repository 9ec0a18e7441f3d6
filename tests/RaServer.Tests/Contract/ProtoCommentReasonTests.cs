using System.Text.RegularExpressions;
using Google.Protobuf.Reflection;

namespace RaServer.Tests.Contract;

/// <summary>
/// The proto comments name only reasons the server can send: a name after "reason"/"reasons" must be an
/// ErrorReason value, and any other quoted UPPER_SNAKE name must be a value of some enum of the contract. A comment
/// promising a reason nothing sends (as "PAYMENT_OVERDUE" once did, while the server sent PAYMENT_LATE) fails here.
/// </summary>
public sealed partial class ProtoCommentReasonTests
{
    // "reason X", "reason \"X\"", "reasons X, Y and Z", "(\"X\")" after a reason list is covered by the quoted rule.
    [GeneratedRegex("""\breasons?\s+(?<list>"?[A-Z][A-Z0-9]*_[A-Z0-9_]*[A-Z0-9]"?(?:(?:,\s*|\s+and\s+|\s+or\s+)"?[A-Z][A-Z0-9]*_[A-Z0-9_]*[A-Z0-9]"?)*)""")]
    private static partial Regex AfterReasonWord();

    [GeneratedRegex("""[A-Z][A-Z0-9]*_[A-Z0-9_]*[A-Z0-9]""")]
    private static partial Regex SnakeName();

    [GeneratedRegex("""["'](?<name>[A-Z][A-Z0-9]*_[A-Z0-9_]*[A-Z0-9])["']""")]
    private static partial Regex QuotedName();

    private static IEnumerable<FileDescriptor> ContractFiles() =>
        typeof(Customs.Ra.V1.ErrorReason).Assembly.GetTypes()
            .Where(t => t.Namespace == "Customs.Ra.V1" && t.Name.EndsWith("Reflection", StringComparison.Ordinal))
            .Select(t => (FileDescriptor)t.GetProperty("Descriptor")!.GetValue(null)!);

    private static IEnumerable<EnumDescriptor> AllEnums(IEnumerable<MessageDescriptor> messages) =>
        messages.SelectMany(m => m.EnumTypes.Concat(AllEnums(m.NestedTypes)));

    private static string PrefixOf(EnumDescriptor e) =>
        SnakeName().Match(Regex.Replace(e.Name, "(?<=[a-z0-9])(?=[A-Z])", "_").ToUpperInvariant()).Value + "_";

    private static readonly HashSet<string> Reasons = Customs.Ra.V1.CommonReflection.Descriptor.EnumTypes
        .Single(e => e.Name == nameof(Customs.Ra.V1.ErrorReason)).Values
        .Select(v => v.Name["ERROR_REASON_".Length..]).ToHashSet(StringComparer.Ordinal);

    private static readonly HashSet<string> EnumValues = ContractFiles()
        .SelectMany(f => f.EnumTypes.Concat(AllEnums(f.MessageTypes)))
        .SelectMany(e => e.Values.SelectMany(v => new[] { v.Name, v.Name.StartsWith(PrefixOf(e), StringComparison.Ordinal) ? v.Name[PrefixOf(e).Length..] : v.Name }))
        .ToHashSet(StringComparer.Ordinal);

    private static IEnumerable<(string Where, string Comment)> Comments()
    {
        var root = Path.Combine(RepositoryLayout.Root, "protos", "customs");
        foreach (var file in Directory.EnumerateFiles(root, "*.proto", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var lines = File.ReadAllLines(file);
            // A sentence may run over two lines, so each comment line is read with the next one.
            for (var i = 0; i < lines.Length; i++)
            {
                var at = lines[i].IndexOf("//", StringComparison.Ordinal);
                if (at < 0)
                    continue;
                var next = i + 1 < lines.Length && lines[i + 1].TrimStart().StartsWith("//", StringComparison.Ordinal)
                    ? " " + lines[i + 1].TrimStart()[2..].Trim() : "";
                yield return ($"{Path.GetFileName(file)}:{i + 1}", lines[i][(at + 2)..].Trim() + next);
            }
        }
    }

    [Fact]
    public void Names_after_the_word_reason_are_declared_error_reasons()
    {
        var wrong = (from c in Comments()
                     from Match m in AfterReasonWord().Matches(c.Comment)
                     from Match name in SnakeName().Matches(m.Groups["list"].Value)
                     where !Reasons.Contains(name.Value)
                     select $"{c.Where}: {name.Value}").Distinct().ToList();
        Assert.True(wrong.Count == 0, "proto comments name reasons that are not ErrorReason values:\n" + string.Join("\n", wrong));
    }

    [Fact]
    public void Quoted_names_are_declared_reasons_or_enum_values()
    {
        var wrong = (from c in Comments()
                     from Match m in QuotedName().Matches(c.Comment)
                     let name = m.Groups["name"].Value
                     where !Reasons.Contains(name) && !EnumValues.Contains(name)
                     select $"{c.Where}: {name}").Distinct().ToList();
        Assert.True(wrong.Count == 0, "proto comments quote names that are neither ErrorReason nor enum values:\n" + string.Join("\n", wrong));
    }

    [Fact]
    public void The_scan_finds_a_reason_nothing_declares()
    {
        Assert.Contains("PAYMENT_LATE", Reasons);
        Assert.DoesNotContain("PAYMENT_OVERDUE", Reasons);
        Assert.Matches(AfterReasonWord(), "refused (reason \"PAYMENT_OVERDUE\") when late");
        Assert.Matches(QuotedName(), "ALREADY_EXISTS (\"RECEIPT_REUSED\")");
        Assert.Contains("AWAITING_KEY", EnumValues);
    }
}
