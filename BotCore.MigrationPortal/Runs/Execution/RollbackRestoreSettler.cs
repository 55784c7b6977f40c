using BotCore.MigrationPortal.Backups;
using BotCore.MigrationPortal.Backups.Jobs;
using BotCore.MigrationPortal.Runs.Checklists;

namespace BotCore.MigrationPortal.Runs.Execution;

/// <summary>
/// When a restore started from a rollback run ends, settles that run's "restored from backup" item by it: passed with the evidence, or
/// failed with the error (see <see cref="RestoredFromBackupItem"/>). A restore from the Backups page is for no run and changes none.
/// </summary>
public sealed class RollbackRestoreSettler(RunRepository repository, ILogger<RollbackRestoreSettler> logger) : IRestoreObserver
{
    public async Task RestoreEndedAsync(BackupManifest backup, BackupRestore restore, CancellationToken cancellationToken)
    {
        if (restore.ForRun is not { } runId) return;
        try
        {
            await repository.UpdateAsync(runId, run => RestoredFromBackupItem.Settled(run, backup, restore),
                $"Restore {restore.Id} of backup {backup.Id} {(restore.Status == RestoreStatus.Succeeded ? "succeeded" : "failed")}", cancellationToken);
        }
        catch (Engine.MigrationEngineException e)
        {
            // The restore is recorded on the backup and in the audit log whatever happens here; only the run's item could not follow it.
            logger.LogWarning("Restore {RestoreId} ended, but rollback run {RunId} could not record it: {Problem}", restore.Id, runId, e.Message);
        }
    }
}
