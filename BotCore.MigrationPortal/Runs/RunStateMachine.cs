using BotCore.MigrationPortal.Security;

namespace BotCore.MigrationPortal.Runs;

/// <summary>
/// The only place a run changes state. Every transition not in the table is refused with a message that
/// says where the run is and where it may go from there.
/// </summary>
public static class RunStateMachine
{
    private static readonly IReadOnlyDictionary<RunState, RunState[]> Next = new Dictionary<RunState, RunState[]>
    {
        [RunState.Draft] = [RunState.PreChecks, RunState.Cancelled],
        [RunState.PreChecks] = [RunState.AwaitingApproval, RunState.Queued, RunState.Cancelled],
        [RunState.AwaitingApproval] = [RunState.Approved, RunState.PreChecks, RunState.Cancelled],
        [RunState.Approved] = [RunState.Queued, RunState.PreChecks, RunState.Cancelled],
        [RunState.Queued] = [RunState.Running, RunState.NotStarted, RunState.Cancelled],
        [RunState.NotStarted] = [RunState.Queued, RunState.PreChecks, RunState.Cancelled],
        // Running → NotStarted: the job began, but the engine refused before its first step (the target busy with another run).
        [RunState.Running] = [RunState.Validating, RunState.Failed, RunState.RollingBack, RunState.NotStarted],
        // Validating → RollingBack: the validation failed and the target's setting rolls the run back at once.
        [RunState.Validating] = [RunState.Succeeded, RunState.Failed, RunState.RollingBack],
        [RunState.Failed] = [RunState.RollingBack],
        [RunState.RollingBack] = [RunState.RolledBack, RunState.RollbackFailed, RunState.Cancelled],
        [RunState.Succeeded] = [],
        [RunState.RolledBack] = [],
        [RunState.RollbackFailed] = [],
        [RunState.Cancelled] = [],
    };

    public static bool IsFinished(RunState state) => Next[state].Length == 0;

    /// <summary>
    /// Still on its way (not ended, not failed): a target has at most one open run, so two runs never prepare or run against
    /// one target at once. A failed run is not open: it waits for a person, who may start an emergency rollback.
    /// </summary>
    public static bool IsOpen(RunState state) => !IsFinished(state) && state != RunState.Failed;

    /// <summary>States in which the run's job may be executing; the run page follows those live.</summary>
    public static bool IsExecuting(RunState state) => state is RunState.Queued or RunState.Running or RunState.Validating or RunState.RollingBack;

    public static bool CanMove(MigrationRun run, RunState to) =>
        Next[run.State].Contains(to)
        && !(run.State == RunState.PreChecks && to == RunState.Queued && NeedsApproval(run));

    /// <summary>
    /// Every run needs a second person's approval but an emergency rollback, and the adoption of a database that is not
    /// Production (it writes only the version and a changelog, and Production's adoption is approved as any run).
    /// </summary>
    public static bool NeedsApproval(MigrationRun run) =>
        run.Kind != RunKind.EmergencyRollback && !(run.Kind == RunKind.Baseline && run.Tier != Engine.Ports.TargetTier.Production);

    /// <exception cref="ActionRefusedException">The transition is not allowed.</exception>
    public static MigrationRun Move(MigrationRun run, RunState to, string by, string reason, DateTime at)
    {
        if (!CanMove(run, to)) throw new ActionRefusedException(Explain(run, to));
        return run with
        {
            State = to,
            UpdatedAt = at,
            Transitions = [.. run.Transitions, new StateTransition(run.State, to, at, by, reason)],
        };
    }

    public static string Explain(MigrationRun run, RunState to)
    {
        if (IsFinished(run.State)) return $"Run {run.Id} has ended as “{run.State.DisplayName()}”; nothing can change it any more.";
        if (run.State == RunState.PreChecks && to == RunState.Queued)
        {
            return $"Run {run.Id} has not been approved: request approval and have another Approver approve it first " +
                "(only an emergency rollback, or adopting a database that is not Production, runs without approval).";
        }
        var allowed = Next[run.State].Where(next => CanMove(run, next)).Select(next => $"“{next.DisplayName()}”");
        return $"Run {run.Id} is {run.State.InSentence()}; it cannot move to “{to.DisplayName()}”. From “{run.State.DisplayName()}” it can only move to {string.Join(" or ", allowed)}.";
    }
}
