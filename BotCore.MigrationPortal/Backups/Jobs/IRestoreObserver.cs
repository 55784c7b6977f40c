namespace BotCore.MigrationPortal.Backups.Jobs;

/// <summary>
/// Told when a queued restore has ended, whether it succeeded, failed or was refused at its start, so that what it was for (a rollback
/// run's "restored from backup" item) follows it. The backups feature knows nothing of runs; the runs feature registers one.
/// </summary>
public interface IRestoreObserver
{
    /// <param name="backup">The backup's manifest as it is after the restore, with the restore's record in <see cref="BackupManifest.Restores"/>.</param>
    Task RestoreEndedAsync(BackupManifest backup, BackupRestore restore, CancellationToken cancellationToken);
}
