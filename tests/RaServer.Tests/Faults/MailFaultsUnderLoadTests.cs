using Dapper;
using Npgsql;
using RaServer.Tests.Fixtures;
using Xunit.Abstractions;

namespace RaServer.Tests.Faults;

/// <summary>
/// Issue 12 §1, SMTP down and back with two replicas under load: the notices wait in the outbox while the relay is
/// away and each reaches it exactly once when it is back, counted at the SMTP server by Message-ID.
/// </summary>
public sealed class SmtpOutageUnderLoadTests(PostgresFixture postgres, SmtpServerFixture smtp, ITestOutputHelper output)
    : IClassFixture<PostgresFixture>, IClassFixture<SmtpServerFixture>
{
    [Fact]
    public async Task Two_replicas_under_load_queue_mail_while_smtp_is_down_and_deliver_each_notice_once_when_it_is_back()
    {
        await using var bed = await FaultBed.StartAsync(postgres, CaSetup.Embedded, smtp);
        var fault = new Fault("smtp-down", () =>
        {
            smtp.Stop();
            return Task.CompletedTask;
        }, smtp.StartAsync);

        var figures = await FaultRun.RunAsync(bed, fault, nameof(SmtpOutageUnderLoadTests), output);

        Assert.True(figures.MailRetried > 0, "no notice needed a second attempt: the outage did not bite");
        var queued = await MessageIdsAsync(bed);
        var delivered = smtp.DeliveredMessages().Select(m => m.MessageId).ToList();
        output.WriteLine($"  SMTP server: {delivered.Count} messages, {delivered.Distinct().Count()} Message-IDs, outbox {queued.Count}");
        Assert.Equal(delivered.Count, delivered.Distinct().Count());
        Assert.Equal(queued.Order(StringComparer.Ordinal), delivered.Order(StringComparer.Ordinal));
    }

    private static async Task<IReadOnlyList<string>> MessageIdsAsync(FaultBed bed)
    {
        await using var connection = new NpgsqlConnection(bed.ConnectionString);
        return (await connection.QueryAsync<string>("SELECT message_id FROM mail_outbox")).Select(id => id.Trim('<', '>')).ToList();
    }
}

/// <summary>
/// Issue 12 §1, a full disk under the mail pickup folder with two replicas under load: a real ENOSPC (a small tmpfs,
/// <see cref="SmallDisk"/>, filled to the last byte). The notices stay queued while nothing can be written and each
/// is written once, whole, when space is back.
/// </summary>
public sealed class FullPickupDiskUnderLoadTests(PostgresFixture postgres, ITestOutputHelper output) : IClassFixture<PostgresFixture>
{
    [Fact]
    public async Task Two_replicas_under_load_keep_mail_queued_while_the_pickup_disk_is_full_and_write_each_notice_once_when_space_is_back()
    {
        using var disk = await SmallDisk.MountAsync();
        var pickup = Path.Combine(disk.Folder, "pickup");
        Directory.CreateDirectory(pickup);
        await using var bed = await FaultBed.StartAsync(postgres, CaSetup.Embedded, configure: settings => settings["Mail:PickupFolder"] = pickup);
        long filled = 0;
        var errorsWhileFull = "";
        var fault = new Fault("pickup-disk-full", async () => filled = await disk.FillAsync(), async () =>
        {
            errorsWhileFull = await LastErrorsAsync(bed); // a sent notice's error is cleared
            disk.Free();
        });

        var figures = await FaultRun.RunAsync(bed, fault, nameof(FullPickupDiskUnderLoadTests), output);

        output.WriteLine($"  the filler took {filled / 1024} KiB before ENOSPC");
        Assert.True(figures.MailRetried > 0, "no notice needed a second attempt: the full disk did not bite");
        Assert.Contains("No space left on device", errorsWhileFull);
        var files = Directory.GetFiles(pickup);
        Assert.DoesNotContain(files, f => f.EndsWith(".partial", StringComparison.Ordinal));
        Assert.Equal(figures.MailSent, files.Count(f => f.EndsWith(".eml", StringComparison.Ordinal)));
        Assert.All(files, f => Assert.NotNull(MimeKit.MimeMessage.Load(f).MessageId)); // each one whole
    }

    private static async Task<string> LastErrorsAsync(FaultBed bed)
    {
        await using var connection = new NpgsqlConnection(bed.ConnectionString);
        return string.Join("\n", await connection.QueryAsync<string>("SELECT last_error FROM mail_outbox WHERE last_error IS NOT NULL"));
    }
}
