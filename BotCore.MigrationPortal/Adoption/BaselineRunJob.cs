using BotCore.MigrationPortal.Audit;
using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Engine.Leases;
using BotCore.MigrationPortal.Engine.Running;
using BotCore.MigrationPortal.Runs;
using BotCore.MigrationPortal.Runs.Checklists;
using BotCore.MigrationPortal.Runs.Events;
using BotCore.MigrationPortal.Targets;
using Hangfire;
using Hangfire.Server;
using Serilog.Context;

namespace BotCore.MigrationPortal.Adoption;

/// <summary>
/// The background job of a queued baseline run: re-checks that the database still fits what was approved, adopts it under the
/// target's lease (<see cref="BaselineWriter"/>), then reads its history back to prove it. Adoption writes only the version
/// document and the changelog, so there is nothing to roll back; a job delivered again after the portal stopped finds the
/// adoption done or not, and says which.
/// </summary>
public sealed class BaselineRunJob(
    RunRepository repository,
    PreCheckEvaluator preChecks,
    BaselineWriter writer,
    TargetRegistry targets,
    IRunEventStore events,
    IAuditLog audit,
    TimeProvider time,
    ILogger<BaselineRunJob> logger)
{
    private const string Portal = PreCheckEvaluator.Portal;

    [AutomaticRetry(Attempts = 0, OnAttemptsExceeded = AttemptsExceededAction.Fail)]
    public Task ExecuteAsync(string runId, PerformContext? context, CancellationToken shutdown) => ExecuteAsync(runId, context?.BackgroundJob.Id);

    internal async Task ExecuteAsync(string runId, string? jobId)
    {
        using var runProperty = LogContext.PushProperty("RunId", runId);
        var run = await repository.LoadAsync(runId, null, CancellationToken.None);
        var request = run.Adoption ?? throw new InvalidOperationException($"Run {runId} is not a baseline run.");
        if (run.State == RunState.Running && run.JobId == jobId)
        {
            // Delivered again after the portal stopped midway: the writes either happened or did not; the history says which.
            await VerifyAsync(run, request, "The portal stopped while adopting; the target's history says whether it was done.");
            return;
        }
        if (run.State != RunState.Queued)
        {
            logger.LogWarning("Job for run {RunId} found it {State}, not Queued; nothing to do", runId, run.State);
            return;
        }
        if (run.CancelRequestedBy is { } canceller)
        {
            await FinishAsync(runId, r => Move(r, RunState.Cancelled, canceller, "cancelled before it started"), "Cancelled before it started");
            return;
        }
        if (await RefusalToStartAsync(run) is { } refusal)
        {
            await NotStartedAsync(runId, refusal);
            return;
        }
        run = await repository.UpdateAsync(runId, r => Move(r, RunState.Running, Portal, "job started") with { StartedAt = Now, JobId = jobId },
            "Running", CancellationToken.None);
        await LogAsync(runId, $"Adopting {run.Target} at {request.At}: writing its version and a baselined changelog (no data, no index).");
        try
        {
            await writer.AdoptAsync(targets.Get(run.Target), request.At, $"{request.Reason} (approved by {run.Approval?.By ?? "nobody: not Production"})",
                run.RequestedBy, run.Id, request.DifferencesAccepted, CancellationToken.None);
        }
        catch (TargetLockedException e)
        {
            await NotStartedAsync(runId, e.Message);
            return;
        }
        catch (MigrationEngineException e)
        {
            logger.LogError(e, "Adopting {Target} in run {RunId} failed", run.Target, runId);
            await FinishAsync(runId, r => Move(r, RunState.Failed, Portal, "adoption failed") with
            {
                Error = $"Adoption failed: {e.Message} Check the target's system_config and migration_changelog (status) before trying again.",
            }, $"Adoption failed: {e.Message}");
            return;
        }
        await VerifyAsync(run, request, "Adopted: reading the target's history back.");
    }

    private async Task<string?> RefusalToStartAsync(MigrationRun run)
    {
        var evaluated = await preChecks.EvaluateAsync(run, CancellationToken.None);
        if (run.Approval is { } approval && ApprovalBinding.Changes(approval.BoundFacts, ApprovalBinding.FactsOf(evaluated)) is { Count: > 0 } changes)
        {
            return $"the approval by {approval.By} no longer holds: {string.Join("; ", changes)}";
        }
        var missing = PreCheckEvaluator.Unsatisfied(evaluated);
        return missing.Count > 0 ? string.Join("; ", missing) : null;
    }

    private async Task VerifyAsync(MigrationRun run, AdoptionRequest request, string message)
    {
        await LogAsync(run.Id, message);
        var validating = await repository.UpdateAsync(run.Id, r => Move(r, RunState.Validating, Portal, "reading the history back"), "Validating", CancellationToken.None);
        string? problem;
        try
        {
            var history = await targets.Get(run.Target).ReadHistoryAsync(CancellationToken.None);
            var baselined = history.Changelog.Count(e => e.RunId == run.Id && e.Status == Engine.History.ChangelogEntry.Baselined);
            problem = history.Applied == request.At && history.IsAdopted && baselined > 0
                ? null
                : $"the target's history says {history.Applied} with {baselined} baselined changelog entries of this run, not {request.At}";
            if (problem is null)
            {
                var evidence = $"{run.Target} is at {request.At}: {baselined} changelog entries marked baselined by run {run.Id}; no data or index touched.";
                await FinishAsync(run.Id, r => Move(r, RunState.Succeeded, Portal, "adopted") with
                {
                    Checklist = r.WithItem(r.Item(ChecklistTemplate.BaselineRecorded)! with { Status = ItemStatus.Passed, Evidence = evidence, By = Portal, At = Now })
                        .Checklist,
                }, $"Adopted at {request.At}");
                await audit.RecordAsync(new AuditRecord(Portal, Portal, AuditActions.TargetAdopted, validating.Target, run.Id,
                    $"adopted at {request.At} (requested by {run.RequestedBy}, approved by {run.Approval?.By ?? "nobody: not Production"}): {request.Reason}"),
                    CancellationToken.None);
                await LogAsync(run.Id, evidence, RunEventKind.RunFinished, passed: true);
                return;
            }
        }
        catch (MigrationEngineException e)
        {
            problem = $"its history could not be read: {e.Message}";
        }
        await FinishAsync(run.Id, r => Move(r, RunState.Failed, Portal, "adoption not proved") with
        {
            Error = $"The adoption could not be proved: {problem}. Check the target (status) before anything else.",
        }, $"Adoption not proved: {problem}");
        await LogAsync(run.Id, $"The adoption could not be proved: {problem}.", RunEventKind.RunFinished, passed: false);
    }

    private async Task NotStartedAsync(string runId, string why)
    {
        var run = await repository.UpdateAsync(runId, r => Move(r, RunState.NotStarted, Portal, "refused at start") with
        {
            Error = $"Not started: {why} Nothing was changed on the target; run it again once the cause is gone.",
        }, $"Not started: {why}", CancellationToken.None);
        await LogAsync(runId, $"Not started, nothing was changed: {why}", RunEventKind.RunFinished, passed: false);
        await audit.RecordAsync(new AuditRecord(Portal, Portal, AuditActions.RunStateChanged, run.Target, run.Id, $"not started, nothing was changed: {why}"),
            CancellationToken.None);
    }

    private async Task FinishAsync(string runId, Func<MigrationRun, MigrationRun> finish, string message)
    {
        var run = await repository.UpdateAsync(runId, r => finish(r) with { FinishedAt = Now }, message, CancellationToken.None);
        logger.LogInformation("Run {RunId} ended {State}: {Message}", runId, run.State, message);
        await audit.RecordAsync(new AuditRecord(Portal, Portal, AuditActions.RunStateChanged, run.Target, run.Id, message), CancellationToken.None);
    }

    private Task LogAsync(string runId, string message, RunEventKind kind = RunEventKind.Log, bool? passed = null) =>
        events.AppendAsync(runId, new RunEvent(time.GetUtcNow(), kind, message)
        {
            Passed = passed, Level = passed == false ? RunEventLevel.Warning : RunEventLevel.Information,
        }, CancellationToken.None);

    private MigrationRun Move(MigrationRun run, RunState to, string by, string reason) => RunStateMachine.Move(run, to, by, reason, Now);

    private DateTime Now => time.GetUtcNow().UtcDateTime;
}
