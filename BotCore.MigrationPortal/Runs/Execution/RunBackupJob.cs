using BotCore.MigrationPortal.Backups;
using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Engine.Planning;
using BotCore.MigrationPortal.Engine.Running;
using BotCore.MigrationPortal.Notifications;
using BotCore.MigrationPortal.Runs.Checklists;
using BotCore.MigrationPortal.Runs.Events;
using BotCore.MigrationPortal.Security;
using Hangfire;
using Serilog.Context;

namespace BotCore.MigrationPortal.Runs.Execution;

/// <summary>
/// Backs up a run's target (the whole database or the collections the run touches) and verifies the backup, reporting into the run's event stream so the
/// run page shows it live, then settles the run's backup items. The person who asked is read from the store when the
/// job runs: one who may no longer back up this run (demoted, disabled, the run started meanwhile) is refused, in the
/// run's log and the audit log. A failure is reported, never retried blindly.
/// </summary>
public sealed class RunBackupJob(
    RunRepository repository,
    PreCheckEvaluator preChecks,
    MigrationPlanner planner,
    IBackupService backups,
    ActionAuthorizer authorizer,
    IRunEventStore events,
    TimeProvider time,
    ILogger<RunBackupJob> logger,
    INotificationPublisher notifications)
{
    /// <param name="target">Only for the job's name on the Hangfire dashboard; the job reads everything from the run.</param>
    /// <param name="scope">What to back up, as the person chose; asked of <see cref="RunBackupRules.CheckScope"/> again when the job runs.</param>
    [JobDisplayName("Backup of {1} for run {0}, by {2}")]
    [AutomaticRetry(Attempts = 0, OnAttemptsExceeded = AttemptsExceededAction.Fail)]
    public async Task ExecuteAsync(string runId, string target, string requestedBy, BackupScope scope, CancellationToken cancellationToken)
    {
        using var runProperty = LogContext.PushProperty("RunId", runId);
        var run = await repository.LoadAsync(runId, null, cancellationToken);
        var caller = new UserCaller(requestedBy);
        var recorder = new RunEventRecorder(events, runId, _ => Task.CompletedTask, logger);
        await using (recorder)
        {
            try
            {
                await authorizer.AuthorizeAsync(caller, $"back up for run {runId}",
                    actor => Verdict.All(() => RunRules.Check(RunAction.BackUp, run, actor), () => RunBackupRules.CheckScope(run, scope)), cancellationToken,
                    run.Target, runId);
                var collections = scope == BackupScope.WholeDatabase ? null : RunBackupRules.TouchedCollections(run, planner);
                recorder.Report(new RunEvent(time.GetUtcNow(), RunEventKind.Log,
                    $"Backing up {run.Target}: {scope.Words()}{(collections is null ? "" : $", {string.Join(", ", collections)}")} (requested by {requestedBy})"));
                var backup = await backups.CreateAsync(caller, run.Target, collections, runId, recorder, cancellationToken);
                var verified = await backups.VerifyAsync(caller, backup.Id, recorder, cancellationToken);
                if (!verified.IsVerified) await BackupFailedAsync(run, $"Backup {backup.Id} failed verification: {string.Join("; ", verified.Verification?.Details ?? [])}", cancellationToken);
                recorder.Report(new RunEvent(time.GetUtcNow(), RunEventKind.Log, verified.IsVerified
                    ? $"Backup {backup.Id} verified"
                    : $"Backup {backup.Id} failed verification: {string.Join("; ", verified.Verification?.Details ?? [])}")
                {
                    Level = verified.IsVerified ? RunEventLevel.Information : RunEventLevel.Error,
                });
            }
            catch (ActionRefusedException e)
            {
                recorder.Report(new RunEvent(time.GetUtcNow(), RunEventKind.Log, $"Backup not taken: {e.Message}") { Level = RunEventLevel.Error });
            }
            catch (MigrationEngineException e)
            {
                logger.LogWarning("Backup for run {RunId} failed: {Reason}", runId, e.Message);
                recorder.Report(new RunEvent(time.GetUtcNow(), RunEventKind.Log, $"Backup failed: {e.Message}") { Level = RunEventLevel.Error });
                await BackupFailedAsync(run, e.Message, cancellationToken);
            }
        }
        var evaluated = await preChecks.EvaluateAsync(await repository.LoadAsync(runId, null, cancellationToken), cancellationToken, PreCheckScope.Quick);
        await repository.UpdateAsync(runId, latest => latest
            .WithItem(evaluated.Item(ChecklistTemplate.Backup)!)
            .WithItem(evaluated.Item(ChecklistTemplate.BackupVerified)!), "Backup items settled", cancellationToken);
    }

    private Task BackupFailedAsync(MigrationRun run, string error, CancellationToken cancellationToken) =>
        notifications.PublishAsync(new PortalEvent(PortalEventKind.BackupFailed, time.GetUtcNow().UtcDateTime, run.Target, run.Id,
            $"The backup of {run.Target} for run {run.Id} failed.", error), cancellationToken);
}
