using BotCore.MigrationPortal.Audit;
using BotCore.MigrationPortal.Backups.Jobs;
using BotCore.MigrationPortal.Backups.Rehearsal;
using BotCore.MigrationPortal.Backups.Retention;
using BotCore.MigrationPortal.Backups.Storage;
using BotCore.MigrationPortal.Security;
using BotCore.MigrationPortal.Targets;

namespace BotCore.MigrationPortal.Backups;

/// <summary>
/// What a person does on the backups page. Each action reads the person from the store and asks <see cref="BackupRules"/>
/// at that moment, whatever the page showed, and queues a background job whose event stream (the id returned) the page
/// follows; the job reads the person and asks the rules again when it runs.
/// </summary>
public sealed class BackupRequests(
    BackupStore store,
    TargetRegistry targets,
    IBackupJobQueue jobs,
    BackupRestorer restorer,
    BackupRetentionRunner retention,
    ActionAuthorizer authorizer,
    IAuditLog audit,
    TimeProvider time)
{
    public RetentionPolicy Retention => retention.Policy;

    public string Location => store.Paths.Root;

    /// <returns>The id of the operation's event stream.</returns>
    public async Task<string> BackUpDatabaseAsync(Caller caller, string target, CancellationToken cancellationToken)
    {
        var actor = await authorizer.AuthorizeAsync(caller, BackupRules.Describe(BackupAction.BackUp, target), a => BackupRules.Check(BackupAction.BackUp, a),
            cancellationToken, target);
        var name = targets.Get(target).Name;
        var operationId = BackupIds.BackupOperation(name, time.GetUtcNow().UtcDateTime);
        var job = jobs.EnqueueBackup(operationId, name, actor);
        await audit.RecordAsync(AuditRecord.By(actor, AuditActions.BackupRequested, $"backup of the whole database of {name} queued as background job {job}", name),
            cancellationToken);
        return operationId;
    }

    /// <returns>The id of the operation's event stream.</returns>
    public async Task<string> VerifyAsync(Caller caller, string backupId, CancellationToken cancellationToken)
    {
        var actor = await authorizer.AuthorizeAsync(caller, BackupRules.Describe(BackupAction.Verify, backupId), a => BackupRules.Check(BackupAction.Verify, a),
            cancellationToken);
        var backup = await store.GetAsync(backupId, cancellationToken);
        var operationId = BackupIds.VerifyOperation(backup.Id);
        var job = jobs.EnqueueVerify(operationId, backup.Id, actor);
        await audit.RecordAsync(AuditRecord.By(actor, AuditActions.BackupVerifyRequested, $"verification of backup {backup.Id} queued as background job {job}",
            backup.Target, backup.RunId), cancellationToken);
        return operationId;
    }

    /// <param name="confirmation">What the person typed; it must be the target's name.</param>
    /// <returns>The id of the restore, which is also its event stream's.</returns>
    public Task<string> RestoreAsync(Caller caller, string backupId, string confirmation, CancellationToken cancellationToken) =>
        RestoreAsync(caller, backupId, confirmation, forRun: null, cancellationToken);

    /// <param name="confirmation">What the person typed; it must be the target's name.</param>
    /// <param name="forRun">
    /// The rollback run whose last resort this restore is (recorded on the restore and in the audit log; the run's "restored from
    /// backup" item follows its outcome), or null.
    /// </param>
    /// <returns>The id of the restore, which is also its event stream's.</returns>
    public async Task<string> RestoreAsync(Caller caller, string backupId, string confirmation, string? forRun, CancellationToken cancellationToken)
    {
        var backup = await store.GetAsync(backupId, cancellationToken);
        var actor = await restorer.AuthorizeAsync(caller, backup, confirmation, cancellationToken);
        targets.Get(backup.Target);
        var operationId = BackupIds.NextRestoreOperation(backup);
        await restorer.QueuedAsync(backup.Id, operationId, actor.Name, forRun, rehearsal: null, cancellationToken);
        var job = jobs.EnqueueRestore(operationId, backup.Id, confirmation, actor);
        await audit.RecordAsync(AuditRecord.By(actor, AuditActions.BackupRestoreRequested,
            $"restore {operationId} of backup {backup.Id} (taken {backup.CreatedAt:u}) over {backup.Target}{BackupRestorer.ForRunWords(forRun)} queued as background job {job}; " +
            "confirmed by typing the target's name", backup.Target, forRun ?? backup.RunId), cancellationToken);
        return operationId;
    }

    /// <summary>
    /// Restores a verified backup into another target of a lower tier (a production-like rehearsal), applying the masking rules to its
    /// documents on the way in. Only an Admin, after typing the destination's name (<see cref="BackupRestorer.AuthorizeIntoAsync"/>).
    /// </summary>
    /// <param name="confirmation">What the person typed; it must be the destination's name.</param>
    /// <returns>The id of the restore, which is also its event stream's.</returns>
    public async Task<string> RestoreIntoAsync(Caller caller, string backupId, string destination, string confirmation, IReadOnlyList<MaskingRule> masking,
        CancellationToken cancellationToken)
    {
        var backup = await store.GetAsync(backupId, cancellationToken);
        var (actor, rehearsal) = await restorer.AuthorizeIntoAsync(caller, backup, destination, confirmation, masking, cancellationToken);
        var operationId = BackupIds.NextRestoreOperation(backup);
        await restorer.QueuedAsync(backup.Id, operationId, actor.Name, forRun: null, rehearsal, cancellationToken);
        var job = jobs.EnqueueRestore(operationId, backup.Id, confirmation, actor);
        await audit.RecordAsync(AuditRecord.By(actor, AuditActions.BackupRestoreRequested,
            $"restore {operationId} of backup {backup.Id} (taken {backup.CreatedAt:u}) {BackupRestorer.Where(backup, rehearsal)} queued as background job {job}; " +
            "confirmed by typing the destination's name", rehearsal.Destination), cancellationToken);
        return operationId;
    }

    /// <returns>The backups removed.</returns>
    public async Task<IReadOnlyList<RetentionDecision>> ApplyRetentionAsync(Caller caller, CancellationToken cancellationToken)
    {
        var actor = await authorizer.AuthorizeAsync(caller, BackupRules.Describe(BackupAction.ApplyRetention, ""), a => BackupRules.Check(BackupAction.ApplyRetention, a),
            cancellationToken);
        return await retention.ApplyAsync(actor.Name, actor.Role.ToString(), cancellationToken);
    }
}
