using BotCore.MigrationPortal.Engine.Ports;
using BotCore.MigrationPortal.Security;

namespace BotCore.MigrationPortal.Backups;

public enum BackupAction
{
    BackUp,
    Verify,
    Restore,

    /// <summary>Restore a backup into another target of a lower tier: a production-like rehearsal.</summary>
    RestoreInto,
    ApplyRetention,
}

/// <summary>
/// Who may do what with backups, asked by the Backups page (to show buttons), by the services when a person asks, and again
/// by the services when the queued job runs (with the person read from the store then).
/// </summary>
public static class BackupRules
{
    /// <param name="backup">The backup acted on, for <see cref="BackupAction.Restore"/> (null: any, to show the button).</param>
    public static Verdict Check(BackupAction action, Actor actor, BackupManifest? backup = null) => action switch
    {
        BackupAction.BackUp => Verdict.Role(actor, Role.Operator, "back up targets"),
        BackupAction.Verify => Verdict.Role(actor, Role.Operator, "verify backups"),
        BackupAction.Restore => Verdict.All(
            () => Verdict.Role(actor, Role.Approver, "restore backups"),
            () => backup?.Verification is { Passed: false } failed
                ? Verdict.No($"Backup {backup.Id} failed verification at {failed.At:u} ({string.Join("; ", failed.Details)}): restore another backup.")
                : Verdict.Yes,
            () => backup is { IsVerified: false, Verification: null }
                ? Verdict.No($"Backup {backup.Id} has not been verified: verify it first (the spec restores only a verified backup).")
                : Verdict.Yes),
        BackupAction.RestoreInto => Verdict.All(
            () => Verdict.Role(actor, Role.Admin, "restore backups into another target"),
            // Only a verified backup: the rehearsal is to prove the migration on the data a restore would bring back.
            () => backup is { IsVerified: false }
                ? Verdict.No($"Backup {backup.Id} is not verified: verify it first; only a verified backup is restored into another target.")
                : Verdict.Yes),
        BackupAction.ApplyRetention => Verdict.Role(actor, Role.Admin, "apply the backup retention"),
        _ => Verdict.No($"Unknown action {action}."),
    };

    /// <summary>
    /// Which tier's backup may be restored into which other target: only downwards (Production into Staging or Development, Staging into
    /// Development), never into Production, never into the same tier (a sideways copy is not a rehearsal, and a backup of Development
    /// holds nothing production-like), never into its own target (that is a restore).
    /// </summary>
    public static Verdict CheckRehearsal(string source, TargetTier sourceTier, string destination, TargetTier destinationTier) =>
        string.Equals(source, destination, StringComparison.OrdinalIgnoreCase)
            ? Verdict.No($"Not restored: {destination} is the backup's own target; use Restore to restore a backup over its target.")
        : destinationTier == TargetTier.Production
            ? Verdict.No($"Not restored: {destination} is a Production target; a backup is never restored into Production from another target.")
        : destinationTier >= sourceTier
            ? Verdict.No($"Not restored: {destination} is a {destinationTier} target and the backup is of {source}, a {sourceTier} target; " +
                "a backup is restored only into a target of a lower tier (Production into Staging or Development, Staging into Development).")
        : Verdict.Yes;

    /// <summary>What the action is, for the audit log's "tried to …".</summary>
    public static string Describe(BackupAction action, string subject) => action switch
    {
        BackupAction.BackUp => $"back up {subject}",
        BackupAction.Verify => $"verify backup {subject}",
        BackupAction.Restore => $"restore backup {subject}",
        BackupAction.RestoreInto => $"restore backup {subject} into another target",
        BackupAction.ApplyRetention => "apply the backup retention",
        _ => action.ToString(),
    };
}
