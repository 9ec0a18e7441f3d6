using Customs.Ra.V1;
using Google.Protobuf.Reflection;
using RaServer.Api;

namespace RaServer.Tests.Contract;

/// <summary>
/// Every string and bytes field a caller can send carries its own declared limit (options.proto), so generated SDKs
/// can read the limit the server enforces instead of relying on the default.
/// </summary>
public sealed class FieldLimitTests
{
    private static readonly ServiceDescriptor[] Services =
    [
        RegistrationAuthority.Descriptor, CustomsOffice.Descriptor, Customs.Ra.V1.Registry.Descriptor,
        Payments.Descriptor, Verification.Descriptor,
    ];

    /// <summary>The request messages, the signed payloads, and every message reachable from them.</summary>
    private static IEnumerable<MessageDescriptor> SentMessages()
    {
        var roots = Services.SelectMany(s => s.Methods.Select(m => m.InputType))
            .Concat(RegistrationAuthority.Descriptor.File.MessageTypes.Where(m => m.Name.EndsWith("Payload", StringComparison.Ordinal)));
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<MessageDescriptor>(roots);
        while (pending.TryPop(out var message))
        {
            if (message.File.Package != "customs.ra.v1" || !seen.Add(message.FullName))
                continue;
            yield return message;
            foreach (var field in message.Fields.InFieldNumberOrder().Where(f => f.FieldType == FieldType.Message))
                pending.Push(field.MessageType);
        }
    }

    [Fact]
    public void Every_string_and_bytes_field_of_every_request_declares_its_maximum()
    {
        var undeclared = SentMessages()
            .SelectMany(m => m.Fields.InFieldNumberOrder().Select(f => (Message: m, Field: f)))
            .Where(x => x.Field.FieldType is FieldType.String or FieldType.Bytes && !FieldLimits.IsDeclared(x.Field))
            .Select(x => $"{x.Message.Name}.{x.Field.Name}")
            .ToList();

        Assert.True(undeclared.Count == 0, "these request fields declare no max_length / max_size: " + string.Join(", ", undeclared));
    }

    [Fact]
    public void The_walk_reaches_nested_request_messages_and_reads_declared_limits()
    {
        // The test above means something only if the walk finds nested messages and the option is read.
        var names = SentMessages().Select(m => m.Name).ToHashSet();
        Assert.Contains("PersonalSubject", names);
        Assert.Contains("RejectionReason", names);
        Assert.Contains("Operator", names);
        Assert.Equal(254, FieldLimits.Of(ApplicationContent.Descriptor.FindFieldByName("notice_email")));
        Assert.Equal(16_384, FieldLimits.Of(SubmitCsrPayload.Descriptor.FindFieldByName("csr_der")));
        Assert.False(FieldLimits.IsDeclared(Application.Descriptor.FindFieldByName("failure_detail")));
        Assert.Equal(FieldLimits.DefaultMaxLength, FieldLimits.Of(Application.Descriptor.FindFieldByName("failure_detail")));
    }
}
