using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Notifications;
using BotCore.MigrationPortal.Runs;
using BotCore.MigrationPortal.Runs.Checklists;
using BotCore.MigrationPortal.Engine.Ports;

namespace BotCore.MigrationPortal.Tests.Unit.Notifications;

/// <summary>Which change of a run the team is told about: each state the events name, once, and blocking drift when it is first found.</summary>
public sealed class RunTransitionEventsTests
{
    private static readonly MigrationRun Run = new()
    {
        Id = "run-1", Target = "staging", Tier = TargetTier.Staging, From = SchemaVersion.Parse("1.2.0"), To = SchemaVersion.Parse("1.3.0"), Checksums = [],
        RequestedBy = "olga", State = RunState.PreChecks, Checklist = ChecklistTemplate.NewChecklist(RunKind.Migration),
    };

    [Theory]
    [InlineData(RunState.PreChecks, RunState.AwaitingApproval, PortalEventKind.ApprovalRequested)]
    [InlineData(RunState.AwaitingApproval, RunState.Approved, PortalEventKind.Approved)]
    [InlineData(RunState.Approved, RunState.Queued, PortalEventKind.RunQueued)]
    [InlineData(RunState.Queued, RunState.Running, PortalEventKind.RunStarted)]
    [InlineData(RunState.Validating, RunState.Succeeded, PortalEventKind.RunSucceeded)]
    [InlineData(RunState.Running, RunState.Failed, PortalEventKind.RunFailed)]
    [InlineData(RunState.RollingBack, RunState.RolledBack, PortalEventKind.RolledBack)]
    [InlineData(RunState.RollingBack, RunState.RollbackFailed, PortalEventKind.RollbackFailed)]
    public void A_state_the_team_is_told_about(RunState from, RunState to, PortalEventKind kind)
    {
        var found = Assert.Single(RunTransitionEvents.Of(Run with { State = from }, Run with { State = to, Error = "boom" }, DateTime.UtcNow));

        Assert.Equal((kind, "staging", "run-1"), (found.Kind, found.Target, found.RunId));
        Assert.Equal(found.IsFailure ? "boom" : null, found.Error);
    }

    [Fact]
    public void A_save_that_does_not_change_the_state_tells_nothing()
    {
        Assert.Empty(RunTransitionEvents.Of(Run with { State = RunState.Running }, Run with { State = RunState.Running, Revision = 9 }, DateTime.UtcNow));
        Assert.Empty(RunTransitionEvents.Of(Run with { State = RunState.Running }, Run with { State = RunState.Validating }, DateTime.UtcNow));
    }

    [Fact]
    public void Blocking_drift_is_told_when_the_item_first_fails()
    {
        var drifted = Run.WithItem(new ChecklistItemState { ItemId = ChecklistTemplate.NoDrift, Status = ItemStatus.Failed, Evidence = "index idx_a missing" });

        var found = Assert.Single(RunTransitionEvents.Of(Run, drifted, DateTime.UtcNow));
        Assert.Equal((PortalEventKind.DriftFound, "index idx_a missing"), (found.Kind, found.Error));
        Assert.Empty(RunTransitionEvents.Of(drifted, drifted with { Revision = 2 }, DateTime.UtcNow));
    }
}
