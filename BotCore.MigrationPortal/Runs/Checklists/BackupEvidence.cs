using BotCore.MigrationPortal.Backups;
using BotCore.MigrationPortal.Engine.Ports;
using BotCore.MigrationPortal.Text;

namespace BotCore.MigrationPortal.Runs.Checklists;

/// <summary>
/// The words of the run's backup items ("Created full database backup", "Verified backup is valid and recent"): they say which backup
/// it is, and whether it holds the whole database or only the collections the run touches, taken for the run or attached to it.
/// </summary>
public static class BackupEvidence
{
    /// <summary>What the backup is: "Whole database backup B of dev taken T by P" or "Backup B of the 3 collections the run touches (…), not the whole database, taken T by P".</summary>
    public static string Describe(BackupManifest backup)
    {
        if (backup.WholeDatabase) return $"Whole database backup {backup.Id} of {backup.Target} taken {backup.CreatedAt:u} by {backup.CreatedBy}";
        var touched = backup.Collections.Select(c => c.Name).Concat(backup.AbsentCollections).Where(name => name != TargetCollections.SystemConfig)
            .Distinct(StringComparer.Ordinal).ToList();
        return $"Backup {backup.Id} of the {Counted.Of(touched.Count, "collection")} the run touches ({string.Join(", ", touched)}, with {TargetCollections.SystemConfig}), " +
            $"not the whole database, taken {backup.CreatedAt:u} by {backup.CreatedBy}";
    }

    /// <summary>The "Created full database backup" item's evidence for <paramref name="backup"/>, the run's newest backup.</summary>
    public static string Created(BackupManifest backup, AttachedBackup? attached)
    {
        var documents = backup.Collections.Sum(c => c.Documents);
        var contents = $"{Counted.Of(backup.Collections.Count, "collection")}, {Counted.Of(documents, "document")}, {Size(backup.TotalBytes)}" +
            (backup.AbsentCollections.Count > 0 ? $"; not there when it was taken: {string.Join(", ", backup.AbsentCollections)}" : "");
        var how = attached?.BackupId == backup.Id ? $"; attached to this run by {attached.By} at {attached.At:u}" : "";
        return $"{Describe(backup)}: {contents}{how}.";
    }

    /// <summary>The "Verified backup is valid and recent" item's evidence for a backup that passed verification.</summary>
    public static string Verified(BackupManifest backup) =>
        $"{Describe(backup)}, verified at {backup.Verification!.At:u}: restored into a scratch database and compared; {string.Join("; ", backup.Verification.Details)}";

    /// <summary>Why neither item is settled: the run has no backup yet, and what to do.</summary>
    public static string None(MigrationRun run, TimeSpan attachMaxAge) =>
        $"No backup for this run yet: use \"Back up now\" ({RunBackupRules.DefaultScope(run).Words()}{(RunBackupRules.DefaultScope(run) == BackupScope.WholeDatabase ? "" : ", or the whole database")}), " +
        $"or \"Use backup …\" to attach a verified whole-database backup of {run.Target} taken in the last {attachMaxAge.TotalHours:0} h.";

    private static string Size(long bytes) => bytes switch
    {
        < 1024 => $"{bytes} B",
        < 1024 * 1024 => $"{bytes / 1024.0:N1} KiB",
        _ => $"{bytes / (1024.0 * 1024):N1} MiB",
    };
}
