using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Engine.Ports;
using BotCore.MigrationPortal.Performance;
using BotCore.MigrationPortal.Runs;
using BotCore.MigrationPortal.Runs.Checklists;
using BotCore.MigrationPortal.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using static BotCore.MigrationPortal.Tests.Unit.Checks.ChecksTestData;

namespace BotCore.MigrationPortal.Tests.Unit.Performance;

/// <summary>How the run's job records performance: a resumed run's "before", the first sample of a watch under way, a watch's end on the checklist.</summary>
public sealed class RunPerformanceRecorderTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;
    private static readonly DateTime At = new(2026, 12, 2, 6, 0, 0, DateTimeKind.Utc);

    private sealed class RecordingWatchQueue : IPerformanceWatchQueue
    {
        public List<(string RunId, DateTimeOffset At)> Scheduled { get; } = [];

        public string ScheduleSample(string runId, DateTimeOffset at)
        {
            Scheduled.Add((runId, at));
            return $"job-{Scheduled.Count}";
        }
    }

    private static RunPerformanceRecorder Recorder(IPerformanceWatchQueue queue) => new(
        new CriticalQueryProbe(TimeProvider.System, NullLogger<CriticalQueryProbe>.Instance),
        new SlowOperationSampler(TimeProvider.System, NullLogger<SlowOperationSampler>.Instance), queue, new PerformanceWatchOptions(), TimeProvider.System);

    [Fact]
    public async Task A_resumed_run_does_not_pass_off_the_target_as_it_was_before()
    {
        using var portal = new PortalHarness();

        var before = await Recorder(new RecordingWatchQueue()).BeforeAsync(portal.Targets.Get("dev"), Plan("0.0.0", "1.0.0"), resuming: true, Token);

        var query = Assert.Single(before);
        Assert.Equal(RunPerformanceRecorder.Resumed, query.Before!.NotMeasured);
        Assert.Null(query.Before.Stats);
    }

    [Fact]
    public void A_watch_under_way_gets_its_first_sample_scheduled_and_one_already_over_none()
    {
        var queue = new RecordingWatchQueue();
        var recorder = Recorder(queue);
        var watch = new SlowOperationWatch(At, At.AddMinutes(30), ["trades"], 100);

        recorder.ContinueWatch("run-1", new RunPerformance { Watch = watch });
        recorder.ContinueWatch("run-2", new RunPerformance { Watch = watch with { Simulated = true, Finished = true } });
        recorder.ContinueWatch("run-3", null);

        Assert.Equal(["run-1"], queue.Scheduled.Select(s => s.RunId));
    }

    [Fact]
    public void The_end_of_a_watch_adds_its_summary_to_the_query_performance_evidence_and_a_sample_does_not()
    {
        var run = new MigrationRun
        {
            Id = "run-1", Target = "staging", Tier = TargetTier.Staging, From = SchemaVersion.Parse("1.2.0"), To = SchemaVersion.Parse("1.3.0"), Checksums = [],
            RequestedBy = "olga", State = RunState.Succeeded,
            Checklist = [new ChecklistItemState { ItemId = ChecklistTemplate.QueryPerformance, Status = ItemStatus.Passed, Evidence = "ok explain", By = "portal", At = At }],
        };
        var watch = new SlowOperationWatch(At, At.AddMinutes(30), ["trades"], 100) { Source = SlowOperationWatch.Profiler, Samples = 1 };

        var sampled = RunPerformanceRecorder.WithWatch(run, watch);
        var finished = RunPerformanceRecorder.WithWatch(sampled, watch with { Finished = true, Samples = 7 });

        Assert.Equal("ok explain", sampled.Item(ChecklistTemplate.QueryPerformance)!.Evidence);
        Assert.Equal("ok explain; Slow operations (profiler, 30 min after the run on trades): none slower than 100 ms",
            finished.Item(ChecklistTemplate.QueryPerformance)!.Evidence);
        Assert.Equal(7, finished.Performance!.Watch!.Samples);
    }

    [Fact]
    public void The_watch_job_is_composed_by_the_portals_registration()
    {
        using var services = new ServiceCollection().AddTestPortal().BuildServiceProvider();

        Assert.NotNull(services.GetRequiredService<PerformanceWatchJob>());
        Assert.IsType<HangfirePerformanceWatchQueue>(services.GetRequiredService<IPerformanceWatchQueue>());
    }
}
