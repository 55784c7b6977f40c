using BotCore.MigrationPortal.Components.Pages.Runs;
using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Performance;
using BotCore.MigrationPortal.Runs;
using BotCore.MigrationPortal.Engine.Ports;
using Bunit;
using static BotCore.MigrationPortal.Tests.Support.PortalHarness;

namespace BotCore.MigrationPortal.Tests.Components.Runs;

/// <summary>The run page's Performance section: each critical query before and after, side by side, and the slow operations after the run.</summary>
public sealed class QueryPerformanceViewTests : RunsPageContext
{
    private static readonly DateTime At = new(2026, 12, 2, 6, 0, 0, DateTimeKind.Utc);

    private static MigrationRun RunWith(RunPerformance? performance) => new()
    {
        Id = "run-perf", Target = "staging", Tier = TargetTier.Staging, From = SchemaVersion.Parse("1.2.0"), To = SchemaVersion.Parse("1.3.0"), Checksums = [],
        RequestedBy = Olga.Name, State = RunState.Succeeded, Performance = performance,
    };

    private static QueryMeasurement Measured(long docs, bool scan) => QueryMeasurement.Of(At,
        new QueryStats(scan ? 0 : docs, docs, 10, scan ? 48 : 1, scan ? "SORT > COLLSCAN" : "LIMIT > FETCH > IXSCAN idx_trades_user_created",
            scan ? [] : ["idx_trades_user_created"], scan));

    private static CriticalQueryPerformance Trades(QueryMeasurement? before, QueryMeasurement? after) =>
        new("1.0.0#1", "trades", "a user's latest trades", "db.trades.find({ \"user_id\" : … }).sort({ \"created_at\" : -1 }).limit(10).explain(\"executionStats\")",
            before, after);

    [Fact]
    public void Before_and_after_stand_side_by_side_with_the_change_in_words()
    {
        var view = Render<QueryPerformanceView>(p => p.Add(x => x.Run, RunWith(new RunPerformance { Queries = [Trades(Measured(10, false), Measured(52_311, true))] })));

        Assert.Contains("IXSCAN idx_trades_user_created", TextOf(view.Find("[data-testid='query-before-1.0.0#1']")));
        Assert.Contains("10 docs examined, 10 keys examined, 10 returned, 1 ms", TextOf(view.Find("[data-testid='query-before-1.0.0#1']")));
        Assert.Contains("52,311 docs examined, 0 keys examined, 10 returned, 48 ms", TextOf(view.Find("[data-testid='query-after-1.0.0#1']")));
        Assert.Equal("worse", TextOf(view.Find("[data-testid='query-change-1.0.0#1']")));
        Assert.Equal(["Query", "Before the run", "After the run", "Change"], view.FindAll("[data-testid=query-performance] th").Select(TextOf));
        Assert.Equal(["Critical queries, before and after", "Slow operations after the run"], view.FindAll("h3").Select(TextOf));
        Assert.Equal(QueryPerformanceView.NoWatch, TextOf(view.Find("[data-testid=slow-operations-none]")));
    }

    [Fact]
    public void In_the_sandbox_nothing_shows_a_number()
    {
        var simulated = new RunPerformance
        {
            Queries = [Trades(QueryMeasurement.SimulatedAt(At), QueryMeasurement.SimulatedAt(At))],
            Watch = new SlowOperationWatch(At, At.AddMinutes(30), ["trades"], 100) { Simulated = true, Finished = true, Samples = 1, LastSampledAt = At },
        };

        var view = Render<QueryPerformanceView>(p => p.Add(x => x.Run, RunWith(simulated)));

        Assert.StartsWith("simulated simulated: the sandbox's target", TextOf(view.Find("[data-testid='query-after-1.0.0#1']")));
        Assert.Equal("not compared", TextOf(view.Find("[data-testid='query-change-1.0.0#1']")));
        Assert.Equal("simulated", TextOf(view.Find("[data-testid=slow-operations-summary] .mud-chip")));
        Assert.Contains(PerformanceWords.SimulatedWatch, TextOf(view.Find("[data-testid=slow-operations-summary]")));
        Assert.Empty(view.FindAll("[data-testid=slow-operations]"));
        Assert.Equal("1 critical query, watch simulated", QueryPerformanceView.Hint(RunWith(simulated)));
    }

    [Fact]
    public void Slow_operations_are_listed_and_a_missing_privilege_is_named()
    {
        var watched = new RunPerformance
        {
            Queries = [Trades(Measured(10, false), Measured(10, false))],
            Watch = new SlowOperationWatch(At, At.AddMinutes(30), ["trades"], 100)
            {
                Source = SlowOperationWatch.Profiler, Finished = true, Samples = 7, LastSampledAt = At.AddMinutes(30),
                Operations = [new SlowOperation("x", At.AddMinutes(3), "botcore.trades", "query", 231, "COLLSCAN")],
            },
        };
        var view = Render<QueryPerformanceView>(p => p.Add(x => x.Run, RunWith(watched)));

        Assert.Equal([["2026-12-02 06:03:00", "botcore.trades", "query", "231 ms", "COLLSCAN"]], RowsOf(view.Find("[data-testid=slow-operations]")));
        Assert.Equal("same", TextOf(view.Find("[data-testid='query-change-1.0.0#1']")));

        var denied = watched with
        {
            Watch = new SlowOperationWatch(At, At.AddMinutes(30), ["trades"], 100)
            {
                NotAvailable = PerformanceWords.NotAvailable(PerformanceWords.MissingProfileRead, PerformanceWords.MissingInprog), Samples = 1, LastSampledAt = At,
            },
        };
        view.Render(p => p.Add(x => x.Run, RunWith(denied)));

        Assert.Contains("not available: missing privilege find on system.profile (the dbAdmin role grants it); and $currentOp: missing privilege inprog",
            TextOf(view.Find("[data-testid=slow-operations-summary]")));
    }

    [Fact]
    public async Task The_run_page_places_the_section_once_something_was_measured()
    {
        SignIn(Olga);
        var run = await Portal.ExecuteAsync(await Portal.QueuedAsync("dev", "1.3.0"));

        var page = RenderPage<RunDetail>(p => p.Add(x => x.Id, run.Id));

        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=section-performance]")), Patience);
        Assert.Contains("2 critical queries, watch simulated", TextOf(page.Find("[data-testid=toggle-performance]")));
        Assert.Single(page.FindAll("[data-testid=query-performance]"));
    }
}
