using BotCore.MigrationPortal.Engine.Running;
using BotCore.MigrationPortal.Security;

namespace BotCore.MigrationPortal.Backups;

/// <summary>One collection in a backup: its type, how many documents, the compressed size and a hash of its content.</summary>
public sealed record BackupCollection(string Name, string Type, long Documents, long Bytes, string ContentHash);

/// <summary>The result of restoring a backup into a scratch database and comparing it, collection by collection.</summary>
public sealed record BackupVerification(DateTime At, bool Passed, IReadOnlyList<string> Details);

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
}

/// <summary>The spec's "Always backup": back up, verify by restoring elsewhere, restore as the last resort, keep a few.</summary>
public interface IBackupService
{
    /// <param name="collections">The collections to back up; null backs up the whole database.</param>
    Task<BackupManifest> CreateAsync(Actor actor, string target, IReadOnlyCollection<string>? collections, string? runId, IProgress<RunEvent> progress,
        CancellationToken cancellationToken);

    /// <summary>Restores into a scratch database, compares counts and content hashes per collection, drops the scratch database.</summary>
    Task<BackupManifest> VerifyAsync(Actor actor, string backupId, IProgress<RunEvent> progress, CancellationToken cancellationToken);

    Task<IReadOnlyList<BackupManifest>> ListAsync(CancellationToken cancellationToken);

    Task<BackupManifest?> FindAsync(string backupId, CancellationToken cancellationToken);

    /// <summary>The newest verified backup taken for a run, if any.</summary>
    Task<BackupManifest?> LatestVerifiedForRunAsync(string runId, CancellationToken cancellationToken);
}
