using BotCore.MigrationPortal.Runs.Checklists;
using BotCore.MigrationPortal.Text;

namespace BotCore.MigrationPortal.Runs.Guidance;

/// <summary>
/// Says, for a run as it is now, what the run page leads with: its state in words, who must act next, what is left to do (each
/// item pointing at its row) and which sections are open. It reads only the run, so the page, a test and any other view agree.
/// </summary>
public static class RunGuide
{
    public static RunGuidance For(MigrationRun run)
    {
        var toDo = ToDo(run);
        var open = OpenSections(run);
        open.UnionWith(toDo.Where(t => t.Section is not null).Select(t => t.Section!.Value));
        return new RunGuidance(Headline(run, toDo), NextActor(run, toDo), toDo, open);
    }

    /// <summary>Who may approve the run: an Approver or Admin who did not prepare it (four eyes).</summary>
    public static string WhoMayApprove(MigrationRun run) =>
        $"An Approver or Admin other than {string.Join(" and ", RunRules.Preparations(run).Select(p => p.Person).Distinct(StringComparer.OrdinalIgnoreCase))}";

    /// <summary>
    /// An item the checklist folds away, so that what can be done now comes first: one whose time has not come (open, settled
    /// during the run while it has not started, or after it while it has not ended), or one settled in a phase the run has left.
    /// </summary>
    public static bool IsFolded(MigrationRun run, ChecklistItemState item)
    {
        var phase = ChecklistTemplate.Get(item.ItemId).Phase;
        var now = run.StartedAt is null ? ItemPhase.BeforeApproval : RunStateMachine.IsFinished(run.State) ? ItemPhase.AfterRun : ItemPhase.DuringRun;
        return item.Status == ItemStatus.Open ? phase > now : item.IsSatisfied && phase < now;
    }

    private static string Headline(MigrationRun run, IReadOnlyList<ToDoItem> toDo)
    {
        var itemsLeft = toDo.Count(t => t.Section == RunSection.Checklist || t.Section == RunSection.PreChecks);
        return run.State switch
        {
            RunState.Draft => "Draft: its pre-checks have not run yet.",
            RunState.PreChecks when !RunStateMachine.NeedsApproval(run) => itemsLeft == 0
                ? $"Ready to run: it needs no approval ({run.Kind.DisplayName().ToLowerInvariant()})."
                : $"Getting ready: {Counted.Of(itemsLeft, "required item")} left before it may run.",
            RunState.PreChecks => (run.SentBack is { } back ? $"Sent back by {back.By}. " : "") + (itemsLeft == 0
                ? "Ready for approval: every required item is settled."
                : $"Getting ready: {Counted.Of(itemsLeft, "required item")} left before approval can be requested."),
            RunState.AwaitingApproval => run.ApprovalRequest() is { } asked
                ? $"Waiting for approval, asked by {asked.By} at {asked.At:yyyy-MM-dd HH:mm} UTC."
                : "Waiting for approval.",
            RunState.Approved => run.Schedule is { } schedule
                ? $"Approved by {run.Approval?.By}; scheduled to start at {schedule.At:yyyy-MM-dd HH:mm} UTC."
                : $"Approved by {run.Approval?.By}; ready to run.",
            RunState.Queued => "Queued: its background job starts it in a moment.",
            RunState.NotStarted => "Not started: nothing was changed. It can be run again once the reason below is dealt with.",
            RunState.Running when Execution.RunPauseGate.Holds(run) => $"Running on {run.Target}: {run.Title()}, its data step paused by {run.Pause!.By}.",
            RunState.Running => $"Running on {run.Target}: {run.Title()}.",
            RunState.Validating => $"Validating {run.Target} after the steps.",
            RunState.RollingBack => $"Rolling back: undoing this run's changes on {run.Target}.",
            RunState.Succeeded => $"Succeeded: {run.Target} is at {run.LeftAt ?? run.To}.",
            RunState.Failed => $"Failed: {run.Target} is {VersionNow(run)}, with this run's changes in place.",
            RunState.RolledBack => $"Rolled back: {run.Target} is {VersionNow(run)}, as before the run.",
            RunState.RollbackFailed => $"Rollback failed: {run.Target} is {VersionNow(run)}. Manual intervention is required.",
            _ => run.StartedAt is null
                ? $"Cancelled by {Canceller(run)} before it started: nothing was changed."
                : $"Cancelled by {Canceller(run)} and rolled back: {run.Target} is {VersionNow(run)}.",
        };
    }

    /// <summary>"at 1.2.0", or "at an unknown version" when the job could not tell (it lost the target, or the portal stopped).</summary>
    public static string VersionNow(MigrationRun run) => run.LeftAt is { } at ? $"at {at}" : "at an unknown version (check it with drift)";

    /// <summary>Who cancelled the run: who asked for it, or who moved it to Cancelled.</summary>
    public static string Canceller(MigrationRun run) =>
        run.CancelRequestedBy ?? run.Transitions.LastOrDefault(t => t.To == RunState.Cancelled)?.By ?? "someone";

    private static string NextActor(MigrationRun run, IReadOnlyList<ToDoItem> toDo) => run.State switch
    {
        RunState.Draft or RunState.PreChecks when !RunStateMachine.NeedsApproval(run) => toDo.Count > 1 ? "An Operator: settle what is left, then run it." : "An Operator: run it.",
        RunState.Draft or RunState.PreChecks when toDo.Count == 1 && run.SentBack is null => "An Operator: request approval.",
        RunState.Draft or RunState.PreChecks => run.SentBack is { } back
            ? $"{back.To}, to whom it was sent back (or another Operator): change what was asked, then request approval again."
            : $"An Operator (it was created by {run.RequestedBy}): settle what is left, then request approval.",
        RunState.AwaitingApproval => $"{WhoMayApprove(run)}: approve it, or send it back with a reason.",
        RunState.Approved when run.Schedule is { } schedule =>
            $"Nobody: it starts by itself at {schedule.At:yyyy-MM-dd HH:mm} UTC. An Operator may reschedule it or cancel the schedule.",
        RunState.Approved => RunRules.NeedsTargetName(RunAction.Start, run)
            ? "An Operator: run it now or schedule it into the maintenance window (typing the target's name)."
            : "An Operator: run it now or schedule it.",
        RunState.NotStarted => "An Operator: run it again once the reason is dealt with, or cancel it.",
        RunState.Running when Execution.RunPauseGate.Holds(run) => "An Operator: resume its data step (under Progress), or cancel the run.",
        _ when RunStateMachine.IsExecuting(run.State) => "Nobody: its background job runs it. Follow the progress below.",
        _ when RunBackupRules.RestoreDue(run).Allowed =>
            "A DBA: check the target with drift; if it cannot be repaired, an Approver or Admin restores it from the backup (typing the target's name).",
        RunState.Failed => "An Operator: an emergency rollback undoes exactly what this run applied; or repair it by hand.",
        RunState.RollbackFailed => "A DBA, by hand: check the target with drift, and restore from the backup if it cannot be repaired.",
        _ => toDo.Count > 0 ? "An Operator: tick what is left after the run." : "Nobody: the run is over.",
    };

    private static List<ToDoItem> ToDo(MigrationRun run) => run.State switch
    {
        RunState.Draft or RunState.PreChecks => [.. Unsettled(run, ItemPhase.BeforeApproval), RunStateMachine.NeedsApproval(run)
            ? new ToDoItem("Request approval", null, RunAnchors.Actions)
            : new ToDoItem("Run it", null, RunAnchors.Actions)],
        RunState.AwaitingApproval => [new ToDoItem("Approve it, or send it back", null, RunAnchors.Actions)],
        RunState.Approved when run.Schedule is null => [new ToDoItem("Run it, or schedule it", null, RunAnchors.Actions)],
        RunState.NotStarted => [new ToDoItem("Run it again, or cancel it", null, RunAnchors.Actions)],
        // A rollback run that did not bring the target back: the last resort is due where the rule offers it (one rule, RunBackupRules).
        _ when RunBackupRules.RestoreDue(run).Allowed =>
            [new ToDoItem("Restore from the backup if the target cannot be repaired", RunSection.Checklist, RunAnchors.Item(ChecklistTemplate.RestoredFromBackup))],
        RunState.Failed => [new ToDoItem("Roll back what it applied (emergency rollback), or repair by hand", null, RunAnchors.Actions)],
        RunState.RollbackFailed => [new ToDoItem("Check the target by hand (drift) and repair it", null, RunAnchors.Actions)],
        RunState.Succeeded or RunState.RolledBack or RunState.Cancelled when run.StartedAt is not null => Unsettled(run, ItemPhase.AfterRun),
        _ => [],
    };

    /// <summary>What is left of a phase; a failed pre-migration validation points at the pre-checks table, which says which check.</summary>
    private static List<ToDoItem> Unsettled(MigrationRun run, ItemPhase phase) => UnsettledItems.Of(run, phase)
        .Select(i => i.State.ItemId == ChecklistTemplate.PreValidation && i.State.Status == ItemStatus.Failed
            ? new ToDoItem($"“{i.Definition.Text}” failed: see the blocking check", RunSection.PreChecks, RunAnchors.Section(RunSection.PreChecks))
            : new ToDoItem(Describe(i.State, i.Definition), RunSection.Checklist, RunAnchors.Item(i.State.ItemId)))
        .ToList();

    private static string Describe(ChecklistItemState state, ChecklistItemDefinition definition) => (definition.Kind, state.Status, definition.Id) switch
    {
        (ItemKind.Manual, _, _) => $"Tick “{definition.Text}”",
        (_, _, ChecklistTemplate.Backup) => "Back up (“Created full database backup”)",
        (_, ItemStatus.Open, _) => $"Check “{definition.Text}” (run the pre-checks)",
        _ => $"Settle “{definition.Text}”: it failed",
    };

    private static HashSet<RunSection> OpenSections(MigrationRun run)
    {
        HashSet<RunSection> open = run.State switch
        {
            RunState.Draft or RunState.PreChecks or RunState.Approved or RunState.NotStarted => [RunSection.Checklist],
            // The pre-checks table opens by itself only when a check blocks (a to-do item points at it); its heading sums it up.
            RunState.AwaitingApproval => [RunSection.Change, RunSection.Checklist],
            _ when RunStateMachine.IsExecuting(run.State) => [RunSection.Progress],
            RunState.Succeeded => [RunSection.Progress, RunSection.Validation],
            _ => [RunSection.Progress, RunSection.Validation, RunSection.History],
        };
        // A send back or a comment is a conversation the next person must read.
        if (run.Comments.Count > 0 || (run.SentBack is not null && RunStateMachine.IsOpen(run.State))) open.Add(RunSection.History);
        return open;
    }
}
