using BotCore.MigrationPortal.Audit;
using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Engine.Leases;
using BotCore.MigrationPortal.Engine.Running;
using BotCore.MigrationPortal.Runs;
using BotCore.MigrationPortal.Runs.Checklists;
using BotCore.MigrationPortal.Runs.Execution;
using BotCore.MigrationPortal.Targets;
using BotCore.MigrationPortal.Text;
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
    RunJobLedger ledger,
    IAuditLog audit,
    ILogger<BaselineRunJob> logger)
{
    private const string Portal = RunJobLedger.Portal;

    /// <param name="target">Only for the job's name on the Hangfire dashboard; the job reads everything from the run.</param>
    [JobDisplayName("Adoption run {0} on {1}")]
    [AutomaticRetry(Attempts = 0, OnAttemptsExceeded = AttemptsExceededAction.Fail)]
    public Task ExecuteAsync(string runId, string target, PerformContext? context, CancellationToken shutdown) => ExecuteAsync(runId, context?.BackgroundJob.Id);

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
            await ledger.CancelledBeforeStartAsync(runId, canceller);
            return;
        }
        if (await RefusalToStartAsync(run) is { } refusal)
        {
            await ledger.NotStartedAsync(runId, refusal);
            return;
        }
        run = await ledger.StartAsync(runId, jobId);
        await ledger.LogAsync(runId, $"Adopting {run.Target} at {request.At}: writing its version and a baselined changelog (no data, no index).");
        try
        {
            await writer.AdoptAsync(targets.Get(run.Target), request.At, $"{request.Reason} (approved by {run.Approval?.By ?? "nobody: not Production"})",
                run.RequestedBy, run.Id, request.DifferencesAccepted, CancellationToken.None);
        }
        catch (TargetLockedException e)
        {
            await ledger.NotStartedAsync(runId, e.Message);
            return;
        }
        catch (MigrationEngineException e)
        {
            logger.LogError(e, "Adopting {Target} in run {RunId} failed", run.Target, runId);
            await ledger.FinishAsync(runId, r => ledger.Move(r, RunState.Failed, Portal, "adoption failed") with
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
        if (RunJobLedger.ApprovalRefusal(run, evaluated) is { } refusal) return refusal;
        var missing = PreCheckEvaluator.Unsatisfied(evaluated);
        return missing.Count > 0 ? string.Join("; ", missing) : null;
    }

    private async Task VerifyAsync(MigrationRun run, AdoptionRequest request, string message)
    {
        await ledger.LogAsync(run.Id, message);
        var validating = await repository.UpdateAsync(run.Id, r => ledger.Move(r, RunState.Validating, Portal, "reading the history back"), "Validating", CancellationToken.None);
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
                await ledger.FinishAsync(run.Id, r => ledger.Move(r, RunState.Succeeded, Portal, "adopted") with
                {
                    Checklist = r.WithItem(r.Item(ChecklistTemplate.BaselineRecorded)! with { Status = ItemStatus.Passed, Evidence = evidence, By = Portal, At = ledger.Now })
                        .Checklist,
                }, $"Adopted at {request.At}");
                await audit.RecordAsync(new AuditRecord(Portal, Portal, AuditActions.TargetAdopted, validating.Target, run.Id,
                    $"adopted at {request.At} (requested by {run.RequestedBy}, approved by {run.Approval?.By ?? "nobody: not Production"}): {request.Reason}"),
                    CancellationToken.None);
                await ledger.EndedAsync(run.Id, evidence, passed: true);
                return;
            }
        }
        catch (MigrationEngineException e)
        {
            problem = $"its history could not be read: {Clause.Of(e.Message)}";
        }
        await ledger.FinishAsync(run.Id, r => ledger.Move(r, RunState.Failed, Portal, "adoption not proved") with
        {
            Error = $"The adoption could not be proved: {problem}. Check the target (status) before anything else.",
        }, $"Adoption not proved: {problem}");
        await ledger.EndedAsync(run.Id, $"The adoption could not be proved: {problem}.", passed: false);
    }
}
