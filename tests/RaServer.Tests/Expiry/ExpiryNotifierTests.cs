using RaServer.Tests.Fixtures;

namespace RaServer.Tests.Expiry;

/// <summary>
/// The weekly expiry notices end to end: certificate rows in PostgreSQL, two replicas running the job at the same
/// moment, and what a real SMTP server receives, walking the shared fake clock through the weeks.
/// </summary>
/// <remarks>Fresh replicas and clock per test; one SMTP server for the class (holders are named apart per test).</remarks>
public sealed class ExpiryNotifierTests(PostgresFixture postgres, SmtpServerFixture smtp)
    : IClassFixture<PostgresFixture>, IClassFixture<SmtpServerFixture>
{
    private static readonly TimeSpan AfterTheSlot = TimeSpan.FromHours(1);

    [Fact]
    public async Task Over_four_weeks_two_replicas_send_each_qualifying_holder_exactly_one_notice_a_week_and_nobody_else_any()
    {
        await using var replicas = await TwoReplicas.StartAsync(postgres, smtp: smtp);
        var s = replicas.FirstSlot;
        var certificates = replicas.Certificates;
        var expiresInWeek4 = await certificates.AddAsync("expires-in-week-4", s.AddDays(20));
        var entersInWeek3 = await certificates.AddAsync("enters-in-week-3", s.AddDays(40)); // within 30 days of slot 3 (day 14), not of slot 2
        await certificates.AddAsync("far-from-expiry", s.AddDays(200));
        var renewed = await certificates.AddAsync("renewed", s.AddDays(10));
        await certificates.RenewAsync("renewed", renewed);
        await certificates.AddAsync("suspended", s.AddDays(10), state: "SUSPENDED");
        await certificates.AddAsync("revoked", s.AddDays(10), state: "REVOKED");
        await certificates.AddAsync("unregistered", s.AddDays(10), registered: false);
        await certificates.AddAsync("expires-before-week-1", s.AddDays(-2));

        string[][] expected =
        [
            ["expires-in-week-4"],
            ["expires-in-week-4"],
            ["enters-in-week-3", "expires-in-week-4"],
            ["enters-in-week-3"],
        ];
        for (var week = 1; week <= 4; week++)
        {
            replicas.AdvanceTo(replicas.Slot(week) + AfterTheSlot);

            Assert.Equal(expected[week - 1].Length, await replicas.RunOnBothAsync());
            var delivered = await replicas.DeliverAsync();

            Assert.Equal(expected[week - 1], TwoReplicas.Holders(delivered));
            Assert.True(await replicas.IsWeekCompleteAsync(replicas.Slot(week)));
        }
        // Spot-check what the holders read: the serial and the expiry date, both in Taiwan terms.
        Assert.Equal(1 + 1 + 2 + 1, await replicas.QueuedExpiryNoticesAsync());
        var lastWeek = replicas.Smtp.DeliveredMessages().Where(m => m.To.Mailboxes.Single().LocalPart == "enters-in-week-3").ToList();
        Assert.Equal(2, lastWeek.Count);
        Assert.All(lastWeek, m => Assert.Contains(entersInWeek3, m.TextBody ?? ""));
        Assert.All(lastWeek, m => Assert.Contains($"{s.AddDays(40).ToOffset(TimeSpan.FromHours(8)):yyyy-MM-dd}", m.TextBody ?? ""));
        Assert.DoesNotContain(replicas.Smtp.DeliveredMessages(), m => (m.TextBody ?? "").Contains(renewed, StringComparison.Ordinal));
        Assert.Contains(replicas.Smtp.DeliveredMessages(), m => (m.TextBody ?? "").Contains(expiresInWeek4, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Running_the_job_again_in_the_same_week_sends_nothing_the_second_time()
    {
        await using var replicas = await TwoReplicas.StartAsync(postgres, smtp: smtp);
        await replicas.Certificates.AddAsync("holder-a", replicas.FirstSlot.AddDays(12));
        await replicas.Certificates.AddAsync("holder-b", replicas.FirstSlot.AddDays(25));
        replicas.AdvanceTo(replicas.FirstSlot + AfterTheSlot);
        Assert.Equal(2, await replicas.RunOnBothAsync());
        Assert.Equal(["holder-a", "holder-b"], TwoReplicas.Holders(await replicas.DeliverAsync()));

        // Later the same day, and on the last evening of the week, on both replicas.
        Assert.Equal(0, await replicas.RunOnBothAsync());
        replicas.AdvanceTo(replicas.Slot(2) - TimeSpan.FromHours(1));
        Assert.Equal(0, await replicas.RunOnBothAsync());

        Assert.Empty(await replicas.DeliverAsync());
        Assert.Equal(2, await replicas.QueuedExpiryNoticesAsync());
    }

    [Fact]
    public async Task A_capped_run_tells_the_soonest_expiring_first_and_carries_the_rest_to_the_next_runs_of_the_week()
    {
        await using var replicas = await TwoReplicas.StartAsync(postgres, new Dictionary<string, string> { ["ExpiryNotices:MaxPerRun"] = "2" }, smtp);
        for (var i = 1; i <= 5; i++)
            await replicas.Certificates.AddAsync($"holder-{i}", replicas.FirstSlot.AddDays(5 * i));
        replicas.AdvanceTo(replicas.FirstSlot + AfterTheSlot);
        var notifier = TwoReplicas.Notifier(replicas.First);

        Assert.Equal(2, await notifier.RunOnceAsync(CancellationToken.None));
        Assert.Equal(["holder-1", "holder-2"], TwoReplicas.Holders(await replicas.DeliverAsync()));
        Assert.False(await replicas.IsWeekCompleteAsync(replicas.FirstSlot));

        replicas.Clock.Advance(TimeSpan.FromMinutes(15));
        Assert.Equal(2, await TwoReplicas.Notifier(replicas.Second).RunOnceAsync(CancellationToken.None));
        replicas.Clock.Advance(TimeSpan.FromMinutes(15));
        Assert.Equal(1, await notifier.RunOnceAsync(CancellationToken.None));
        Assert.True(await replicas.IsWeekCompleteAsync(replicas.FirstSlot));
        Assert.Equal(0, await replicas.RunOnBothAsync());

        Assert.Equal(["holder-3", "holder-4", "holder-5"], TwoReplicas.Holders(await replicas.DeliverAsync()));
    }

    [Fact]
    public async Task Renewing_a_certificate_stops_its_notices_from_the_next_week_on()
    {
        await using var replicas = await TwoReplicas.StartAsync(postgres, smtp: smtp);
        var old = await replicas.Certificates.AddAsync("renews-after-week-1", replicas.FirstSlot.AddDays(25));
        await replicas.Certificates.AddAsync("keeps-its-certificate", replicas.FirstSlot.AddDays(25));

        replicas.AdvanceTo(replicas.Slot(1) + AfterTheSlot);
        await replicas.RunOnBothAsync();
        Assert.Equal(["keeps-its-certificate", "renews-after-week-1"], TwoReplicas.Holders(await replicas.DeliverAsync()));

        replicas.Clock.Advance(TimeSpan.FromDays(2));
        await replicas.Certificates.RenewAsync("renews-after-week-1", old);

        replicas.AdvanceTo(replicas.Slot(2) + AfterTheSlot);
        Assert.Equal(1, await replicas.RunOnBothAsync());
        Assert.Equal(["keeps-its-certificate"], TwoReplicas.Holders(await replicas.DeliverAsync()));
    }

    [Fact]
    public async Task A_holder_whose_notice_email_is_not_an_address_is_skipped_without_holding_up_the_others()
    {
        await using var replicas = await TwoReplicas.StartAsync(postgres, smtp: smtp);
        await replicas.Certificates.AddAsync("unreachable", replicas.FirstSlot.AddDays(3), noticeEmail: "not an address");
        await replicas.Certificates.AddAsync("reachable", replicas.FirstSlot.AddDays(4));

        replicas.AdvanceTo(replicas.FirstSlot + AfterTheSlot);

        Assert.Equal(1, await replicas.RunOnBothAsync());
        Assert.True(await replicas.IsWeekCompleteAsync(replicas.FirstSlot));
        Assert.Equal(["reachable"], TwoReplicas.Holders(await replicas.DeliverAsync()));
    }

    [Fact]
    public async Task The_replicas_background_loops_send_the_weeks_notices_once_after_the_slot_and_not_before()
    {
        await using var replicas = await TwoReplicas.StartAsync(postgres, new Dictionary<string, string> { ["ExpiryNotices:CheckInterval"] = "01:00:00" }, smtp);
        // 25 days after the coming slot: in its window, but not in that of the slot a day before the clock's start.
        await replicas.Certificates.AddAsync("holder", replicas.FirstSlot.AddDays(25));
        var previousSlot = replicas.Slot(0);

        replicas.Clock.Advance(TimeSpan.FromHours(2));
        await Eventually(() => replicas.IsWeekCompleteAsync(previousSlot));
        Assert.Equal(0, await replicas.QueuedExpiryNoticesAsync());

        replicas.AdvanceTo(replicas.FirstSlot + TimeSpan.FromMinutes(30));
        await Eventually(() => replicas.IsWeekCompleteAsync(replicas.FirstSlot));

        Assert.Equal(1, await replicas.QueuedExpiryNoticesAsync());
        Assert.Equal(["holder"], TwoReplicas.Holders(await replicas.DeliverAsync()));
    }

    /// <summary>Waits (in real time) for the background loops, which run on their own threads after the clock moves.</summary>
    private static async Task Eventually(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the background loops did not finish the week within 15 seconds");
            await Task.Delay(50);
        }
    }
}
