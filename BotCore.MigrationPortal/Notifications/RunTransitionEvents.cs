using BotCore.MigrationPortal.Engine.Planning;
using BotCore.MigrationPortal.Runs;
using BotCore.MigrationPortal.Runs.Checklists;

namespace BotCore.MigrationPortal.Notifications;

/// <summary>
/// The one place that says which change of a run the team is told about: every save of a run goes through the run repository, which
/// asks this with the run before and after the save, whoever changed it (a page, the API, the CLI, a job on any instance).
/// </summary>
public static class RunTransitionEvents
{
    public static IReadOnlyList<PortalEvent> Of(MigrationRun? before, MigrationRun after, DateTime at)
    {
        var found = new List<PortalEvent>();
        if (before?.State != after.State && KindOf(after.State) is { } kind)
        {
            found.Add(new PortalEvent(kind, at, after.Target, after.Id, Summary(kind, after), IsFailure(kind) ? after.Error ?? "no error was recorded" : null));
        }
        // Blocking drift is found by a run's pre-checks: told once, when the item turns failed, not at every evaluation.
        if (after.Item(ChecklistTemplate.NoDrift) is { Status: ItemStatus.Failed } drift && before?.Item(ChecklistTemplate.NoDrift)?.Status != ItemStatus.Failed)
        {
            found.Add(new PortalEvent(PortalEventKind.DriftFound, at, after.Target, after.Id, $"Drift found on {after.Target} by the pre-checks of run {after.Id}.",
                drift.Evidence));
        }
        return found;
    }

    private static PortalEventKind? KindOf(RunState state) => state switch
    {
        RunState.AwaitingApproval => PortalEventKind.ApprovalRequested,
        RunState.Approved => PortalEventKind.Approved,
        RunState.Queued => PortalEventKind.RunQueued,
        RunState.Running => PortalEventKind.RunStarted,
        RunState.Succeeded => PortalEventKind.RunSucceeded,
        RunState.Failed => PortalEventKind.RunFailed,
        RunState.RolledBack => PortalEventKind.RolledBack,
        RunState.RollbackFailed => PortalEventKind.RollbackFailed,
        _ => null,
    };

    private static bool IsFailure(PortalEventKind kind) => kind is PortalEventKind.RunFailed or PortalEventKind.RollbackFailed;

    private static string Summary(PortalEventKind kind, MigrationRun run)
    {
        var what = $"{run.Kind.DisplayName()} run {run.Id} ({run.Change()} on {run.Target}, {run.Tier})";
        return kind switch
        {
            PortalEventKind.ApprovalRequested => $"{what} awaits approval; requested by {run.RequestedBy}.",
            PortalEventKind.Approved => $"{what} was approved by {run.Approval?.By ?? "an Approver"}.",
            PortalEventKind.RunQueued => $"{what} is queued.",
            PortalEventKind.RunStarted => $"{what} started.",
            PortalEventKind.RunSucceeded => $"{what} succeeded.",
            PortalEventKind.RunFailed => $"{what} failed.",
            PortalEventKind.RolledBack => $"{what} was rolled back.",
            PortalEventKind.RollbackFailed => $"{what}: the rollback failed; manual intervention required.",
            _ => what,
        };
    }
}
