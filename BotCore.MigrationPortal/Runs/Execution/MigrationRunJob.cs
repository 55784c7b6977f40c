using BotCore.MigrationPortal.Checks;
using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Engine.Batching;
using BotCore.MigrationPortal.Engine.Planning;
using BotCore.MigrationPortal.Engine.Running;
using BotCore.MigrationPortal.Runs.Checklists;
using BotCore.MigrationPortal.Targets;
using BotCore.MigrationPortal.Text;
using Hangfire;
using Hangfire.Server;
using Serilog.Context;

namespace BotCore.MigrationPortal.Runs.Execution;

/// <summary>
/// The background job of a queued run. It starts only from Queued (a second delivery of a finished job does
/// nothing), re-checks the approval and the target, records whether a failed validation rolls the run back (the
/// target's setting), prepares the post-migration validation, runs the engine under the target's lease with every
/// event recorded (the engine validates and, where it must, rolls back; the run's state follows its events), follows
/// cancellation requests from any portal instance, and settles the run with the evidence <see cref="PostRunEvaluator"/> proves.
/// Never retried automatically: a migration is re-run by a person. The portal stopping does not roll a run back:
/// when Hangfire delivers the job again after a restart, the run resumes (its steps converge, data steps continue
/// from their checkpoints).
/// </summary>
public sealed class MigrationRunJob(
    RunRepository repository,
    PreCheckEvaluator preChecks,
    PostRunEvaluator postRun,
    MigrationPlanner planner,
    MigrationRunner runner,
    TargetRegistry targets,
    Events.IRunEventStore events,
    RunJobLedger ledger,
    BatchOptions batching,
    Performance.RunPerformanceRecorder performance,
    RunCancellationWatch cancellation,
    TimeProvider time,
    ILogger<MigrationRunJob> logger)
{
    private const string Portal = RunJobLedger.Portal;

    /// <param name="target">Only for the job's name on the Hangfire dashboard; the job reads everything from the run.</param>
    /// <param name="shutdown">Hangfire's shutdown token: deliberately not used to cancel the migration (see the class comment).</param>
    [JobDisplayName("Run {0} on {1}")]
    [AutomaticRetry(Attempts = 0, OnAttemptsExceeded = AttemptsExceededAction.Fail)]
    public Task ExecuteAsync(string runId, string target, PerformContext? context, CancellationToken shutdown) => ExecuteAsync(runId, context?.BackgroundJob.Id);

    /// <param name="jobId">Hangfire's id of this job: a run already executing under it is this job delivered again.</param>
    internal async Task ExecuteAsync(string runId, string? jobId)
    {
        using var runProperty = LogContext.PushProperty("RunId", runId);
        var run = await repository.LoadAsync(runId, null, CancellationToken.None);
        using var targetProperty = LogContext.PushProperty("Target", run.Target);
        var redelivered = jobId is not null && run.JobId == jobId && run.State != RunState.Queued && RunStateMachine.IsExecuting(run.State);
        if (run.State != RunState.Queued && !redelivered)
        {
            logger.LogWarning("Job for run {RunId} found it {State}, not Queued; nothing to do", runId, run.State);
            return;
        }
        switch (run.State)
        {
            case RunState.Queued when run.CancelRequestedBy is { } canceller:
                await ledger.CancelledBeforeStartAsync(runId, canceller);
                return;
            case RunState.Queued:
                if (await RefusalToStartAsync(run) is { } refusal)
                {
                    await ledger.NotStartedAsync(runId, refusal);
                    return;
                }
                run = await ledger.StartAsync(runId, jobId, r => r with { RollBackOnFailedValidation = targets.Describe(r.Target).RollBackOnFailedValidation });
                break;
            case RunState.Running:
                logger.LogWarning("Run {RunId} was interrupted (the portal stopped); resuming it", runId);
                await ledger.LogAsync(runId,
                    "The portal stopped while this run executed; resuming: done steps are found in place, data steps continue from their checkpoints.",
                    RunEventLevel.Warning);
                break;
            default:
                await FinishAsync(runId, r => Interrupted(r), $"Interrupted while {run.State.InSentence()}: the target's state must be checked by hand", null, null);
                return;
        }
        await ExecuteRunAsync(run, resuming: redelivered);
    }

    private async Task<string?> RefusalToStartAsync(MigrationRun run)
    {
        var evaluated = await preChecks.EvaluateAsync(run, CancellationToken.None, PreCheckScope.Quick);
        if (RunJobLedger.ApprovalRefusal(run, evaluated) is { } refusal) return refusal;
        var version = evaluated.Item(ChecklistTemplate.CurrentVersion);
        return version is { IsSatisfied: false } ? version.Evidence : null;
    }

    /// <param name="resuming">The portal stopped while the run executed: a refusal now is not "nothing changed", the first attempt may have.</param>
    private async Task ExecuteRunAsync(MigrationRun run, bool resuming)
    {
        var watch = cancellation.Watch(run.Id);
        RunResult? result = null;
        PostRunValidation? validation = null;
        string? failure = null;
        string? notStarted = null;
        MigrationPlan? planned = null;
        IReadOnlyList<Performance.CriticalQueryPerformance> before = [];
        var recorder = new RunEventRecorder(events, run.Id, e => OnEventAsync(run.Id, e), logger);
        try
        {
            await using (recorder)
            {
                try
                {
                    (var plan, validation) = await PrepareAsync(run, watch.Token);
                    planned = plan;
                    // Not cancelled half-way: a cancel request is honoured at the runner's first safe point, as before.
                    before = await performance.BeforeAsync(targets.Get(run.Target), plan, resuming, CancellationToken.None);
                    result = await runner.RunAsync(targets.Get(run.Target), plan, new RunRequest(run.Id, AppliedBy(run), batching)
                    {
                        Validation = validation,
                        // A run started by an earlier build recorded no setting: the target's applies.
                        RollBackOnFailedValidation = run.RollBackOnFailedValidation ?? targets.Describe(run.Target).RollBackOnFailedValidation,
                        // A person's pause holds a data step between two batches; a cancel (watch.Token) ends the wait.
                        BetweenBatches = new RunPauseGate(repository, run.Id, time, logger).HoldAsync,
                    }, recorder, watch.Token);
                }
                catch (RunNotStartedException e) when (!resuming)
                {
                    notStarted = e.Message;
                    logger.LogWarning("Run {RunId} did not start: {Reason}", run.Id, notStarted);
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    // A clause: the run's error goes on after it.
                    failure = Clause.Of(e is MigrationEngineException ? e.Message : $"{e.GetType().Name}: {e.Message}");
                    logger.LogError(e, "Run {RunId} stopped outside the engine's control: {Reason}", run.Id, failure);
                }
            }
        }
        finally
        {
            await watch.DisposeAsync();
        }

        if (notStarted is not null)
        {
            await ledger.NotStartedAsync(run.Id, notStarted);
            return;
        }
        if (result is null)
        {
            await FinishAsync(run.Id, r => Unsettled(r, failure!), $"Failed: {failure}", null, null);
            return;
        }
        await SettleAsync(run.Id, result, validation!.Findings, recorder.Recorded, planned!, before);
    }

    /// <summary>Plans from where the target is now and prepares the validation (counting the touched collections); whatever fails here has changed nothing.</summary>
    /// <exception cref="RunNotStartedException">The target cannot be read, or it is no longer where the approved plan starts.</exception>
    private async Task<(MigrationPlan Plan, PostRunValidation Validation)> PrepareAsync(MigrationRun run, CancellationToken cancellationToken)
    {
        try
        {
            var target = targets.Get(run.Target);
            var history = await target.ReadHistoryAsync(cancellationToken);
            var plan = planner.Plan(history.Applied, run.To, history);
            if (!PlanMatches(run, plan)) throw new MigrationEngineException($"The target is at {plan.From}; the plan no longer matches what was approved ({run.From} → {run.To}).");
            if (await preChecks.ContractGateRefusalAsync(target, plan, cancellationToken) is { } gate) throw new MigrationEngineException($"{char.ToUpperInvariant(gate[0])}{gate[1..]}.");
            return (plan, await postRun.PrepareAsync(run, target, plan, cancellationToken));
        }
        catch (MigrationEngineException e)
        {
            throw new RunNotStartedException(e.Message, e);
        }
    }

    // A resumed run starts from where the target is now; the approval binds the versions and checksums it applies.
    private static bool PlanMatches(MigrationRun run, MigrationPlan plan) =>
        plan.To == run.To && plan.Migrations.All(m => run.Checksums.Contains(new VersionChecksum(m.Version, m.Migration.Checksum)));

    // The engine validates and rolls back by itself; the run's state follows as soon as it says so.
    private async Task OnEventAsync(string runId, RunEvent runEvent)
    {
        if (runEvent.Kind == RunEventKind.ValidationStarted) await repository.UpdateAsync(runId, ToValidating, "Validating", CancellationToken.None);
        if (runEvent.Kind == RunEventKind.RollbackStarted) await repository.UpdateAsync(runId, ToRollingBack, "Rolling back", CancellationToken.None);
    }

    // Settling catches up with an event whose recording failed, so these leave a run that is already there as it is.
    private MigrationRun ToValidating(MigrationRun run) =>
        run.State == RunState.Running ? ledger.Move(run, RunState.Validating, Portal, "the steps succeeded; validating") : run;

    private MigrationRun ToRollingBack(MigrationRun run) => run.State switch
    {
        RunState.Running when run.CancelRequestedBy is { } by => ledger.Move(run, RunState.RollingBack, by, "cancelled; rolling back"),
        RunState.Running => ledger.Move(ledger.Move(run, RunState.Failed, Portal, "a step failed"), RunState.RollingBack, Portal, "rolling back"),
        RunState.Validating => ledger.Move(run, RunState.RollingBack, Portal, "the validation failed; rolling back"),
        _ => run,
    };

    /// <summary>Where a run ends when the job lost track of the target (an unexpected error, an unreachable database).</summary>
    private MigrationRun Unsettled(MigrationRun run, string why) => run.State switch
    {
        RunState.RollingBack => ledger.Move(run, RunState.RollbackFailed, Portal, "manual intervention required") with
        {
            Error = $"The rollback stopped: {why}. MANUAL INTERVENTION REQUIRED: check the target with drift.",
        },
        _ => ledger.Move(run, RunState.Failed, Portal, "stopped") with
        {
            Error = $"{why}. The target may be partly migrated: compare it with the expected catalog (drift). Where this run left migrations applied, " +
                "the run page offers an emergency rollback of exactly those.",
        },
    };

    private MigrationRun Interrupted(MigrationRun run) => Unsettled(run, "the portal stopped while the run was " + run.State.InSentence());

    /// <param name="before">The critical queries as measured before the first step.</param>
    private async Task SettleAsync(string runId, RunResult result, PostRunFindings? findings, int recorded, MigrationPlan plan,
        IReadOnlyList<Performance.CriticalQueryPerformance> before)
    {
        var run = await repository.LoadAsync(runId, null, CancellationToken.None);
        var measured = await performance.AfterAsync(before, targets.Get(run.Target), plan, result.Outcome == RunOutcome.Succeeded, CancellationToken.None);
        var evidence = await postRun.EvaluateAsync(run, result, findings, recorded, measured, CancellationToken.None);
        var failedValidation = result.FailedChecks.Count > 0;
        switch (result.Outcome)
        {
            case RunOutcome.Succeeded:
                await FinishAsync(runId, r => ledger.Move(ToValidating(r), RunState.Succeeded, Portal, "validated"), $"Succeeded: {run.Target} is at {run.To}", evidence, result.FinalVersion);
                performance.ContinueWatch(runId, measured);
                return;
            case RunOutcome.ValidationFailed:
                var leftInPlace = $"{result.Error}. Its changes are left in place, as the target's setting says (rolling back on a failed validation is off for " +
                    $"{run.Target}): roll back (emergency rollback) or repair by hand.";
                await FinishAsync(runId, r => ledger.Move(ToValidating(r), RunState.Failed, Portal, "post-migration validation failed; left in place") with { Error = leftInPlace },
                    leftInPlace, evidence, result.FinalVersion);
                return;
            case RunOutcome.RolledBack when result.Cancelled:
                await FinishAsync(runId, r => ledger.Move(ToRollingBack(r), RunState.Cancelled, r.CancelRequestedBy ?? Portal, "cancelled and rolled back") with { Error = $"{result.Error}." },
                    "Cancelled and rolled back", evidence, result.FinalVersion);
                return;
            case RunOutcome.RolledBack when failedValidation:
                var rolledBack = $"{result.Error}. Rolled back at once, as the target's setting says: {run.Target} is at {result.FinalVersion} again, " +
                    "with its catalog as before the run.";
                await FinishAsync(runId, r => ledger.Move(ToRollingBack(ToValidating(r)), RunState.RolledBack, Portal, "validation failed; rolled back, the catalog is as before") with
                {
                    Error = rolledBack,
                }, $"Failed its validation and rolled back: {result.Error}", evidence, result.FinalVersion);
                return;
            case RunOutcome.RolledBack:
                var undone = run.IsRollback
                    ? $"This rollback run failed ({result.Error}); its own changes were undone, so the target is back at {result.FinalVersion}, not {run.To}."
                    : $"{result.Error}.";
                await FinishAsync(runId, r => ledger.Move(ToRollingBack(r), RunState.RolledBack, Portal, "rolled back; the catalog is as before") with { Error = undone },
                    $"Failed and rolled back: {result.Error}", evidence, result.FinalVersion);
                return;
            case RunOutcome.RollbackFailed:
                await FinishAsync(runId, r => ledger.Move(ToRollingBack(failedValidation ? ToValidating(r) : r), RunState.RollbackFailed, Portal, "manual intervention required") with
                {
                    Error = $"{result.Error}.",
                }, $"Rollback failed, manual intervention required: {result.Error}", evidence, result.FinalVersion);
                return;
            default:
                await FinishAsync(runId, r => ledger.Move(r, RunState.Failed, Portal, "lost the target's lock") with { Error = $"{result.Error}." },
                    $"Stopped: {result.Error}", evidence, result.FinalVersion);
                return;
        }
    }

    /// <param name="leftAt">The version the engine read at the end; null when the job lost track of the target.</param>
    private Task FinishAsync(string runId, Func<MigrationRun, MigrationRun> finish, string message, PostRunEvidence? evidence, SchemaVersion? leftAt) =>
        ledger.FinishAsync(runId, r => finish(evidence?.ApplyTo(r) ?? r) with { LeftAt = leftAt }, message);

    private static string AppliedBy(MigrationRun run) => run.Kind switch
    {
        RunKind.EmergencyRollback => $"{run.RequestedBy} (emergency rollback, portal run {run.Id})",
        _ => $"{run.RequestedBy}, approved by {run.Approval?.By} (portal run {run.Id})",
    };
}
