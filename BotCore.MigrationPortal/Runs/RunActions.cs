using BotCore.MigrationPortal.Runs.Checklists;
using BotCore.MigrationPortal.Security;
using BotCore.MigrationPortal.Targets;

namespace BotCore.MigrationPortal.Runs;

public enum RunAction
{
    BackUp,
    RunPreChecks,
    RequestApproval,
    Approve,
    ApproveAndRun,
    Start,
    Cancel,
    CreateRollback,
    EmergencyRollback,
    OverrideStaging,
}

/// <summary>
/// Which actions a person may take on a run now, so pages show only those buttons. The run service checks the
/// same rules again on the server: a hidden button is a courtesy, not the protection.
/// </summary>
public static class RunActions
{
    public static IReadOnlySet<RunAction> For(MigrationRun run, Actor actor)
    {
        var actions = new HashSet<RunAction>();
        var state = run.State;
        if (actor.Has(Role.Operator))
        {
            if (state is RunState.Draft or RunState.PreChecks or RunState.AwaitingApproval or RunState.Approved)
            {
                actions.Add(RunAction.RunPreChecks);
                actions.Add(RunAction.BackUp);
            }
            if (state == RunState.PreChecks && run.Kind != RunKind.EmergencyRollback) actions.Add(RunAction.RequestApproval);
            if (RunStateMachine.CanMove(run, RunState.Queued) && state != RunState.Queued) actions.Add(RunAction.Start);
            if (!RunStateMachine.IsFinished(state) && state is not (RunState.RollingBack or RunState.Failed or RunState.Validating) && run.CancelRequestedBy is null) actions.Add(RunAction.Cancel);
            if (state == RunState.Succeeded && run.Kind == RunKind.Migration) actions.Add(RunAction.CreateRollback);
            if (state is RunState.Failed or RunState.RollbackFailed) actions.Add(RunAction.EmergencyRollback);
        }
        if (actor.Has(Role.Approver) && state == RunState.AwaitingApproval && !string.Equals(actor.Name, run.RequestedBy, StringComparison.OrdinalIgnoreCase))
        {
            actions.Add(RunAction.Approve);
            actions.Add(RunAction.ApproveAndRun);
        }
        if (actor.Has(Role.Admin) && run.Tier == TargetTier.Production && run.StagingOverride is null
            && state is RunState.Draft or RunState.PreChecks or RunState.AwaitingApproval
            && run.Item(ChecklistTemplate.StagingTest)?.Status == ItemStatus.Failed)
        {
            actions.Add(RunAction.OverrideStaging);
        }
        return actions;
    }

    public static bool CanTick(MigrationRun run, ChecklistItemState item, Actor actor)
    {
        var definition = ChecklistTemplate.Get(item.ItemId);
        return actor.Has(Role.Operator)
            && definition.Kind == ItemKind.Manual
            && item.Status != ItemStatus.Ticked
            && run.State != RunState.Cancelled
            && (definition.Phase != ItemPhase.AfterRun || run.State == RunState.Succeeded);
    }
}
