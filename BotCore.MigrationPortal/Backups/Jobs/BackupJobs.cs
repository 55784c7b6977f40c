using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Engine.Running;
using BotCore.MigrationPortal.Notifications;
using BotCore.MigrationPortal.Runs.Events;
using BotCore.MigrationPortal.Runs.Execution;
using BotCore.MigrationPortal.Security;
using Hangfire;
using Hangfire.Server;
using Serilog.Context;

namespace BotCore.MigrationPortal.Backups.Jobs;

/// <summary>
/// The background jobs behind the backups page. Each records its progress in its own event stream, which the page follows
/// live (from any portal instance) and replays after a reload, and ends the stream with a RunFinished event saying how it
/// ended. The services they call read the requester from the store again and refuse, visibly and audited, a person who
/// may no longer do it. Never retried automatically: a restore is repeated by a person.
/// </summary>
public sealed class BackupJobs(
    IBackupService backups,
    BackupRestorer restorer,
    IEnumerable<IRestoreObserver> observers,
    IRunEventStore events,
    INotificationPublisher notifications,
    TimeProvider time,
    ILogger<BackupJobs> logger)
{
    [JobDisplayName("Backup of {1} (whole database), by {2}")]
    [AutomaticRetry(Attempts = 0, OnAttemptsExceeded = AttemptsExceededAction.Fail)]
    public Task BackUpDatabaseAsync(string operationId, string target, string requestedBy, PerformContext? context, CancellationToken cancellationToken) =>
        RunAsync(operationId, context, $"Backup of the whole database of {target}, requested by {requestedBy}", async progress =>
        {
            var backup = await backups.CreateAsync(new UserCaller(requestedBy), target, null, null, progress, cancellationToken);
            return (true, $"Backup {backup.Id} written: {backup.Collections.Count} collections, {backup.Collections.Sum(c => c.Documents):N0} documents");
        }, failure => BackupFailedAsync(target, $"The backup of the whole database of {target} requested by {requestedBy} failed", failure));

    // A backup's id names its target and when it was taken.
    [JobDisplayName("Verify backup {1}, by {2}")]
    [AutomaticRetry(Attempts = 0, OnAttemptsExceeded = AttemptsExceededAction.Fail)]
    public Task VerifyAsync(string operationId, string backupId, string requestedBy, PerformContext? context, CancellationToken cancellationToken) =>
        RunAsync(operationId, context, $"Verification of backup {backupId}, requested by {requestedBy}", async progress =>
        {
            var backup = await backups.VerifyAsync(new UserCaller(requestedBy), backupId, progress, cancellationToken);
            return (backup.IsVerified, backup.IsVerified ? $"Backup {backupId} passed verification" : $"Backup {backupId} FAILED verification");
        }, async failure =>
        {
            if (await backups.FindAsync(backupId, CancellationToken.None) is { } backup)
            {
                await BackupFailedAsync(backup.Target, $"The verification of backup {backupId} of {backup.Target} requested by {requestedBy} failed", failure);
            }
        });

    [JobDisplayName("Restore backup {1}, by {3}")]
    [AutomaticRetry(Attempts = 0, OnAttemptsExceeded = AttemptsExceededAction.Fail)]
    public Task RestoreAsync(string operationId, string backupId, string confirmation, string requestedBy, PerformContext? context,
        CancellationToken cancellationToken) =>
        RunAsync(operationId, context, $"Restore of backup {backupId}, requested by {requestedBy}", async progress =>
        {
            try
            {
                var backup = await restorer.RestoreAsync(new UserCaller(requestedBy), backupId, confirmation, operationId, progress, cancellationToken);
                // A rehearsal went into another target: the line names where the data went, not where it came from.
                return (true, backup.Restores.FirstOrDefault(r => r.Id == operationId)?.Rehearsal is { } rehearsal
                    ? $"Backup {backupId} of {backup.Target} restored into {rehearsal.Destination}"
                    : $"Backup {backupId} restored over {backup.Target}");
            }
            finally
            {
                await TellObserversAsync(backupId, operationId);
            }
        });

    /// <summary>Once the restore has ended (its record says how), whatever it was for follows it; a restore still queued or running has not ended.</summary>
    private async Task TellObserversAsync(string backupId, string operationId)
    {
        if (await backups.FindAsync(backupId, CancellationToken.None) is not { } backup) return;
        if (backup.Restores.FirstOrDefault(r => r.Id == operationId) is not { IsFinished: true } restore) return;
        foreach (var observer in observers)
        {
            await observer.RestoreEndedAsync(backup, restore, CancellationToken.None);
        }
    }

    /// <summary>The team hears of a backup or verification from the Backups page that failed (a run's own backup says so through its run).</summary>
    private Task BackupFailedAsync(string target, string summary, string error) =>
        notifications.PublishAsync(new PortalEvent(PortalEventKind.BackupFailed, time.GetUtcNow().UtcDateTime, target, null, summary, error), CancellationToken.None);

    /// <param name="failed">What follows a failure (the team is told), with its message; null when nothing does (a restore's observers follow it).</param>
    private async Task RunAsync(string operationId, PerformContext? context, string what, Func<IProgress<RunEvent>, Task<(bool Passed, string Summary)>> work,
        Func<string, Task>? failed = null)
    {
        using var property = LogContext.PushProperty("BackupOperation", operationId);
        var recorder = new RunEventRecorder(events, operationId, _ => Task.CompletedTask, logger);
        await using (recorder)
        {
            recorder.Report(new RunEvent(time.GetUtcNow(), RunEventKind.RunStarted, what + (context is null ? "" : $" (job {context.BackgroundJob.Id})")));
            try
            {
                var (passed, summary) = await work(recorder);
                recorder.Report(Finished(summary, passed));
                if (!passed && failed is not null) await failed(summary);
            }
            catch (MigrationEngineException e)
            {
                logger.LogWarning("{Operation} did not succeed: {Reason}", what, e.Message);
                recorder.Report(Finished(e.Message, false));
                if (failed is not null) await failed(e.Message);
            }
            catch (OperationCanceledException)
            {
                recorder.Report(Finished("Stopped before it finished: the portal is shutting down", false));
                throw;
            }
            catch (Exception e)
            {
                logger.LogError(e, "{Operation} failed unexpectedly", what);
                recorder.Report(Finished($"Failed unexpectedly: {e.Message}", false));
                if (failed is not null) await failed($"failed unexpectedly: {e.Message}");
                throw;
            }
        }
    }

    private RunEvent Finished(string message, bool passed) =>
        new(time.GetUtcNow(), RunEventKind.RunFinished, message) { Passed = passed, Level = passed ? RunEventLevel.Information : RunEventLevel.Error };
}
