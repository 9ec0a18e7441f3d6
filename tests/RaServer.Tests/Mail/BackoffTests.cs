using RaServer.Hosting;
using RaServer.Policy;
using RaServer.Storage;
using RaServer.Workers;

namespace RaServer.Tests.Mail;

public sealed class BackoffTests
{
    [Theory]
    [InlineData(1, 30)]
    [InlineData(2, 60)]
    [InlineData(3, 120)]
    [InlineData(7, 1920)]
    [InlineData(8, 3600)]      // 3840 s capped at the one-hour maximum
    [InlineData(100, 3600)]
    [InlineData(int.MaxValue, 3600)]
    public void The_wait_doubles_after_each_failure_up_to_the_maximum(int attempt, int expectedSeconds) =>
        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), Backoff.After(attempt, TimeSpan.FromSeconds(30), TimeSpan.FromHours(1)));

    [Fact]
    public void A_long_first_delay_does_not_overflow_into_a_short_wait() =>
        Assert.Equal(TimeSpan.FromDays(1), Backoff.After(60, TimeSpan.FromHours(23), TimeSpan.FromDays(1)));
}
