namespace BotCore.MigrationPortal.Engine.Ports;

/// <summary>The collections the portal keeps in a target database for its own bookkeeping; they are not part of the catalog.</summary>
public static class TargetCollections
{
    public const string SystemConfig = "system_config";
    public const string Changelog = "migration_changelog";
    public const string Lock = "migration_lock";
    public const string Checkpoints = "migration_checkpoints";

    /// <summary>The documents whose parent path an add-fields step created, so that its inverse removes that parent again.</summary>
    public const string CreatedParents = "migration_created_parents";

    /// <summary>The data fixes applied and undone in this database (Fixes/FixJournalEntry), as the changelog is for migrations.</summary>
    public const string FixJournal = "fix_journal";

    /// <summary>The previous values of the documents a data fix changed, which its undo restores (Fixes/FixUndoRecords).</summary>
    public const string FixUndo = "fix_undo";

    public static readonly IReadOnlySet<string> Bookkeeping = new HashSet<string>(StringComparer.Ordinal)
    {
        SystemConfig, Changelog, Lock, Checkpoints, CreatedParents, FixJournal, FixUndo,
    };

    /// <summary>MongoDB's own collections and ours, which the catalog leaves out.</summary>
    public static bool IsOutsideCatalog(string name) => name.StartsWith("system.", StringComparison.Ordinal) || Bookkeeping.Contains(name);
}
