using BotCore.MigrationPortal.Performance;
using BotCore.MigrationPortal.Runs;
using BotCore.MigrationPortal.Runs.Checklists;
using BotCore.MigrationPortal.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace BotCore.MigrationPortal.Tests.Unit.Performance;

/// <summary>A whole run on the sandbox's dev target: its critical queries and its watch are recorded as simulated, never with numbers.</summary>
public sealed class PerformanceInSandboxTests
{
    [Fact]
    public async Task A_sandbox_run_records_simulated_measurements_and_a_simulated_watch_with_no_job_scheduled()
    {
        using var portal = new PortalHarness();

        var run = await portal.ExecuteAsync(await portal.QueuedAsync("dev", "1.3.0"));

        Assert.Equal(RunState.Succeeded, run.State);
        var performance = Assert.IsType<RunPerformance>(run.Performance);
        Assert.Equal(["1.0.0#1", "1.2.0#1"], performance.Queries.Select(q => q.QueryId));
        Assert.All(performance.Queries, q =>
        {
            Assert.True(q.Before!.Simulated);
            Assert.True(q.After!.Simulated);
            Assert.Null(q.After.Stats);
            Assert.Equal(ComparisonVerdict.NotCompared, q.Comparison.Verdict);
        });
        var watch = Assert.IsType<SlowOperationWatch>(performance.Watch);
        Assert.True(watch.Simulated && watch.Finished);
        Assert.Contains("trades", watch.Collections);
        var item = run.Item(ChecklistTemplate.QueryPerformance)!;
        Assert.Equal(ItemStatus.Simulated, item.Status);
        Assert.Contains(PerformanceWords.SimulatedExplain, item.Evidence);
        Assert.EndsWith(PerformanceWords.SimulatedWatch, item.Evidence);
        // Application logs are the portal's to point at, not to read: the item stays a person's.
        Assert.Equal(ItemStatus.Open, run.Item(ChecklistTemplate.LogsMonitored)!.Status);
    }

    [Fact]
    public void The_watch_window_is_configured_under_portal_performance_watch()
    {
        var options = PerformanceWatchOptions.From(TestPortal.Configuration(new Dictionary<string, string?>
        {
            ["Portal:PerformanceWatch:Minutes"] = "45", ["Portal:PerformanceWatch:SlowMs"] = "250",
        }));

        Assert.Equal(new PerformanceWatchOptions(45, 5, 250), options);
        Assert.Equal(new PerformanceWatchOptions(30, 5, 100), new ServiceCollection().AddTestPortal().BuildServiceProvider().GetRequiredService<PerformanceWatchOptions>());
    }
}
