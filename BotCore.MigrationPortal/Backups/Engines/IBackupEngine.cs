using BotCore.MigrationPortal.Backups.Rehearsal;
using BotCore.MigrationPortal.Backups.Storage;
using BotCore.MigrationPortal.Engine.Ports;

namespace BotCore.MigrationPortal.Backups.Engines;

/// <summary>What a dump wrote: the database folder's name, each collection, the ones asked for that did not exist, the schema version.</summary>
public sealed record DumpResult(string Database, IReadOnlyList<BackupCollection> Collections, IReadOnlyList<string> Absent, string? SchemaVersion);

/// <summary>The outcome of a verification, one line per collection.</summary>
public sealed record VerificationResult(bool Passed, IReadOnlyList<string> Details);

/// <summary>
/// What backing up, verifying and restoring mean for one kind of target: a MongoDB database, or a simulated one. The
/// backup service around it checks roles, holds the target's lease, writes the manifest and the audit log.
/// </summary>
public interface IBackupEngine
{
    /// <param name="collections">The collections to copy; null copies the whole database.</param>
    Task<DumpResult> DumpAsync(IMigrationTarget target, BackupPaths paths, string backupId, IReadOnlyCollection<string>? collections, BackupReporter reporter,
        CancellationToken cancellationToken);

    /// <summary>Restores the backup somewhere harmless and compares it with the manifest. Damage is a failed result, never an exception.</summary>
    Task<VerificationResult> VerifyAsync(IMigrationTarget target, BackupManifest manifest, BackupPaths paths, BackupReporter reporter, CancellationToken cancellationToken);

    /// <summary>
    /// Puts the backed-up collections on the target, replacing what is there: the backup's own target, or another of a lower tier (a
    /// rehearsal); returns one line per collection.
    /// </summary>
    /// <param name="masking">Applied to each document as it is inserted, in a rehearsal with masking rules; null inserts the documents as backed up.</param>
    Task<IReadOnlyList<string>> RestoreAsync(IMigrationTarget target, BackupManifest manifest, BackupPaths paths, DocumentMasker? masking, BackupReporter reporter,
        CancellationToken cancellationToken);
}
