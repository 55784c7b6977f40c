using BotCore.MigrationPortal.Audit;
using BotCore.MigrationPortal.Backups.Storage;

namespace BotCore.MigrationPortal.Backups.Retention;

/// <summary>Applies the configured retention policy: removes the backups it selects and records each removal in the audit log.</summary>
public sealed class BackupRetentionRunner(BackupStore store, BackupOptions options, IAuditLog audit, TimeProvider time, ILogger<BackupRetentionRunner> logger)
{
    public RetentionPolicy Policy { get; } = new(options.KeepDays, options.KeepPerTarget);

    /// <param name="user">Who applies it: an Admin, or "portal" for the daily schedule.</param>
    /// <returns>The backups removed.</returns>
    public async Task<IReadOnlyList<RetentionDecision>> ApplyAsync(string user, string role, CancellationToken cancellationToken)
    {
        var removed = new List<RetentionDecision>();
        foreach (var decision in BackupRetention.Expired(await store.ListAsync(cancellationToken), Policy, time.GetUtcNow().UtcDateTime))
        {
            var backup = decision.Backup;
            try
            {
                store.Delete(backup.Id);
            }
            catch (IOException e)
            {
                logger.LogWarning("Retention could not remove backup {BackupId}: {Problem}", backup.Id, e.Message);
                continue;
            }
            removed.Add(decision);
            logger.LogInformation("Retention removed backup {BackupId} of {Target} ({Reason})", backup.Id, backup.Target, decision.Reason);
            await audit.RecordAsync(new AuditRecord(user, role, AuditActions.BackupDeleted,
                backup.Target, backup.RunId, $"backup {backup.Id} of {backup.CreatedAt:u} removed by retention: {decision.Reason}"), cancellationToken);
        }
        return removed;
    }
}
