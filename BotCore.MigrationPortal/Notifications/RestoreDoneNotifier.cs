using BotCore.MigrationPortal.Backups;
using BotCore.MigrationPortal.Backups.Jobs;

namespace BotCore.MigrationPortal.Notifications;

/// <summary>Tells the team that a restore ended (the backups feature calls every restore observer), with its outcome.</summary>
public sealed class RestoreDoneNotifier(INotificationPublisher publisher, TimeProvider time) : IRestoreObserver
{
    public Task RestoreEndedAsync(BackupManifest backup, BackupRestore restore, CancellationToken cancellationToken) =>
        publisher.PublishAsync(new PortalEvent(PortalEventKind.RestoreDone, time.GetUtcNow().UtcDateTime, backup.Target, restore.ForRun,
            $"Restore {restore.Id} of backup {backup.Id} over {backup.Target}, requested by {restore.RequestedBy}, ended: {restore.Status}.",
            restore.Status == RestoreStatus.Succeeded ? null : restore.Outcome ?? "no reason was recorded"), cancellationToken);
}
