using BotCore.MigrationPortal.Audit;
using BotCore.MigrationPortal.Backups.Jobs;
using BotCore.MigrationPortal.Backups.Retention;
using BotCore.MigrationPortal.Backups.Storage;
using BotCore.MigrationPortal.Security;
using BotCore.MigrationPortal.Targets;

namespace BotCore.MigrationPortal.Backups;

/// <summary>
/// What a person does on the backups page. Each action checks the role on the server, whatever the page showed, and queues
/// a background job whose event stream (the id returned) the page follows; the job checks again when it runs.
/// </summary>
public sealed class BackupRequests(
    BackupStore store,
    TargetRegistry targets,
    IBackupJobQueue jobs,
    BackupRestorer restorer,
    BackupRetentionRunner retention,
    IAuditLog audit,
    TimeProvider time)
{
    public RetentionPolicy Retention => retention.Policy;

    public string Location => store.Paths.Root;

    /// <returns>The id of the operation's event stream.</returns>
    public async Task<string> BackUpDatabaseAsync(Actor actor, string target, CancellationToken cancellationToken)
    {
        actor.Require(Role.Operator, "back up targets");
        var name = targets.Get(target).Name;
        var operationId = BackupIds.BackupOperation(name, time.GetUtcNow().UtcDateTime);
        var job = jobs.EnqueueBackup(operationId, name, actor);
        await audit.RecordAsync(AuditRecord.By(actor, AuditActions.BackupRequested, $"backup of the whole database of {name} queued as background job {job}", name),
            cancellationToken);
        return operationId;
    }

    /// <returns>The id of the operation's event stream.</returns>
    public async Task<string> VerifyAsync(Actor actor, string backupId, CancellationToken cancellationToken)
    {
        actor.Require(Role.Operator, "verify backups");
        var backup = await store.GetAsync(backupId, cancellationToken);
        var operationId = BackupIds.VerifyOperation(backup.Id);
        jobs.EnqueueVerify(operationId, backup.Id, actor);
        return operationId;
    }

    /// <param name="confirmation">What the person typed; it must be the target's name.</param>
    /// <returns>The id of the restore, which is also its event stream's.</returns>
    public async Task<string> RestoreAsync(Actor actor, string backupId, string confirmation, CancellationToken cancellationToken)
    {
        var backup = await store.GetAsync(backupId, cancellationToken);
        BackupRestorer.Check(actor, backup, confirmation);
        targets.Get(backup.Target);
        var operationId = BackupIds.RestoreOperation(backup.Id, backup.Restores.Count + 1);
        await restorer.SetAsync(backup.Id, operationId, actor, RestoreStatus.Queued, null, cancellationToken);
        var job = jobs.EnqueueRestore(operationId, backup.Id, confirmation, actor);
        await audit.RecordAsync(AuditRecord.By(actor, AuditActions.BackupRestoreRequested,
            $"restore {operationId} of backup {backup.Id} (taken {backup.CreatedAt:u}) over {backup.Target} queued as background job {job}; " +
            "confirmed by typing the target's name", backup.Target, backup.RunId), cancellationToken);
        return operationId;
    }

    /// <returns>The backups removed.</returns>
    public Task<IReadOnlyList<RetentionDecision>> ApplyRetentionAsync(Actor actor, CancellationToken cancellationToken)
    {
        actor.Require(Role.Admin, "apply the backup retention");
        return retention.ApplyAsync(actor.Name, actor.Role.ToString(), cancellationToken);
    }
}
