using BotCore.MigrationPortal.Audit;
using BotCore.MigrationPortal.Backups;
using BotCore.MigrationPortal.Runs.Checklists;
using BotCore.MigrationPortal.Security;

namespace BotCore.MigrationPortal.Runs;

/// <summary>
/// A run's backup beyond "Back up now" (<see cref="RunService.BackUpAsync(Caller, string, BackupScope?, long, CancellationToken)"/>): attaching a
/// verified whole-database backup taken shortly before, and, from a rollback run, restoring the rolled-back run's backup as the last resort.
/// As every run action: the person is read from the store at the act, <see cref="RunRules"/> and <see cref="RunBackupRules"/> are asked
/// (refusals audited), the run is loaded at the revision the page showed (a stale page or a second click is refused) and the act is audited.
/// </summary>
public sealed class RunBackups(
    RunRepository repository,
    PreCheckEvaluator preChecks,
    IBackupService backups,
    BackupRequests requests,
    BackupOptions options,
    ActionAuthorizer authorizer,
    IAuditLog audit,
    TimeProvider time)
{
    public TimeSpan AttachMaxAge => options.AttachMaxAge;

    /// <summary>The backups "Use backup …" offers for <paramref name="run"/> now (see <see cref="RunBackupRules.CheckAttach"/>), newest first.</summary>
    public async Task<IReadOnlyList<BackupManifest>> AttachableAsync(MigrationRun run, CancellationToken cancellationToken) =>
        RunBackupRules.Attachable(run, await backups.ListAsync(cancellationToken), Now, options.AttachMaxAge);

    /// <summary>
    /// "Use backup …": <paramref name="backupId"/>, a verified whole-database backup of the run's target taken shortly before, becomes the run's
    /// backup; its backup items are evaluated again at once and say so.
    /// </summary>
    public async Task<MigrationRun> AttachAsync(Caller caller, string id, string backupId, long revision, CancellationToken cancellationToken)
    {
        var attempted = $"attach backup {backupId} to run {id}";
        var actor = await authorizer.ActorAsync(caller, attempted, cancellationToken);
        var run = await repository.LoadAsync(id, revision, cancellationToken);
        await authorizer.RequireAsync(actor, RunRules.Check(RunAction.AttachBackup, run, actor), attempted, cancellationToken, run.Target, run.Id);
        var backup = await backups.FindAsync(backupId, cancellationToken);
        // A refusal like any other: audited, with what to do.
        await authorizer.RequireAsync(actor, backup is null
            ? Verdict.No($"There is no backup '{backupId}' any more: it may have been removed by the retention; pick another.")
            : RunBackupRules.CheckAttach(run, backup, Now, options.AttachMaxAge), attempted, cancellationToken, run.Target, run.Id);
        var attached = run with { AttachedBackup = new AttachedBackup(backup!.Id, actor.Name, Now) };
        var evaluated = await preChecks.EvaluateAsync(attached, cancellationToken, PreCheckScope.Quick);
        var settled = attached.WithItem(evaluated.Item(ChecklistTemplate.Backup)!).WithItem(evaluated.Item(ChecklistTemplate.BackupVerified)!);
        var saved = await repository.SaveAsync(run, settled, $"{actor.Name} attached backup {backup.Id}", cancellationToken);
        await audit.RecordAsync(AuditRecord.By(actor, AuditActions.BackupAttached,
            $"{BackupEvidence.Describe(backup)}, verified at {backup.Verification!.At:u}, attached as the run's backup" +
            (run.AttachedBackup is { } earlier ? $" in place of {earlier.BackupId}" : ""), run.Target, run.Id), cancellationToken);
        return saved;
    }

    /// <summary>The backup "Restore from backup…" on the rollback run <paramref name="run"/> would restore: the rolled-back run's newest verified backup, or null.</summary>
    public async Task<BackupManifest?> RestorableAsync(MigrationRun run, CancellationToken cancellationToken)
    {
        if (run.RollbackOf is not { } rolledBackId) return null;
        var rolledBack = await repository.LoadAsync(rolledBackId, null, cancellationToken);
        return RunBackupRules.RestorableOf(rolledBack, await backups.ListAsync(cancellationToken));
    }

    /// <summary>
    /// "Restore from backup…" on a rollback run whose rollback did not bring the target back: queues the restore of the rolled-back run's
    /// verified backup, linked to this run (the restore names it, the run names the restore), once the person typed the target's name. The
    /// run's "restored from backup" item names the restore until it ends, then settles by it (see <see cref="RestoredFromBackupItem"/>).
    /// </summary>
    /// <param name="typedTargetName">The target's name as the person typed it (<see cref="BackupRestorer.AuthorizeAsync"/>).</param>
    public async Task<MigrationRun> RestoreAsync(Caller caller, string id, string? typedTargetName, long revision, CancellationToken cancellationToken)
    {
        var attempted = $"restore from backup for run {id}";
        var actor = await authorizer.ActorAsync(caller, attempted, cancellationToken);
        var run = await repository.LoadAsync(id, revision, cancellationToken);
        await authorizer.RequireAsync(actor, RunRules.Check(RunAction.RestoreFromBackup, run, actor), attempted, cancellationToken, run.Target, run.Id);
        var backup = await RestorableAsync(run, cancellationToken);
        await authorizer.RequireAsync(actor, RunBackupRules.CheckRestoreBackup(run, backup), attempted, cancellationToken, run.Target, run.Id);
        // The request asks the backup's own rules (role, the typed name, verified) before it records or queues anything, so a refusal changes nothing.
        var restoreId = await requests.RestoreAsync(caller, backup!.Id, typedTargetName ?? "", run.Id, cancellationToken);
        return await repository.SaveAsync(run, RestoredFromBackupItem.Requested(run, backup, restoreId, actor.Name, Now),
            $"{actor.Name} started restore {restoreId} of backup {backup.Id}", cancellationToken);
    }

    private DateTime Now => time.GetUtcNow().UtcDateTime;
}
