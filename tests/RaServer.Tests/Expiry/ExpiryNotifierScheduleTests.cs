using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RaServer.Hosting;
using RaServer.Workers;

namespace RaServer.Tests.Expiry;

/// <summary>The weekly slot in Taiwan time, and the "ExpiryNotices" configuration section.</summary>
public sealed class ExpiryNotifierScheduleTests
{
    [Theory]
    // Monday 09:00 Taiwan time is Monday 01:00 UTC.
    [InlineData("Monday", "09:00", "2025-03-03T01:00:00Z", "2025-03-03T09:00:00+08:00")] // exactly at the slot
    [InlineData("Monday", "09:00", "2025-03-03T00:59:59Z", "2025-02-24T09:00:00+08:00")] // a second before it
    [InlineData("Monday", "09:00", "2025-03-09T15:59:00Z", "2025-03-03T09:00:00+08:00")] // Sunday 23:59 in Taipei
    [InlineData("Monday", "09:00", "2025-03-09T17:30:00Z", "2025-03-03T09:00:00+08:00")] // still Sunday in UTC, Monday 01:30 in Taipei
    [InlineData("Monday", "09:00", "2025-03-10T01:00:00Z", "2025-03-10T09:00:00+08:00")]
    [InlineData("Sunday", "23:30", "2025-03-09T15:30:00Z", "2025-03-09T23:30:00+08:00")] // Sunday 23:30 in Taipei
    [InlineData("Sunday", "23:30", "2025-03-09T15:29:00Z", "2025-03-02T23:30:00+08:00")]
    [InlineData("Friday", "00:00", "2025-12-31T17:00:00Z", "2025-12-26T00:00:00+08:00")] // across a year end: Thursday 2026-01-01 01:00 in Taipei
    public void The_latest_slot_is_the_last_configured_day_and_time_in_taiwan_at_or_before_now(
        string day, string time, string now, string expectedSlot)
    {
        var schedule = new ExpiryNotifierSchedule(Enum.Parse<DayOfWeek>(day), TimeOnly.Parse(time));

        var slot = schedule.LatestSlotAtOrBefore(DateTimeOffset.Parse(now));

        Assert.Equal(DateTimeOffset.Parse(expectedSlot), slot);
        Assert.Equal(TimeSpan.FromHours(8), slot.Offset);
    }

    [Fact]
    public void The_expiry_date_a_holder_reads_is_the_taiwan_date() =>
        Assert.Equal(new DateOnly(2025, 4, 2), ExpiryNotifierSchedule.TaiwanDate(DateTimeOffset.Parse("2025-04-01T16:00:00Z")));

    [Fact]
    public void Without_configuration_the_notices_go_out_on_mondays_at_nine_for_certificates_expiring_within_thirty_days()
    {
        var options = Resolve([]);

        Assert.Equal(DayOfWeek.Monday, options.DayOfWeek);
        Assert.Equal(new TimeOnly(9, 0), options.TimeOfDay);
        Assert.Equal(30, options.WindowDays);
        Assert.True(options.MaxPerRun > 0);
    }

    [Fact]
    public void The_day_and_time_are_read_from_the_expiry_notices_section()
    {
        var options = Resolve(new()
        {
            ["ExpiryNotices:DayOfWeek"] = "Friday",
            ["ExpiryNotices:TimeOfDay"] = "07:30",
            ["ExpiryNotices:MaxPerRun"] = "50",
            ["ExpiryNotices:CheckInterval"] = "00:05:00",
        });

        Assert.Equal(DayOfWeek.Friday, options.DayOfWeek);
        Assert.Equal(new TimeOnly(7, 30), options.TimeOfDay);
        Assert.Equal(50, options.MaxPerRun);
        Assert.Equal(TimeSpan.FromMinutes(5), options.CheckInterval);
    }

    [Theory]
    [InlineData("ExpiryNotices:MaxPerRun", "0")]
    [InlineData("ExpiryNotices:WindowDays", "0")]
    [InlineData("ExpiryNotices:CheckInterval", "00:00:00")]
    [InlineData("ExpiryNotices:CheckInterval", "60.00:00:00")]
    public void A_setting_the_notifier_cannot_work_with_is_refused(string key, string value)
    {
        var e = Assert.Throws<OptionsValidationException>(() => Resolve(new() { [key] = value }));
        Assert.Contains(key, e.Message);
    }

    private static ExpiryNotifierOptions Resolve(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        using var provider = new ServiceCollection().AddLogging().AddSingleton(TimeProvider.System).AddExpiryNotifier(configuration).BuildServiceProvider();
        return provider.GetRequiredService<IOptions<ExpiryNotifierOptions>>().Value;
    }
}
