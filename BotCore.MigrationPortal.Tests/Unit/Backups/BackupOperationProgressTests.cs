using BotCore.MigrationPortal.Backups;
using BotCore.MigrationPortal.Backups.Engines;
using BotCore.MigrationPortal.Engine.Running;
using BotCore.MigrationPortal.Runs.Events;
using BotCore.MigrationPortal.Tests.Support;

namespace BotCore.MigrationPortal.Tests.Unit.Backups;

/// <summary>The backups page's view of an operation, folded from its events as the reporter emits them.</summary>
public sealed class BackupOperationProgressTests
{
    [Fact]
    public void Collections_go_from_running_to_done_or_failed_with_their_progress_and_the_operation_ends_with_its_outcome()
    {
        var events = new RecordingProgress();
        var reporter = new BackupReporter(events, TimeProvider.System, "verify");
        events.Report(new RunEvent(DateTimeOffset.UtcNow, RunEventKind.RunStarted, "Verification of backup b"));
        var users = reporter.Start(1, 2, "Verifying users", 10);
        var trades = reporter.Start(2, 2, "Verifying trades", 10);
        var running = BackupOperationProgress.Build(events.Events);
        users.Finish("users: match");
        trades.Finish("trades: damaged", passed: false);
        reporter.Log("done");
        events.Report(new RunEvent(DateTimeOffset.UtcNow, RunEventKind.RunFinished, "Backup b FAILED verification") { Passed = false });

        var finished = BackupOperationProgress.Build(events.Events);

        Assert.Equal("Verification of backup b", running.Title);
        Assert.False(running.Finished);
        Assert.Equal("Verifying trades", running.Current!.Description);
        Assert.Equal([StepStatus.Done, StepStatus.Failed], finished.Collections.Select(c => c.Status));
        Assert.Equal(["users: match", "trades: damaged"], finished.Collections.Select(c => c.Outcome));
        Assert.All(finished.Collections, c => Assert.NotNull(c.DurationMs));
        Assert.True(finished.Finished);
        Assert.False(finished.Passed);
        Assert.Equal("Backup b FAILED verification", finished.Outcome);
        Assert.Null(finished.Current);
        Assert.All(events.Events, e => Assert.Equal(e.Kind is RunEventKind.RunStarted or RunEventKind.RunFinished ? null : "verify", e.Direction));
    }
}
