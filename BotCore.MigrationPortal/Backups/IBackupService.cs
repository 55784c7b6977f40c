using BotCore.MigrationPortal.Backups.Rehearsal;
using BotCore.MigrationPortal.Engine.Running;
using BotCore.MigrationPortal.Security;

namespace BotCore.MigrationPortal.Backups;

/// <summary>One collection in a backup: its type, how many documents, the compressed size and a hash of its content.</summary>
public sealed record BackupCollection(string Name, string Type, long Documents, long Bytes, string ContentHash);

/// <summary>The result of restoring a backup into a scratch database and comparing it, collection by collection.</summary>
public sealed record BackupVerification(DateTime At, bool Passed, IReadOnlyList<string> Details)
{
    /// <summary>When the restore into the scratch database began; null in manifests written before it was recorded.</summary>
    public DateTime? StartedAt { get; init; }

    /// <summary>How long restoring and comparing took: a measure of the target's restore throughput (see <see cref="RestoreSla"/>).</summary>
    public TimeSpan? Duration => StartedAt is { } started ? At - started : null;
}

public enum RestoreStatus
{
    Queued,
    Running,
    Succeeded,
    Failed,
}

/// <summary>
/// One restore of a backup over its target (the manual rollback path). <see cref="Id"/> is also the id of the event stream
/// its progress is recorded in.
/// </summary>
public sealed record BackupRestore(string Id, string RequestedBy, DateTime RequestedAt, RestoreStatus Status, DateTime? FinishedAt = null, string? Outcome = null)
{
    /// <summary>The rollback run this restore was the last resort of (its "restored from backup" item follows it); null from the Backups page.</summary>
    public string? ForRun { get; init; }

    /// <summary>When it began to replace collections (after the queue); null while queued.</summary>
    public DateTime? StartedAt { get; init; }

    /// <summary>
    /// Set when the backup was restored into another target of a lower tier, a production-like rehearsal (see <see cref="RehearsalRestore"/>);
    /// null when it was restored over its own target.
    /// </summary>
    public RehearsalRestore? Rehearsal { get; init; }

    public bool IsFinished => Status is RestoreStatus.Succeeded or RestoreStatus.Failed;

    /// <summary>How long it took from its start to its end; null until it has both.</summary>
    public TimeSpan? Duration => StartedAt is { } started && FinishedAt is { } finished ? finished - started : null;

    /// <summary>The target whose collections it replaced: the destination of a rehearsal, else the backup's own target.</summary>
    public string Into(BackupManifest backup) => Rehearsal?.Destination ?? backup.Target;
}

/// <summary>
/// A backup in mongodump's layout (one gzip-compressed .bson and .metadata.json per collection) with this manifest
/// beside it. <see cref="RunId"/> links it to the run it was taken for.
/// </summary>
public sealed record BackupManifest(
    string Id,
    string Target,
    string Database,
    string? RunId,
    DateTime CreatedAt,
    string CreatedBy,
    bool WholeDatabase,
    IReadOnlyList<BackupCollection> Collections,
    long TotalBytes,
    BackupVerification? Verification)
{
    public bool IsVerified => Verification is { Passed: true };

    /// <summary>Taken from a simulated (sandbox) target: the files are laid out as for MongoDB, the collections hold no documents.</summary>
    public bool Simulated { get; init; }

    /// <summary>The schema version <c>system_config</c> recorded when the backup was taken; null when it recorded none.</summary>
    public string? SchemaVersion { get; init; }

    /// <summary>Collections asked for that did not exist when the backup was taken: restoring the backup drops them again.</summary>
    public IReadOnlyList<string> AbsentCollections { get; init; } = [];

    /// <summary>The restores of this backup, oldest first.</summary>
    public IReadOnlyList<BackupRestore> Restores { get; init; } = [];
}

/// <summary>The spec's "Always backup": back up, verify by restoring elsewhere, restore as the last resort, keep a few.</summary>
public interface IBackupService
{
    /// <param name="caller">Who asks: read from the user store when the backup starts, and refused unless <see cref="BackupRules"/> allow it then.</param>
    /// <param name="collections">The collections to back up; null backs up the whole database.</param>
    Task<BackupManifest> CreateAsync(Caller caller, string target, IReadOnlyCollection<string>? collections, string? runId, IProgress<RunEvent> progress,
        CancellationToken cancellationToken);

    /// <summary>Restores into a scratch database, compares counts and content hashes per collection, drops the scratch database.</summary>
    Task<BackupManifest> VerifyAsync(Caller caller, string backupId, IProgress<RunEvent> progress, CancellationToken cancellationToken);

    Task<IReadOnlyList<BackupManifest>> ListAsync(CancellationToken cancellationToken);

    Task<BackupManifest?> FindAsync(string backupId, CancellationToken cancellationToken);
}
