using BotCore.MigrationPortal.Backups;

namespace BotCore.MigrationPortal.Runs.Checklists;

/// <summary>
/// A rollback run's "Restored from backup (if needed)" follows the restore a person started from it: open with the restore named while it
/// is queued or running, passed with the evidence once it succeeded, failed with the error when it did not.
/// </summary>
public static class RestoredFromBackupItem
{
    /// <summary>What the open item says once the rollback run did not bring the target back: the last resort, and who may take it.</summary>
    public static string Needed(MigrationRun run) => $"The rollback did not bring {run.Target} back. If it is not as it should be, an Approver " + (run.RollbackOf is { } rolledBack
        ? $"restores the verified backup of run {rolledBack} (\"Restore from backup…\", typing the target's name)"
        : $"restores a verified backup of {run.Target} on the Backups page") + ", or the target is repaired by hand.";

    /// <summary><paramref name="run"/> linked to the restore just queued, its item open and naming it.</summary>
    public static MigrationRun Requested(MigrationRun run, BackupManifest backup, string restoreId, string by, DateTime at)
    {
        var linked = run with { Restore = new RunRestore(backup.Id, restoreId, by, at) };
        return linked.Item(ChecklistTemplate.RestoredFromBackup) is { } item
            ? linked.WithItem(item with
            {
                Status = ItemStatus.Open, By = by, At = at, Comment = null,
                Evidence = $"Restore {restoreId} of {Describe(backup)} over {run.Target} queued by {by} at {at:u}; this item settles when it ends.",
            })
            : linked;
    }

    /// <summary>
    /// <paramref name="run"/> with its item settled by <paramref name="restore"/>, which has ended, and linked to it; unchanged when the run
    /// links a later restore (an earlier one ending late does not overwrite it).
    /// </summary>
    public static MigrationRun Settled(MigrationRun run, BackupManifest backup, BackupRestore restore)
    {
        if (run.Restore is { } linked && linked.RestoreId != restore.Id || run.Item(ChecklistTemplate.RestoredFromBackup) is not { } item) return run;
        // The link is normally saved when the restore is queued; a save lost to a concurrent change must not lose the outcome.
        var restored = run with { Restore = run.Restore ?? new RunRestore(backup.Id, restore.Id, restore.RequestedBy, restore.RequestedAt) };
        return restored.WithItem(item with
        {
            Status = restore.Status == RestoreStatus.Succeeded ? ItemStatus.Passed : ItemStatus.Failed,
            Evidence = Evidence(run, backup, restore),
            By = restore.RequestedBy,
            At = restore.FinishedAt,
            Comment = null,
        });
    }

    /// <summary>
    /// "Backup B (whole database of dev taken T) restored over dev by P: restore R, requested T1, finished T2, took 4 s." or, when it did not
    /// succeed, the restore and the error.
    /// </summary>
    public static string Evidence(MigrationRun run, BackupManifest backup, BackupRestore restore)
    {
        var finished = restore.FinishedAt is { } at ? $"{at:u}" : "an unknown time";
        if (restore.Status != RestoreStatus.Succeeded)
        {
            return $"Restore {restore.Id} of {Describe(backup)} over {run.Target}, started by {restore.RequestedBy} at {restore.RequestedAt:u}, failed at {finished}: " +
                $"{restore.Outcome ?? "no reason was recorded"}. Restore again once the cause is fixed, or repair the target by hand.";
        }
        var took = restore.FinishedAt - (restore.StartedAt ?? restore.RequestedAt) is { } duration ? $", took {Duration(duration)}" : "";
        var what = Describe(backup);
        return $"{char.ToUpperInvariant(what[0])}{what[1..]} restored over {run.Target} by {restore.RequestedBy}: restore {restore.Id}, requested {restore.RequestedAt:u}, finished {finished}{took}.";
    }

    private static string Describe(BackupManifest backup) => backup.WholeDatabase
        ? $"backup {backup.Id} (whole database of {backup.Target} taken {backup.CreatedAt:u})"
        : $"backup {backup.Id} ({string.Join(", ", backup.Collections.Select(c => c.Name))} of {backup.Target} taken {backup.CreatedAt:u})";

    private static string Duration(TimeSpan duration) => duration.TotalSeconds < 60
        ? $"{Math.Max(0, duration.TotalSeconds):N0} s"
        : $"{(int)duration.TotalMinutes} min {duration.Seconds} s";
}
