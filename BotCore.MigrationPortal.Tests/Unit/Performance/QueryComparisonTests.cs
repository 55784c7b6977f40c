using BotCore.MigrationPortal.Performance;

namespace BotCore.MigrationPortal.Tests.Unit.Performance;

/// <summary>Before against after: what counts as worse, better or the same, and what is not compared at all.</summary>
public sealed class QueryComparisonTests
{
    private static readonly DateTime At = new(2026, 12, 2, 6, 0, 0, DateTimeKind.Utc);

    private static QueryMeasurement Indexed(long keys, long docs, long returned, long ms = 1) =>
        QueryMeasurement.Of(At, new QueryStats(keys, docs, returned, ms, "LIMIT > FETCH > IXSCAN idx_trades_user_created", ["idx_trades_user_created"], false));

    private static QueryMeasurement Scanned(long docs, long returned) =>
        QueryMeasurement.Of(At, new QueryStats(0, docs, returned, 40, "SORT > COLLSCAN", [], true));

    [Fact]
    public void Losing_the_index_is_worse_whatever_the_numbers()
    {
        var comparison = QueryComparison.Of(Indexed(10, 10, 10), Scanned(10, 10));

        Assert.Equal(ComparisonVerdict.Worse, comparison.Verdict);
        Assert.StartsWith("WORSE: plan IXSCAN idx_trades_user_created → COLLSCAN; docs examined 10 → 10", comparison.Summary);
    }

    [Fact]
    public void Gaining_an_index_is_better()
    {
        Assert.Equal(ComparisonVerdict.Better, QueryComparison.Of(Scanned(5000, 10), Indexed(10, 10, 10)).Verdict);
    }

    [Fact]
    public void More_than_twice_the_documents_examined_for_each_returned_is_worse()
    {
        var comparison = QueryComparison.Of(Indexed(10, 10, 10), Indexed(10, 200, 10));

        Assert.Equal(ComparisonVerdict.Worse, comparison.Verdict);
        Assert.Contains("plan unchanged (IXSCAN idx_trades_user_created)", comparison.Summary);
    }

    [Fact]
    public void More_data_examined_in_proportion_to_more_returned_is_the_same()
    {
        Assert.Equal(ComparisonVerdict.Same, QueryComparison.Of(Indexed(3, 3, 3), Indexed(10, 10, 10)).Verdict);
    }

    [Fact]
    public void Time_alone_is_not_judged()
    {
        Assert.Equal(ComparisonVerdict.Same, QueryComparison.Of(Indexed(10, 10, 10, ms: 1), Indexed(10, 10, 10, ms: 90)).Verdict);
    }

    [Fact]
    public void A_simulated_measurement_is_not_compared_and_says_simulated()
    {
        var comparison = QueryComparison.Of(QueryMeasurement.SimulatedAt(At), QueryMeasurement.SimulatedAt(At));

        Assert.Equal(ComparisonVerdict.NotCompared, comparison.Verdict);
        Assert.StartsWith("simulated:", comparison.Summary);
        Assert.DoesNotMatch("[0-9]", comparison.Summary);
    }

    [Fact]
    public void Without_a_measurement_before_the_after_numbers_show_with_why()
    {
        var comparison = QueryComparison.Of(QueryMeasurement.Unavailable(At, PerformanceWords.MissingFind("trades")), Indexed(1, 1, 1));

        Assert.Equal(ComparisonVerdict.NotCompared, comparison.Verdict);
        Assert.Equal("after: IXSCAN idx_trades_user_created, 1 docs and 1 keys examined, 1 returned, 1 ms (no measurement before the run: " +
            "not available: missing privilege find on trades (explain needs what the query needs))", comparison.Summary);
    }

    [Fact]
    public void Not_yet_measured_after_says_so()
    {
        Assert.Equal("not measured after the run yet", QueryComparison.Of(Indexed(1, 1, 1), null).Summary);
    }
}
