using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Engine.History;
using BotCore.MigrationPortal.Audit;
using BotCore.MigrationPortal.Backups.Engines;
using BotCore.MigrationPortal.Backups.Rehearsal;
using BotCore.MigrationPortal.Backups.Storage;
using BotCore.MigrationPortal.Engine.Leases;
using BotCore.MigrationPortal.Engine.Running;
using BotCore.MigrationPortal.Security;
using BotCore.MigrationPortal.Targets;

namespace BotCore.MigrationPortal.Backups;

/// <summary>
/// The manual rollback path: restores a backup over its target's collections. Only an Approver may, only after typing the
/// target's name, never from a backup that failed verification, and under the target's lease so that no run changes the
/// target meanwhile. Every restore is recorded in the manifest and in the audit log, whether it succeeds or not. A rehearsal restore
/// (<see cref="RehearsalRestore"/>) puts the backup into another target of a lower tier instead, masked as its rules say: only an Admin,
/// after typing the destination's name, under the destination's lease.
/// </summary>
public sealed class BackupRestorer(
    BackupStore store,
    TargetRegistry targets,
    BackupEngines engines,
    MaskingSalt salt,
    ActionAuthorizer authorizer,
    IAuditLog audit,
    TimeProvider time,
    ILogger<BackupRestorer> logger)
{
    /// <summary>
    /// Reads the caller now and checks, in this order, that their role may restore, that they typed the target's name, and that
    /// this backup may be restored (<see cref="BackupRules"/>); every refusal is audited.
    /// </summary>
    /// <exception cref="ActionRefusedException">They may not, with the reason.</exception>
    public async Task<Actor> AuthorizeAsync(Caller caller, BackupManifest manifest, string? confirmation, CancellationToken cancellationToken)
    {
        var attempted = BackupRules.Describe(BackupAction.Restore, manifest.Id);
        var actor = await authorizer.AuthorizeAsync(caller, attempted, a => BackupRules.Check(BackupAction.Restore, a), cancellationToken, manifest.Target, manifest.RunId);
        var typed = TargetNameConfirmation.Check(manifest.Target, confirmation, "Not restored", "that its collections are to be replaced");
        await authorizer.RequireAsync(actor, typed, attempted, cancellationToken, manifest.Target, manifest.RunId);
        await authorizer.RequireAsync(actor, BackupRules.Check(BackupAction.Restore, actor, manifest), attempted, cancellationToken, manifest.Target, manifest.RunId);
        return actor;
    }

    /// <summary>
    /// Reads the caller now and checks, in this order, that their role may restore into another target, that the destination is a
    /// target, that the tiers allow it (<see cref="BackupRules.CheckRehearsal"/>), that they typed the destination's name, that the
    /// backup is verified, and that the masking rules fit the backup (<see cref="MaskingRules.Check"/>); every refusal is audited.
    /// </summary>
    /// <returns>Who, and the rehearsal to record, with the tiers as they are now.</returns>
    /// <exception cref="ActionRefusedException">They may not, with the reason.</exception>
    public async Task<(Actor Actor, RehearsalRestore Rehearsal)> AuthorizeIntoAsync(Caller caller, BackupManifest manifest, string destination, string? confirmation,
        IReadOnlyList<MaskingRule> masking, CancellationToken cancellationToken)
    {
        var attempted = $"{BackupRules.Describe(BackupAction.Restore, manifest.Id)} into {destination}";
        var actor = await authorizer.AuthorizeAsync(caller, attempted, a => BackupRules.Check(BackupAction.RestoreInto, a), cancellationToken, destination);
        var into = targets.All.FirstOrDefault(t => string.Equals(t.Name, destination, StringComparison.Ordinal));
        await authorizer.RequireAsync(actor, into is null ? Verdict.No($"Not restored: there is no target named {destination}.") : Verdict.Yes, attempted,
            cancellationToken, destination);
        var from = targets.Describe(manifest.Target);
        await authorizer.RequireAsync(actor, BackupRules.CheckRehearsal(from.Name, from.Tier, into!.Name, into.Tier), attempted, cancellationToken, into.Name);
        var typed = TargetNameConfirmation.Check(into.Name, confirmation, "Not restored", $"that its collections are to be replaced by those of backup {manifest.Id}");
        await authorizer.RequireAsync(actor, typed, attempted, cancellationToken, into.Name);
        await authorizer.RequireAsync(actor, BackupRules.Check(BackupAction.RestoreInto, actor, manifest), attempted, cancellationToken, into.Name);
        await authorizer.RequireAsync(actor, MaskingRules.Check(masking, manifest), attempted, cancellationToken, into.Name);
        return (actor, new RehearsalRestore(into.Name, from.Tier, into.Tier, masking));
    }

    /// <param name="caller">Who asked; read again now, when the queued restore runs, and refused if they may no longer restore.</param>
    /// <param name="operationId">The restore's id, as <see cref="BackupIds.RestoreOperation"/> made it; recorded in the manifest.</param>
    public async Task<BackupManifest> RestoreAsync(Caller caller, string backupId, string confirmation, string operationId, IProgress<RunEvent> progress,
        CancellationToken cancellationToken)
    {
        var manifest = await store.GetAsync(backupId, cancellationToken);
        var queued = manifest.Restores.FirstOrDefault(r => r.Id == operationId);
        var forRun = queued?.ForRun;
        var rehearsal = queued?.Rehearsal;
        var into = rehearsal?.Destination ?? manifest.Target;
        // A rehearsal's audit entries belong to the destination it changed, not to the run the backup was taken for.
        var auditRun = forRun ?? (rehearsal is null ? manifest.RunId : null);
        var reporter = new BackupReporter(progress, time, "restore");
        Actor actor;
        try
        {
            actor = rehearsal is null
                ? await AuthorizeAsync(caller, manifest, confirmation, cancellationToken)
                : (await AuthorizeIntoAsync(caller, manifest, rehearsal.Destination, confirmation, rehearsal.Masking, cancellationToken)).Actor;
        }
        catch (ActionRefusedException e)
        {
            await SetAsync(backupId, operationId, caller.Name, RestoreStatus.Failed, $"refused when it was to start: {e.Message}", CancellationToken.None);
            throw;
        }
        var where = Where(manifest, rehearsal);
        try
        {
            if (queued is { Status: not RestoreStatus.Queued } earlier)
            {
                // Hangfire delivers a job again after a restart; replacing collections again is for a person to decide.
                throw new ActionRefusedException(
                    $"Restore {operationId} was already {earlier.Status.ToString().ToLowerInvariant()} when the portal stopped; it is not resumed automatically. Start a new restore if it is still needed.");
            }
            var target = targets.Get(into);
            var engine = engines.For(target);
            var masker = rehearsal is { Masking.Count: > 0 } ? new DocumentMasker(rehearsal.Masking, await salt.GetAsync(cancellationToken)) : null;
            await SetAsync(backupId, operationId, actor.Name, RestoreStatus.Running, null, cancellationToken);
            reporter.Log($"Restoring backup {backupId} (taken {manifest.CreatedAt:u}) {where}" + (target.IsSandbox ? " (simulated)" : "") +
                (manifest.IsVerified ? "" : "; this backup has not been verified"), manifest.IsVerified ? RunEventLevel.Information : RunEventLevel.Warning);
            await using var lease = await target.AcquireLeaseAsync(new LeaseHolder(operationId, actor.Name), cancellationToken);
            using var held = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, lease.Lost);
            var lines = await engine.RestoreAsync(target, manifest, store.Paths, masker, reporter, held.Token);
            var summary = $"backup {backupId} restored {where}{ForRunWords(forRun)}: {string.Join("; ", lines)}";
            logger.LogInformation("{User} restored backup {BackupId} {Where}", actor.Name, backupId, where);
            await audit.RecordAsync(AuditRecord.By(actor, AuditActions.BackupRestored, summary, target.Name, auditRun), CancellationToken.None);
            await target.AppendChangelogAsync(RestoreEntry(manifest, rehearsal, operationId, actor), CancellationToken.None);
            reporter.Log(rehearsal is null
                ? $"Restore finished: {target.Name} holds the backed-up collections again"
                : $"Restore finished: {target.Name} holds the collections of {manifest.Target} as backed up at {manifest.CreatedAt:u}" +
                  (rehearsal.Masking.Count == 0 ? ", unmasked" : $", masked ({string.Join("; ", rehearsal.Masking)})"));
            return await SetAsync(backupId, operationId, actor.Name, RestoreStatus.Succeeded, summary, CancellationToken.None);
        }
        catch (Exception e)
        {
            var expected = BackupFailures.Describe(e, into);
            var reason = e is OperationCanceledException ? "it was stopped before it finished" : expected ?? e.Message;
            logger.LogWarning("Restore {RestoreId} of backup {BackupId} {Where} failed: {Reason}", operationId, backupId, where, reason);
            await audit.RecordAsync(AuditRecord.By(actor, AuditActions.BackupRestoreFailed, $"restore of backup {backupId} {where}{ForRunWords(forRun)} failed: {reason}",
                into, auditRun), CancellationToken.None);
            await SetAsync(backupId, operationId, actor.Name, RestoreStatus.Failed, reason, CancellationToken.None);
            if (expected is null) throw;
            throw new BackupFailedException($"Restore of backup {backupId} {where} failed: {reason}.", e);
        }
    }

    /// <summary>"over dev", or "into staging (Staging), masking users.email hash, from production (Production)".</summary>
    public static string Where(BackupManifest manifest, RehearsalRestore? rehearsal) =>
        rehearsal is null ? $"over {manifest.Target}" : $"{rehearsal.Describe()}, from {manifest.Target} ({rehearsal.SourceTier})";

    /// <summary>History travels with the data: the target's changelog says its collections were replaced, by whom, from which backup.</summary>
    private ChangelogEntry RestoreEntry(BackupManifest manifest, RehearsalRestore? rehearsal, string operationId, Actor actor)
    {
        var now = time.GetUtcNow().UtcDateTime;
        return new ChangelogEntry
        {
            Version = manifest.SchemaVersion ?? SchemaVersion.Zero.ToString(),
            Description = $"restored from backup {manifest.Id}" + (rehearsal is null ? "" : $" of {manifest.Target}") +
                $" ({string.Join(", ", manifest.Collections.Select(c => c.Name))})" +
                (rehearsal is { Masking.Count: > 0 } ? $", masked: {string.Join("; ", rehearsal.Masking)}" : ""),
            Checksum = "",
            Direction = "restore",
            Status = ChangelogEntry.Restored,
            RunId = operationId,
            AppliedBy = actor.Name,
            StartedAt = now,
            FinishedAt = now,
        };
    }

    /// <summary>" for rollback run X", the words that link a restore to the rollback run it was the last resort of.</summary>
    public static string ForRunWords(string? forRun) => forRun is null ? "" : $" for rollback run {forRun}";

    /// <summary>
    /// Records a queued restore in the manifest, with the rollback run it is for (null from the Backups page) or the rehearsal it is (null
    /// for a restore over the backup's own target); the queued job reads both back.
    /// </summary>
    public Task<BackupManifest> QueuedAsync(string backupId, string operationId, string requestedBy, string? forRun, RehearsalRestore? rehearsal,
        CancellationToken cancellationToken) =>
        store.UpdateAsync(backupId, manifest => manifest with
        {
            Restores = [.. manifest.Restores, new BackupRestore(operationId, requestedBy, Now, RestoreStatus.Queued) { ForRun = forRun, Rehearsal = rehearsal }],
        }, cancellationToken);

    /// <summary>Records the restore's state in the manifest, where the backups page shows it.</summary>
    public Task<BackupManifest> SetAsync(string backupId, string operationId, string requestedBy, RestoreStatus status, string? outcome, CancellationToken cancellationToken) =>
        store.UpdateAsync(backupId, manifest =>
        {
            var now = Now;
            var finished = status is RestoreStatus.Succeeded or RestoreStatus.Failed ? now : (DateTime?)null;
            var started = status == RestoreStatus.Running ? now : (DateTime?)null;
            var existing = manifest.Restores.FirstOrDefault(r => r.Id == operationId);
            return manifest with
            {
                Restores = existing is null
                    ? [.. manifest.Restores, new BackupRestore(operationId, requestedBy, now, status, finished, outcome) { StartedAt = started }]
                    : manifest.Restores.Select(r => r.Id == operationId
                        ? r with { Status = status, FinishedAt = finished, Outcome = outcome, StartedAt = started ?? r.StartedAt }
                        : r).ToList(),
            };
        }, cancellationToken);

    private DateTime Now => time.GetUtcNow().UtcDateTime;
}
