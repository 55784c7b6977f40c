using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Engine.Batching;
using BotCore.MigrationPortal.Engine.Running;
using BotCore.MigrationPortal.Runs.Events;
using BotCore.MigrationPortal.Tests.Support;

namespace BotCore.MigrationPortal.Tests.Unit.Runs;

public sealed class RunProgressTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 24, 10, 0, 0, TimeSpan.Zero);
    private readonly Engine.Planning.MigrationPlan plan = new EngineHarness().Planner.Plan(SchemaVersion.Parse("1.0.0"), SchemaVersion.Parse("1.1.0"));

    private static RunEvent Step(RunEventKind kind, int number, string message = "", string direction = "up") =>
        new(At, kind, message) { Version = "1.1.0", Direction = direction, StepIndex = number, StepCount = 7 };

    [Fact]
    public void Without_events_every_planned_step_is_pending()
    {
        var progress = RunProgress.Build(plan, []);

        Assert.Equal(7, progress.Steps.Count);
        Assert.All(progress.Steps, s => Assert.Equal(StepStatus.Pending, s.Status));
        Assert.Null(progress.Current);
    }

    [Fact]
    public void Started_finished_and_batch_events_show_status_duration_and_the_current_batch()
    {
        var progress = RunProgress.Build(plan,
        [
            Step(RunEventKind.StepStarted, 1),
            Step(RunEventKind.StepFinished, 1, "created collection") with { DurationMs = 12 },
            Step(RunEventKind.StepStarted, 7),
            Step(RunEventKind.BatchProgress, 7) with { Batch = new BatchProgress(300, 1000, 150, TimeSpan.FromSeconds(5)) },
        ]);

        Assert.Equal((StepStatus.Done, 12.0, "created collection"), (progress.Steps[0].Status, progress.Steps[0].DurationMs, progress.Steps[0].Outcome));
        Assert.Equal(7, progress.Current!.Number);
        Assert.Equal(30, progress.Current.Batch!.Percent);
        Assert.DoesNotContain(progress.Log, e => e.Kind == RunEventKind.BatchProgress);
    }

    [Fact]
    public void A_failure_marks_the_running_step_failed_and_the_rollback_marks_done_steps_undone()
    {
        var progress = RunProgress.Build(plan,
        [
            Step(RunEventKind.StepStarted, 1),
            Step(RunEventKind.StepFinished, 1, "created"),
            Step(RunEventKind.StepStarted, 2),
            new RunEvent(At, RunEventKind.StepFailed, "Stopped: duplicate key"),
            Step(RunEventKind.StepFinished, 2, "dropped index", "rollback"),
            Step(RunEventKind.StepFinished, 1, "dropped collection", "rollback"),
        ]);

        Assert.Equal(StepStatus.Undone, progress.Steps[0].Status);
        Assert.Equal((StepStatus.Failed, "Stopped: duplicate key"), (progress.Steps[1].Status, progress.Steps[1].Outcome));
        Assert.Equal(StepStatus.Pending, progress.Steps[2].Status);
    }

    [Fact]
    public void Without_a_finished_step_that_says_how_long_it_took_the_pace_guesses_no_time_left()
    {
        var progress = RunProgress.Build(plan,
        [
            Step(RunEventKind.StepStarted, 1),
            Step(RunEventKind.StepFinished, 1, "created"),
            Step(RunEventKind.StepStarted, 2),
        ]);

        var pace = progress.Pace(At.UtcDateTime, null, At.UtcDateTime.AddSeconds(30));

        Assert.Equal((2, 7, (TimeSpan?)null), (pace.Number, pace.Total, pace.Eta));
    }

    [Fact]
    public void The_pace_says_step_n_of_N_the_share_done_with_the_current_batch_and_a_guess_at_the_time_left()
    {
        var started = At.UtcDateTime;
        var progress = RunProgress.Build(plan,
        [
            Step(RunEventKind.StepStarted, 1),
            Step(RunEventKind.StepFinished, 1) with { DurationMs = 1000 },
            Step(RunEventKind.StepStarted, 2),
            Step(RunEventKind.StepFinished, 2) with { DurationMs = 3000 },
            Step(RunEventKind.StepStarted, 3),
            Step(RunEventKind.BatchProgress, 3) with { Batch = new BatchProgress(500, 1000, 100, TimeSpan.FromSeconds(5)) },
        ]);

        var pace = progress.Pace(started, null, started.AddSeconds(10));

        Assert.Equal((3, 7), (pace.Number, pace.Total));
        Assert.Equal(100.0 * 2.5 / 7, pace.Percent, 6);
        Assert.Equal(TimeSpan.FromSeconds(10), pace.Elapsed);
        // The current step's own estimate, then the 4 steps after it at the 2 s the finished ones took on average.
        Assert.Equal(TimeSpan.FromSeconds(5 + 4 * 2), pace.Eta);
    }

    [Fact]
    public void A_finished_run_has_no_time_left_and_its_elapsed_time_stops_at_its_end()
    {
        var started = At.UtcDateTime;
        var progress = RunProgress.Build(plan, Enumerable.Range(1, 7).SelectMany(n => new[]
        {
            Step(RunEventKind.StepStarted, n), Step(RunEventKind.StepFinished, n) with { DurationMs = 10 },
        }));

        var pace = progress.Pace(started, started.AddSeconds(42), started.AddHours(1));

        Assert.Equal((7, 7, 100.0), (pace.Number, pace.Total, pace.Percent));
        Assert.Equal(TimeSpan.FromSeconds(42), pace.Elapsed);
        Assert.Null(pace.Eta);
    }

    [Fact]
    public void Before_a_step_has_finished_nothing_is_guessed()
    {
        var progress = RunProgress.Build(plan, [Step(RunEventKind.StepStarted, 1)]);

        var pace = progress.Pace(At.UtcDateTime, null, At.UtcDateTime.AddSeconds(1));

        Assert.Equal(1, pace.Number);
        Assert.Null(pace.Eta);
    }

    [Fact]
    public void Documents_processed_count_the_last_batch_of_each_data_step_that_finished()
    {
        var progress = RunProgress.Build(plan,
        [
            Step(RunEventKind.StepStarted, 7),
            Step(RunEventKind.BatchProgress, 7) with { Batch = new BatchProgress(300, 1200, 150, null) },
            Step(RunEventKind.BatchProgress, 7) with { Batch = new BatchProgress(1200, 1200, 150, null) },
            Step(RunEventKind.StepFinished, 7) with { DurationMs = 8000 },
        ]);

        Assert.Equal(1200, progress.DocumentsProcessed);
    }
}
