using BotCore.MigrationPortal.Audit;
using BotCore.MigrationPortal.Backups.Engines;
using BotCore.MigrationPortal.Backups.Storage;
using BotCore.MigrationPortal.Engine.Leases;
using BotCore.MigrationPortal.Engine.Ports;
using BotCore.MigrationPortal.Engine.Running;
using BotCore.MigrationPortal.Security;
using BotCore.MigrationPortal.Targets;

namespace BotCore.MigrationPortal.Backups;

/// <summary>
/// Backs up a target (a run's collections with system_config, or the whole database) under the target's lease, so that no
/// migration changes the collections while they are copied; verifies a backup by restoring it elsewhere. Checks the role
/// of whoever asks, writes the manifest and the audit log.
/// </summary>
public sealed class BackupService(
    BackupStore store,
    TargetRegistry targets,
    BackupEngines engines,
    ActionAuthorizer authorizer,
    IAuditLog audit,
    TimeProvider time,
    ILogger<BackupService> logger) : IBackupService
{
    public async Task<BackupManifest> CreateAsync(Caller caller, string target, IReadOnlyCollection<string>? collections, string? runId, IProgress<RunEvent> progress,
        CancellationToken cancellationToken)
    {
        var actor = await authorizer.AuthorizeAsync(caller, BackupRules.Describe(BackupAction.BackUp, target), a => BackupRules.Check(BackupAction.BackUp, a),
            cancellationToken, target, runId);
        var source = targets.Get(target);
        var engine = engines.For(source);
        var createdAt = Now;
        var id = store.NewId(source.Name, createdAt);
        // The schema version lives in system_config: without it a restore would bring the collections back but not the version.
        var wanted = collections?.Append(TargetCollections.SystemConfig).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var reporter = new BackupReporter(progress, time, "backup");
        reporter.Log($"Backup {id} of {source.Name}: {(wanted is null ? "the whole database" : string.Join(", ", wanted))}" +
            (source.IsSandbox ? " (simulated: the files are real, the collections hold no documents)" : ""));
        try
        {
            await using var lease = await source.AcquireLeaseAsync(new LeaseHolder($"backup-{id}", actor.Name), cancellationToken);
            using var held = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, lease.Lost);
            var dumped = await engine.DumpAsync(source, store.Paths, id, wanted, reporter, held.Token);
            var manifest = new BackupManifest(id, source.Name, dumped.Database, runId, createdAt, actor.Name, wanted is null, dumped.Collections,
                dumped.Collections.Sum(c => c.Bytes), null)
            {
                Simulated = source.IsSandbox, SchemaVersion = dumped.SchemaVersion, AbsentCollections = dumped.Absent,
            };
            await store.SaveAsync(manifest, cancellationToken);
            var summary = $"backup {id} of {source.Name} ({dumped.Database}): {dumped.Collections.Count} collections, " +
                $"{dumped.Collections.Sum(c => c.Documents):N0} documents, {manifest.TotalBytes:N0} bytes" + (runId is null ? "" : $", for run {runId}") +
                (source.IsSandbox ? " (simulated)" : "");
            reporter.Log($"Written: {summary}");
            logger.LogInformation("{User} backed up {Target}: {Summary}", actor.Name, source.Name, summary);
            await audit.RecordAsync(AuditRecord.By(actor, AuditActions.BackupCreated, summary, source.Name, runId), cancellationToken);
            return manifest;
        }
        catch (Exception e)
        {
            // A backup that did not finish leaves nothing behind that could be mistaken for one.
            DeleteUnfinished(id);
            if (BackupFailures.Describe(e, source.Name) is not { } reason) throw;
            logger.LogWarning("Backup {BackupId} of {Target} failed: {Reason}", id, source.Name, reason);
            throw new BackupFailedException($"Backup of {source.Name} failed: {reason}. Nothing was kept; try again once the cause is fixed.", e);
        }
    }

    public async Task<BackupManifest> VerifyAsync(Caller caller, string backupId, IProgress<RunEvent> progress, CancellationToken cancellationToken)
    {
        var actor = await authorizer.AuthorizeAsync(caller, BackupRules.Describe(BackupAction.Verify, backupId), a => BackupRules.Check(BackupAction.Verify, a),
            cancellationToken);
        var manifest = await store.GetAsync(backupId, cancellationToken);
        var target = targets.Get(manifest.Target);
        var reporter = new BackupReporter(progress, time, "verify");
        reporter.Log($"Verifying backup {backupId}: restoring it " + (target.IsSandbox ? "from its files (simulated)" : "into a scratch database") +
            " and comparing each collection's documents, content hash and indexes with the manifest");
        VerificationResult result;
        var started = Now;
        try
        {
            result = await engines.For(target).VerifyAsync(target, manifest, store.Paths, reporter, cancellationToken);
        }
        catch (Exception e) when (BackupFailures.Describe(e, target.Name) is { } reason)
        {
            result = new VerificationResult(false, [$"the verification could not complete: {reason}"]);
        }
        if (manifest.Collections.Count == 0)
        {
            result = result with { Details = [$"nothing to compare: none of the collections existed when the backup was taken (restoring it drops {string.Join(", ", manifest.AbsentCollections)})"] };
        }
        var verification = new BackupVerification(Now, result.Passed, result.Details) { StartedAt = started };
        var saved = await store.UpdateAsync(backupId, m => m with { Verification = verification }, cancellationToken);
        var outcome = result.Passed ? "passed" : "FAILED";
        logger.LogInformation("{User} verified backup {BackupId}: {Outcome}", actor.Name, backupId, outcome);
        await audit.RecordAsync(AuditRecord.By(actor, AuditActions.BackupVerified, $"backup {backupId} {outcome} verification: {string.Join("; ", result.Details)}",
            manifest.Target, manifest.RunId), cancellationToken);
        return saved;
    }

    public Task<IReadOnlyList<BackupManifest>> ListAsync(CancellationToken cancellationToken) => store.ListAsync(cancellationToken);

    public Task<BackupManifest?> FindAsync(string backupId, CancellationToken cancellationToken) => store.FindAsync(backupId, cancellationToken);

    private void DeleteUnfinished(string id)
    {
        try
        {
            store.Delete(id);
        }
        catch (IOException e)
        {
            logger.LogWarning("Could not remove the unfinished backup {BackupId}: {Problem}", id, e.Message);
        }
    }

    private DateTime Now => time.GetUtcNow().UtcDateTime;
}
