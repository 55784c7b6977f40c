using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Engine.Leases;
using BotCore.MigrationPortal.Targets.Leases;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace BotCore.MigrationPortal.Tests.Unit;

public sealed class LeaseTests
{
    private static readonly LeaseOptions Options = new(DurationSeconds: 60, RenewEverySeconds: 15);
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 11, 24, 8, 0, 0, TimeSpan.Zero));
    private readonly InMemoryLeaseStore store;

    public LeaseTests() => store = new InMemoryLeaseStore(time);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private Task<TargetLease> Acquire(string runId) =>
        TargetLease.AcquireAsync("staging", store, new LeaseHolder(runId, $"user-of-{runId}") { Host = $"host-{runId}" }, Options, time,
            NullLogger.Instance, TestContext.Current.CancellationToken);

    [Fact]
    public void A_lease_can_be_taken_by_its_holder_at_any_time_and_by_others_only_once_expired()
    {
        var now = time.GetUtcNow().UtcDateTime;
        var lease = LeaseRecord.For(new LeaseHolder("run-a", "alice"), now, TimeSpan.FromSeconds(60));

        Assert.True(lease.CanBeTakenBy(lease.HolderId, now.AddSeconds(10)));
        Assert.False(lease.CanBeTakenBy("someone-else", now.AddSeconds(59)));
        Assert.True(lease.CanBeTakenBy("someone-else", now.AddSeconds(60)));
    }

    [Fact]
    public async Task A_second_run_is_refused_while_the_first_holds_the_lease_with_who_and_until_when()
    {
        await using var first = await Acquire("run-a");

        var refused = await Assert.ThrowsAsync<TargetLockedException>(() => Acquire("run-b"));

        Assert.Equal("run-a", refused.Holder.RunId);
        Assert.Contains("run-a", refused.Message);
        Assert.Contains("user-of-run-a", refused.Message);
        Assert.Contains("host-run-a", refused.Message);
        Assert.Contains("staging", refused.Message);
    }

    [Fact]
    public async Task Renewal_keeps_the_lease_beyond_its_first_expiry()
    {
        await using var first = await Acquire("run-a");

        for (var i = 0; i < 8; i++)
        {
            time.Advance(Options.RenewEvery);
            await WaitUntil(async () => (await store.ReadAsync(Token))!.ExpiresAt >= time.GetUtcNow().UtcDateTime + Options.Duration);
        }

        Assert.True(time.GetUtcNow().UtcDateTime > first.Record.AcquiredAt + Options.Duration);
        await Assert.ThrowsAsync<TargetLockedException>(() => Acquire("run-b"));
        Assert.False(first.Lost.IsCancellationRequested);
    }

    [Fact]
    public async Task A_lease_whose_holder_died_is_taken_over_once_it_expires_and_the_old_holder_learns_it_lost()
    {
        // A holder that stopped renewing: its process died (here it is simply never renewed).
        var dead = await store.TryAcquireAsync(new LeaseHolder("run-dead", "ghost"), Options.Duration, Token);
        Assert.NotNull(dead);
        await Assert.ThrowsAsync<TargetLockedException>(() => Acquire("run-b"));

        time.Advance(Options.Duration);
        await using var taker = await Acquire("run-b");

        Assert.Equal("run-b", (await store.ReadAsync(Token))!.RunId);
        Assert.Null(await store.TryRenewAsync(dead.HolderId, Options.Duration, Token));
    }

    [Fact]
    public async Task A_holder_whose_lease_was_taken_over_is_told_at_its_next_renewal()
    {
        await using var slow = await Acquire("run-a");
        // Its renewals did not reach the store for a whole lease (a partition); run-b took the lease over.
        await store.ReleaseAsync(slow.Record.HolderId, Token);
        Assert.NotNull(await store.TryAcquireAsync(new LeaseHolder("run-b", "bob"), Options.Duration, Token));

        time.Advance(Options.RenewEvery);

        await WaitUntil(() => Task.FromResult(slow.Lost.IsCancellationRequested));
        Assert.Equal("run-b", (await store.ReadAsync(Token))!.RunId);
    }

    [Fact]
    public async Task The_lease_is_timed_by_the_store_s_clock_not_the_holder_s()
    {
        await using var held = await Acquire("run-a");

        // The store's clock is the one the lease records: acquired now, expiring one duration later.
        Assert.Equal(time.GetUtcNow().UtcDateTime, held.Record.AcquiredAt);
        Assert.Equal(time.GetUtcNow().UtcDateTime + Options.Duration, (await store.ReadAsync(Token))!.ExpiresAt);
    }

    [Fact]
    public async Task Disposing_releases_the_lease_for_the_next_run()
    {
        var first = await Acquire("run-a");
        await first.DisposeAsync();

        await using var second = await Acquire("run-b");

        Assert.Equal("run-b", (await store.ReadAsync(Token))!.RunId);
    }

    private static async Task WaitUntil(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the condition did not become true within 5 s");
            await Task.Delay(10, TestContext.Current.CancellationToken);
        }
    }

    [Theory]
    [InlineData(60, 0)]
    [InlineData(60, 60)]
    [InlineData(30, 45)]
    public void A_lease_renewed_no_more_often_than_it_lasts_is_refused(int duration, int renewEvery)
    {
        var error = Assert.Throws<BadInputException>(() => new LeaseOptions(duration, renewEvery).Validated());

        Assert.Contains($"they are {renewEvery} and {duration}", error.Message);
    }

    [Fact]
    public void The_default_lease_is_valid() => Assert.Equal(new LeaseOptions(), new LeaseOptions().Validated());
}
