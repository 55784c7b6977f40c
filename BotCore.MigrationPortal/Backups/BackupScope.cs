namespace BotCore.MigrationPortal.Backups;

/// <summary>What a run's backup covers: the spec's checklist asks for a full database backup; a run may take less where the rules allow it.</summary>
public enum BackupScope
{
    /// <summary>Every collection of the target's database.</summary>
    WholeDatabase,

    /// <summary>Only the collections the run touches, with system_config (so that a restore brings the version back too).</summary>
    TouchedCollections,
}

public static class BackupScopeWords
{
    /// <summary>"the whole database" or "the collections the run touches", as the run page, its log and the audit log say it.</summary>
    public static string Words(this BackupScope scope) => scope == BackupScope.WholeDatabase ? "the whole database" : "the collections the run touches";
}
