using BotCore.MigrationPortal.Audit;
using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Engine.Batching;
using BotCore.MigrationPortal.Engine.Running;
using BotCore.MigrationPortal.Runs;
using BotCore.MigrationPortal.Runs.Checklists;
using BotCore.MigrationPortal.Runs.Events;
using BotCore.MigrationPortal.Runs.Execution;
using BotCore.MigrationPortal.Targets;
using BotCore.MigrationPortal.Text;
using Hangfire;
using Hangfire.Server;
using Serilog.Context;

namespace BotCore.MigrationPortal.Fixes;

/// <summary>
/// The background job of a queued fix run (or the undo of a fix): re-checks the approval and the fix's source, runs it through
/// <see cref="FixRunner"/> under the target's lease with every event recorded (live progress on the run page), follows cancellation
/// requests, and settles the run with the evidence: what it changed, its validation (the idempotency rule matches nothing), its
/// journal line, and the schema version, read again, unchanged. A fix that stops partway is not undone by itself: its documents keep
/// their undo records, and the DBA runs it again or prepares its undo. Never retried automatically.
/// </summary>
public sealed class FixRunJob(
    RunRepository repository,
    PreCheckEvaluator preChecks,
    FixRegistry fixes,
    FixRunner runner,
    TargetRegistry targets,
    IRunEventStore events,
    RunJobLedger ledger,
    RunCancellationWatch cancellation,
    BatchOptions batching,
    IAuditLog audit,
    TimeProvider time,
    ILogger<FixRunJob> logger)
{
    private const string Portal = RunJobLedger.Portal;

    /// <param name="target">Only for the job's name on the Hangfire dashboard; the job reads everything from the run.</param>
    [JobDisplayName("Fix run {0} on {1}")]
    [AutomaticRetry(Attempts = 0, OnAttemptsExceeded = AttemptsExceededAction.Fail)]
    public Task ExecuteAsync(string runId, string target, PerformContext? context, CancellationToken shutdown) => ExecuteAsync(runId, context?.BackgroundJob.Id);

    internal async Task ExecuteAsync(string runId, string? jobId)
    {
        using var runProperty = LogContext.PushProperty("RunId", runId);
        var run = await repository.LoadAsync(runId, null, CancellationToken.None);
        using var targetProperty = LogContext.PushProperty("Target", run.Target);
        var requested = run.Fix ?? throw new InvalidOperationException($"Run {runId} is not a fix run.");
        // Delivered again after the portal stopped midway: the fix continues (its batches from their checkpoints; documents done need nothing).
        var redelivered = jobId is not null && run.JobId == jobId && run.State is RunState.Running or RunState.Validating;
        if (run.State != RunState.Queued && !redelivered)
        {
            logger.LogWarning("Job for run {RunId} found it {State}, not Queued; nothing to do", runId, run.State);
            return;
        }
        var fix = fixes.Find(requested.Id);
        if (!redelivered)
        {
            if (run.CancelRequestedBy is { } canceller)
            {
                await ledger.CancelledBeforeStartAsync(runId, canceller);
                return;
            }
            if (await RefusalToStartAsync(run, fix) is { } refusal)
            {
                await ledger.NotStartedAsync(runId, refusal);
                return;
            }
            run = await ledger.StartAsync(runId, jobId);
        }
        else
        {
            await ledger.LogAsync(runId, "The portal stopped while this fix ran; resuming: documents already fixed need nothing, batches continue from their checkpoints.",
                RunEventLevel.Warning);
        }
        await ExecuteFixAsync(run, fix!);
    }

    private async Task<string?> RefusalToStartAsync(MigrationRun run, RegisteredFix? fix)
    {
        var evaluated = await preChecks.EvaluateAsync(run, CancellationToken.None);
        if (RunJobLedger.ApprovalRefusal(run, evaluated) is { } refusal) return refusal;
        if (fix is null || fix.Checksum != run.Fix!.Checksum) return evaluated.Item(ChecklistTemplate.FixSource)?.Evidence ?? $"This build has no fix {run.Fix!.Id}.";
        return null;
    }

    private async Task ExecuteFixAsync(MigrationRun run, RegisteredFix fix)
    {
        var target = targets.Get(run.Target);
        var recorder = new RunEventRecorder(events, run.Id, e => OnEventAsync(run.Id, e), logger);
        FixRunResult? result = null;
        string? notStarted = null;
        string? failure = null;
        await using (var watch = cancellation.Watch(run.Id))
        {
            await using (recorder)
            {
                try
                {
                    result = await runner.RunAsync(target, fix, new FixRunRequest(run.Id, AppliedBy(run), batching, run.Kind == RunKind.FixUndo)
                    {
                        // A person's pause holds the fix between two batches, as a migration's data step; a cancel ends the wait.
                        BetweenBatches = new RunPauseGate(repository, run.Id, time, logger).HoldAsync,
                    }, recorder, watch.Token);
                }
                catch (RunNotStartedException e)
                {
                    notStarted = e.Message;
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    failure = Clause.Of(e is MigrationEngineException ? e.Message : $"{e.GetType().Name}: {e.Message}");
                    logger.LogError(e, "Fix run {RunId} stopped outside the fix runner: {Reason}", run.Id, failure);
                }
            }
        }
        if (notStarted is not null)
        {
            await ledger.NotStartedAsync(run.Id, notStarted);
            return;
        }
        await SettleAsync(run, fix, result, failure);
    }

    // The runner validates by itself; the run's state follows as soon as it says so.
    private async Task OnEventAsync(string runId, RunEvent runEvent)
    {
        if (runEvent.Kind == RunEventKind.ValidationStarted) await repository.UpdateAsync(runId, ToValidating, "Validating", CancellationToken.None);
    }

    private MigrationRun ToValidating(MigrationRun run) =>
        run.State == RunState.Running ? ledger.Move(run, RunState.Validating, Portal, "the fix ran; validating") : run;

    private async Task SettleAsync(MigrationRun run, RegisteredFix fix, FixRunResult? result, string? failure)
    {
        var version = await VersionAfterAsync(run);
        var undo = run.Kind == RunKind.FixUndo;
        var outcome = result?.Summary ?? $"stopped: {failure}";
        var executed = result is { Error: null } or { Remaining: > 0 } ? ItemStatus.Passed : ItemStatus.Failed;
        var validated = result is { Succeeded: true } ? ItemStatus.Passed : ItemStatus.Failed;
        var journaled = result is not null && executed == ItemStatus.Passed && version.Unchanged ? ItemStatus.Passed : ItemStatus.Failed;
        MigrationRun Evidence(MigrationRun r) => r
            .WithItem(Settled(r, ChecklistTemplate.FixExecuted, executed, outcome))
            .WithItem(Settled(r, ChecklistTemplate.FixValidated, validated, result is null ? "not validated: the run stopped" : outcome))
            .WithItem(Settled(r, ChecklistTemplate.FixJournaled, journaled,
                $"fix_journal: {(undo ? "undone" : result?.Error is null ? "applied" : "stopped")} by run {run.Id} ({fix.ShortChecksum}); {version.Words}"));
        if (result is { Succeeded: true } && version.Unchanged)
        {
            var done = $"{(undo ? "Undid fix" : "Applied fix")} {fix.Id} on {run.Target}: {result.Summary}";
            await ledger.FinishAsync(run.Id, r => Evidence(ledger.Move(ToValidating(r), RunState.Succeeded, Portal, "validated")), done);
            await audit.RecordAsync(new AuditRecord(Portal, Portal, undo ? AuditActions.FixUndone : AuditActions.FixApplied, run.Target, run.Id,
                $"{fix.Id} ({fix.ShortChecksum}) on {fix.Collection}: {Counted.Of(result.DocumentsChanged, "document")} {(undo ? "restored" : "changed")}; " +
                $"requested by {run.RequestedBy}, approved by {run.Approval?.By}"), CancellationToken.None);
            return;
        }
        var why = !version.Unchanged ? version.Words
            : result?.Cancelled == true ? $"cancelled by {(await repository.LoadAsync(run.Id, null, CancellationToken.None)).CancelRequestedBy}: {result.Error}"
            : result?.Error ?? $"{failure}. Check {fix.Collection} and {Engine.Ports.TargetCollections.FixUndo} before running it again";
        var error = result is not null && result.Remaining > 0 && result.Error is not null && !result.Cancelled
            ? $"{(undo ? "The undo" : "The fix")} ran but its validation failed: {why}."
            : $"{(undo ? "The undo" : "The fix")} stopped: {Clause.Of(why)}.";
        await ledger.FinishAsync(run.Id, r => Evidence(ledger.Move(r, RunState.Failed, Portal, result?.Cancelled == true ? "cancelled; stopped partway" : "failed")) with
        {
            Error = error,
        }, error);
        await audit.RecordAsync(new AuditRecord(Portal, Portal, undo ? AuditActions.FixUndone : AuditActions.FixApplied, run.Target, run.Id,
            $"{fix.Id} ({fix.ShortChecksum}) on {fix.Collection} failed: {error}"), CancellationToken.None);
    }

    private ChecklistItemState Settled(MigrationRun run, string item, ItemStatus status, string evidence) =>
        run.Item(item)! with { Status = status, Evidence = evidence, By = Portal, At = ledger.Now };

    /// <summary>The schema version read again after the fix: a fix never changes it, and a run that finds it changed says so.</summary>
    private async Task<(bool Unchanged, string Words)> VersionAfterAsync(MigrationRun run)
    {
        try
        {
            var applied = (await targets.Get(run.Target).ReadHistoryAsync(CancellationToken.None)).Applied;
            return applied == run.From
                ? (true, $"schema version unchanged at {applied}")
                : (false, $"the schema version is {applied}, not {run.From} as when the fix run was created: someone migrated the target meanwhile; check it");
        }
        catch (MigrationEngineException e)
        {
            return (false, $"the schema version could not be read back: {Clause.Of(e.Message)}");
        }
    }

    private static string AppliedBy(MigrationRun run) => $"{run.RequestedBy}, approved by {run.Approval?.By} (portal run {run.Id})";
}
