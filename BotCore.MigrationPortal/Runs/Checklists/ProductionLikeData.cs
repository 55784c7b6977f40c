using BotCore.MigrationPortal.Backups;
using BotCore.MigrationPortal.Engine.Ports;

namespace BotCore.MigrationPortal.Runs.Checklists;

/// <summary>
/// Whether a target held production-like data at a moment: its newest restore that had finished by then (over it or into it) is a
/// rehearsal restore of a Production backup. A newer restore of anything else replaced that data, so it no longer counts; the runs
/// after the rehearsal do not, since trying migrations on the data is what the rehearsal is for. The staging run's
/// "Tested migration on staging with production-like data" item and the Production run's reading of that staging run both ask it.
/// </summary>
public static class ProductionLikeData
{
    public sealed record Held(BackupManifest Backup, BackupRestore Restore);

    /// <param name="backups">Every backup, with its restores.</param>
    public static Held? On(string target, DateTime at, IReadOnlyList<BackupManifest> backups)
    {
        var newest = backups
            .SelectMany(b => b.Restores.Select(r => new Held(b, r)))
            .Where(h => h.Restore is { Status: RestoreStatus.Succeeded, FinishedAt: { } finished } && finished <= at &&
                string.Equals(h.Restore.Into(h.Backup), target, StringComparison.OrdinalIgnoreCase))
            .MaxBy(h => h.Restore.FinishedAt);
        return newest?.Restore.Rehearsal is { SourceTier: TargetTier.Production } ? newest : null;
    }

    /// <summary>"production-like data from backup B of production taken at T, restored into staging at R by U, masking …".</summary>
    public static string Describe(Held held) =>
        $"production-like data from backup {held.Backup.Id} of {held.Backup.Target} taken at {held.Backup.CreatedAt:u}, restored into " +
        $"{held.Restore.Rehearsal!.Destination} at {held.Restore.FinishedAt:u} by {held.Restore.RequestedBy}" +
        (held.Restore.Rehearsal.Masking.Count == 0 ? ", unmasked" : $", masking {string.Join("; ", held.Restore.Rehearsal.Masking)}");
}
