using BotCore.MigrationPortal.Performance;
using BotCore.MigrationPortal.Runs.Checklists;

namespace BotCore.MigrationPortal.Tests.Unit.Performance;

/// <summary>The words and status of "Checked query performance" once the before/after measurements are part of its evidence.</summary>
public sealed class QueryPerformanceItemTests
{
    private static readonly DateTime At = new(2026, 12, 2, 6, 0, 0, DateTimeKind.Utc);
    private static readonly (ItemStatus, string) ChecksPassed = (ItemStatus.Passed, "ok Critical query uses an index: a user's latest trades (trades): answered by an index scan of idx_trades_user_created (3 ms)");

    private static RunPerformance With(QueryMeasurement before, QueryMeasurement after) => new()
    {
        Queries = [new CriticalQueryPerformance("1.0.0#1", "trades", "a user's latest trades", "db.trades.find(…)", before, after)],
    };

    private static QueryMeasurement Stats(long docs, bool scan = false) =>
        QueryMeasurement.Of(At, new QueryStats(scan ? 0 : docs, docs, 10, 2, scan ? "COLLSCAN" : "IXSCAN idx", scan ? [] : ["idx"], scan));

    [Fact]
    public void Without_measurements_the_checks_settle_it_as_before()
    {
        Assert.Equal(ChecksPassed, QueryPerformanceItem.Settle(ChecksPassed, null));
    }

    [Fact]
    public void The_comparison_is_added_to_the_evidence()
    {
        var (status, evidence) = QueryPerformanceItem.Settle(ChecksPassed, With(Stats(10), Stats(10)));

        Assert.Equal(ItemStatus.Passed, status);
        Assert.EndsWith("; a user's latest trades (trades) before → after the run: same: plan unchanged (IXSCAN idx); docs examined 10 → 10, keys 10 → 10, " +
            "returned 10 → 10, 2 → 2 ms", evidence);
    }

    [Fact]
    public void A_query_that_got_worse_fails_the_item_so_that_it_is_seen()
    {
        var (status, evidence) = QueryPerformanceItem.Settle(ChecksPassed, With(Stats(10), Stats(5000, scan: true)));

        Assert.Equal(ItemStatus.Failed, status);
        Assert.Contains("WORSE: plan IXSCAN idx → COLLSCAN", evidence);
    }

    [Fact]
    public void In_the_sandbox_it_stays_simulated_and_says_so()
    {
        var simulated = (ItemStatus.Simulated, "simulated Critical query uses an index: …");

        var (status, evidence) = QueryPerformanceItem.Settle(simulated, With(QueryMeasurement.SimulatedAt(At), QueryMeasurement.SimulatedAt(At)));

        Assert.Equal(ItemStatus.Simulated, status);
        Assert.EndsWith($"before → after the run: {PerformanceWords.SimulatedExplain}", evidence);
    }
}
