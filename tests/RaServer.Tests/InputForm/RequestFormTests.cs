using Customs.Ra.V1;
using Google.Protobuf.WellKnownTypes;
using RaServer.Api;
using RaServer.Domain;

namespace RaServer.Tests.InputForm;

/// <summary>The descriptor walk on its own: which field it names, with which reason, through nesting and lists.</summary>
public sealed class RequestFormTests
{
    private static RaException Refusal(Google.Protobuf.IMessage message) =>
        Assert.Throws<RaException>(() => Api.RequestForm.EnsureWellFormed(message));

    [Fact]
    public void A_well_formed_request_passes()
    {
        Api.RequestForm.EnsureWellFormed(new UpsertOperatorRequest
        {
            Operator = new Operator { Ubn = "04595252", Name = "測試", Kind = OperatorKind.CustomsBroker, Status = OperatorStatus.Active },
        });
    }

    [Fact]
    public void An_undefined_enum_is_named_by_its_path()
    {
        var e = Refusal(new UpsertOperatorRequest { Operator = new Operator { Kind = (OperatorKind)99 } });
        Assert.Equal((RaErrorKind.Invalid, InputReasons.EnumValueUndefined), (e.Kind, e.Reason));
        Assert.Equal(["operator.kind"], e.Fields.Select(f => f.Field));
    }

    [Fact]
    public void Code_points_count_not_utf16_units_and_one_more_is_too_long()
    {
        var name = string.Concat(Enumerable.Repeat("𠀀", 256)); // 256 characters, 512 UTF-16 units
        Api.RequestForm.EnsureWellFormed(new Operator { Name = name });

        var e = Refusal(new Operator { Name = name + "x" });
        Assert.Equal(InputReasons.FieldTooLong, e.Reason);
        Assert.DoesNotContain("𠀀", e.Message);
    }

    [Fact]
    public void U0000_inside_a_list_item_is_named_with_its_index()
    {
        var request = new RejectApplicationRequest();
        request.Reasons.Add(new RejectionReason { Code = "A", Text = "ok" });
        request.Reasons.Add(new RejectionReason { Code = "B", Text = "bad\0text" });
        var e = Refusal(request);
        Assert.Equal(InputReasons.FieldContainsNul, e.Reason);
        Assert.Equal(["reasons[1].text"], e.Fields.Select(f => f.Field));
    }

    [Theory]
    [InlineData(253_402_300_800L, 0)]
    [InlineData(-62_135_596_801L, 0)]
    [InlineData(0L, -1)]
    [InlineData(0L, 1_000_000_000)]
    public void A_timestamp_outside_its_range_is_refused(long seconds, int nanos)
    {
        var e = Refusal(new ConfirmPaymentRequest { PaidAt = new Timestamp { Seconds = seconds, Nanos = nanos } });
        Assert.Equal(InputReasons.TimestampOutOfRange, e.Reason);
        Assert.Equal(["paid_at"], e.Fields.Select(f => f.Field));
    }

    [Fact]
    public void The_last_valid_timestamp_passes()
    {
        Api.RequestForm.EnsureWellFormed(new ConfirmPaymentRequest { PaidAt = new Timestamp { Seconds = 253_402_300_799L, Nanos = 999_999_999 } });
    }

    [Fact]
    public void Bytes_over_their_size_are_refused()
    {
        var e = Refusal(new SubmitCsrPayload { CsrDer = Google.Protobuf.ByteString.CopyFrom(new byte[16_385]) });
        Assert.Equal(InputReasons.FieldTooLong, e.Reason);
        Assert.Equal(["csr_der"], e.Fields.Select(f => f.Field));
    }
}
