using BotCore.MigrationPortal.Security;

namespace BotCore.MigrationPortal.Backups;

public enum BackupAction
{
    BackUp,
    Verify,
    Restore,
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
        BackupAction.ApplyRetention => Verdict.Role(actor, Role.Admin, "apply the backup retention"),
        _ => Verdict.No($"Unknown action {action}."),
    };

    /// <summary>What the action is, for the audit log's "tried to …".</summary>
    public static string Describe(BackupAction action, string subject) => action switch
    {
        BackupAction.BackUp => $"back up {subject}",
        BackupAction.Verify => $"verify backup {subject}",
        BackupAction.Restore => $"restore backup {subject}",
        BackupAction.ApplyRetention => "apply the backup retention",
        _ => action.ToString(),
    };
}
