using BotCore.MigrationPortal.Audit;
using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Engine.Batching;
using BotCore.MigrationPortal.Engine.Catalog;
using BotCore.MigrationPortal.Engine.Planning;
using BotCore.MigrationPortal.Engine.Running;
using BotCore.MigrationPortal.Runs.Checklists;
using BotCore.MigrationPortal.Targets;
using Hangfire;
using Hangfire.Server;
using Serilog.Context;

namespace BotCore.MigrationPortal.Runs.Execution;

/// <summary>
/// The background job of a queued run. It starts only from Queued (so a second delivery of the same job does
/// nothing), re-checks the approval and the target, runs the engine under the target's lease with every event
/// recorded, follows cancellation requests from any portal instance, validates the result and settles the
/// run's automated checklist items. Never retried automatically: a migration is re-run by a person.
/// </summary>
public sealed class MigrationRunJob(
    RunRepository repository,
    PreCheckEvaluator preChecks,
    MigrationRegistry registry,
    MigrationPlanner planner,
    MigrationRunner runner,
    TargetRegistry targets,
    Events.IRunEventStore events,
    BatchOptions batching,
    IAuditLog audit,
    TimeProvider time,
    ILogger<MigrationRunJob> logger)
{
    private static readonly TimeSpan CancellationPoll = TimeSpan.FromSeconds(1);
    private const string Portal = "portal";

    [AutomaticRetry(Attempts = 0, OnAttemptsExceeded = AttemptsExceededAction.Fail)]
    public async Task ExecuteAsync(string runId, PerformContext? context, CancellationToken cancellationToken)
    {
        using var runProperty = LogContext.PushProperty("RunId", runId);
        var run = await repository.LoadAsync(runId, null, cancellationToken);
        using var targetProperty = LogContext.PushProperty("Target", run.Target);
        if (run.State != RunState.Queued)
        {
            logger.LogWarning("Job for run {RunId} found it {State}, not Queued; nothing to do", runId, run.State);
            return;
        }
        if (run.CancelRequestedBy is { } canceller)
        {
            await FinishAsync(runId, r => Move(r, RunState.Cancelled, canceller, "cancelled before it started"), "Cancelled before it started", null, cancellationToken);
            return;
        }

        var refusal = await RefusalToStartAsync(run, cancellationToken);
        if (refusal is not null)
        {
            await FinishAsync(runId, r => Move(r, RunState.Failed, Portal, "refused at start") with { Error = refusal }, $"Refused at start: {refusal}", null,
                cancellationToken);
            return;
        }

        run = await repository.UpdateAsync(runId, r => Move(r, RunState.Running, Portal, "job started") with
        {
            StartedAt = Now, JobId = context?.BackgroundJob.Id,
        }, "Running", cancellationToken);
        await ExecuteRunAsync(run, cancellationToken);
    }

    private async Task<string?> RefusalToStartAsync(MigrationRun run, CancellationToken cancellationToken)
    {
        var evaluated = await preChecks.EvaluateAsync(run, cancellationToken);
        if (run.Approval is { } approval && ApprovalBinding.Changes(approval.BoundFacts, ApprovalBinding.FactsOf(evaluated)) is { Count: > 0 } changes)
        {
            return $"the approval by {approval.By} no longer holds: {string.Join("; ", changes)}";
        }
        var version = evaluated.Item(ChecklistTemplate.CurrentVersion);
        return version is { IsSatisfied: false } ? version.Evidence : null;
    }

    private async Task ExecuteRunAsync(MigrationRun run, CancellationToken cancellationToken)
    {
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var stopWatching = new CancellationTokenSource();
        var watching = WatchForCancellationAsync(run.Id, cancel, stopWatching.Token);
        RunResult? result = null;
        string? failure = null;
        var recorder = new RunEventRecorder(events, run.Id, e => OnEventAsync(run.Id, e), logger);
        await using (recorder)
        {
            try
            {
                var target = targets.Get(run.Target);
                var history = await target.ReadHistoryAsync(cancel.Token);
                var plan = planner.Plan(history.Applied, run.To, history);
                if (plan.From != run.From || !plan.Migrations.Select(m => new VersionChecksum(m.Version, m.Migration.Checksum)).SequenceEqual(run.Checksums))
                {
                    throw new ActionRefusedRunException($"The target is at {plan.From} and the plan no longer matches what was approved ({run.From} → {run.To}).");
                }
                result = await runner.RunAsync(target, plan, new RunRequest(run.Id, AppliedBy(run), batching), recorder, cancel.Token);
            }
            catch (Exception e) when (e is MigrationEngineException or ActionRefusedRunException)
            {
                failure = e.Message;
                logger.LogWarning("Run {RunId} did not start on the target: {Reason}", run.Id, e.Message);
            }
        }
        await stopWatching.CancelAsync();
        await watching;

        if (result is null)
        {
            await FinishAsync(run.Id, r => Move(r, RunState.Failed, Portal, "the run could not start on the target") with { Error = failure },
                $"Failed before changing anything: {failure}", null, cancellationToken);
            return;
        }
        await SettleAsync(run.Id, result, recorder.Recorded, cancellationToken);
    }

    // The engine rolls back by itself; the run's state follows as soon as it says so.
    private async Task OnEventAsync(string runId, RunEvent runEvent)
    {
        if (runEvent.Kind != RunEventKind.RollbackStarted) return;
        await repository.UpdateAsync(runId, ToRollingBack, "Rolling back", CancellationToken.None);
    }

    private MigrationRun ToRollingBack(MigrationRun run) => run.State switch
    {
        RunState.Running when run.CancelRequestedBy is { } by => Move(run, RunState.RollingBack, by, "cancelled; rolling back"),
        RunState.Running => Move(Move(run, RunState.Failed, Portal, "a step failed"), RunState.RollingBack, Portal, "rolling back"),
        _ => run,
    };

    private async Task SettleAsync(string runId, RunResult result, int recorded, CancellationToken cancellationToken)
    {
        var run = await repository.LoadAsync(runId, null, cancellationToken);
        var checklist = new ChecklistRecorder(run, Now);
        checklist.Set(run.IsRollback ? ChecklistTemplate.RollbackExecuted : ChecklistTemplate.Executed, result.Succeeded,
            result.Succeeded ? $"{run.Direction.Name()} {run.From} → {run.To} completed under the target's lock" : $"Failed: {result.Error}");
        checklist.Set(ChecklistTemplate.ProgressMonitored, true, $"{recorded} progress events recorded and streamed live to the run page");

        switch (result.Outcome)
        {
            case RunOutcome.Succeeded:
                await ValidateAsync(runId, checklist, cancellationToken);
                return;
            case RunOutcome.RolledBack when result.Cancelled:
                await FinishAsync(runId, r => Move(ToRollingBack(r), RunState.Cancelled, r.CancelRequestedBy ?? Portal, "cancelled and rolled back") with { Error = result.Error },
                    "Cancelled and rolled back", checklist, cancellationToken);
                return;
            case RunOutcome.RolledBack:
                await FinishAsync(runId, r => Move(ToRollingBack(r), RunState.RolledBack, Portal, "rolled back; the catalog is as before") with { Error = result.Error },
                    $"Failed and rolled back: {result.Error}", checklist, cancellationToken);
                return;
            case RunOutcome.RollbackFailed:
                await FinishAsync(runId, r => Move(ToRollingBack(r), RunState.RollbackFailed, Portal, "manual intervention required") with { Error = result.Error },
                    $"Rollback failed, manual intervention required: {result.Error}", checklist, cancellationToken);
                return;
            default:
                await FinishAsync(runId, r => Move(r, RunState.Failed, Portal, "lost the target's lock") with { Error = result.Error },
                    $"Stopped: {result.Error}", checklist, cancellationToken);
                return;
        }
    }

    private async Task ValidateAsync(string runId, ChecklistRecorder checklist, CancellationToken cancellationToken)
    {
        var run = await repository.UpdateAsync(runId, r => Move(r, RunState.Validating, Portal, "validating"), "Validating", cancellationToken);
        var live = await targets.Get(run.Target).ReadCatalogAsync(cancellationToken);
        var validation = CatalogValidation.PerCollection(registry.ExpectedCatalogAt(run.To), live, registry.ManagedCollections)
            .Select(v => new CollectionCheck(v.Collection, v.Passed, v.Summary)).ToList();
        foreach (var check in validation)
        {
            await events.AppendAsync(runId, new RunEvent(time.GetUtcNow(), RunEventKind.Validation, $"{check.Collection}: {check.Summary}")
            {
                Passed = check.Passed, Level = check.Passed ? RunEventLevel.Information : RunEventLevel.Error,
            }, cancellationToken);
        }
        var failed = validation.Where(v => !v.Passed).ToList();
        var versionOk = live.Version == run.To;
        checklist.Set(ChecklistTemplate.VersionUpdated, versionOk, $"system_config DATABASE_SCHEMA_VERSION is {live.Version}" + (versionOk ? "" : $", expected {run.To}"));
        checklist.Set(run.IsRollback ? ChecklistTemplate.RollbackVerified : ChecklistTemplate.PostValidation, failed.Count == 0, failed.Count == 0
            ? $"All {validation.Count} managed collections match the expected catalog of {run.To}"
            : $"{failed.Count} of {validation.Count} collections differ: {string.Join("; ", failed.Select(f => $"{f.Collection}: {f.Summary}"))}");
        var indexes = registry.ExpectedCatalogAt(run.To).Collections.Values.Sum(c => c.Indexes.Count);
        checklist.Set(ChecklistTemplate.IndexesVerified, failed.Count == 0,
            failed.Count == 0 ? $"All {indexes} expected indexes are present with their options" : "Some collections differ; see the post-migration validation");

        var passed = failed.Count == 0 && versionOk;
        await FinishAsync(runId, r => Move(r, passed ? RunState.Succeeded : RunState.Failed, Portal, passed ? "validated" : "post-validation failed") with
        {
            Validation = validation,
            Error = passed ? null : "Post-migration validation failed: the live catalog differs from the expected one. Roll back (emergency rollback) or repair by hand.",
        }, passed ? $"Succeeded: {run.Target} is at {run.To}" : "Post-validation failed", checklist, cancellationToken);
    }

    private async Task FinishAsync(string runId, Func<MigrationRun, MigrationRun> finish, string message, ChecklistRecorder? checklist, CancellationToken cancellationToken)
    {
        var run = await repository.UpdateAsync(runId, r => finish(checklist?.ApplyTo(r) ?? r) with { FinishedAt = Now }, message, cancellationToken);
        logger.LogInformation("Run {RunId} ended {State}: {Message}", runId, run.State, message);
        await audit.RecordAsync(new AuditRecord(Portal, Portal, AuditActions.RunStateChanged, run.Target, run.Id, message), cancellationToken);
    }

    private async Task WatchForCancellationAsync(string runId, CancellationTokenSource cancel, CancellationToken stop)
    {
        using var timer = new PeriodicTimer(CancellationPoll, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                var run = await repository.LoadAsync(runId, null, stop);
                if (run.CancelRequestedBy is null) continue;
                logger.LogInformation("Run {RunId}: {User} asked to cancel; stopping at the next safe point", runId, run.CancelRequestedBy);
                await cancel.CancelAsync();
                return;
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    private static string AppliedBy(MigrationRun run) => run.Kind switch
    {
        RunKind.EmergencyRollback => $"{run.RequestedBy} (emergency rollback, portal run {run.Id})",
        _ => $"{run.RequestedBy}, approved by {run.Approval?.By} (portal run {run.Id})",
    };

    private MigrationRun Move(MigrationRun run, RunState to, string by, string reason) => RunStateMachine.Move(run, to, by, reason, Now);

    private DateTime Now => time.GetUtcNow().UtcDateTime;

    /// <summary>A refusal found by the job itself (the plan moved), reported like an engine refusal.</summary>
    private sealed class ActionRefusedRunException(string message) : Exception(message);
}
