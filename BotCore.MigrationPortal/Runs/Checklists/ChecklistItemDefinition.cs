namespace BotCore.MigrationPortal.Runs.Checklists;

public enum ChecklistSection
{
    PreMigration,
    MigrationExecution,
    PostMigration,
    Rollback,

    /// <summary>Not in the spec's template: adopting a database built outside the portal (a baseline run).</summary>
    Adoption,
}

public enum ItemKind
{
    /// <summary>Ticked by a person, with name, time and comment.</summary>
    Manual,

    /// <summary>Proved by the portal, with evidence.</summary>
    Automated,
}

/// <summary>When an item is settled: before approval is requested, by the run itself, or after it.</summary>
public enum ItemPhase
{
    BeforeApproval,
    DuringRun,
    AfterRun,
}

[Flags]
public enum RunKinds
{
    Migration = 1,
    Rollback = 2,
    Any = Migration | Rollback,
    Baseline = 4,

    /// <summary>A data fix or its undo: no schema-version item, the fix's own items instead.</summary>
    Fix = 8,
}

/// <param name="Required">Blocks the run (before approval) or marks it incomplete (after) while not settled.</param>
/// <param name="CommentRequired">A person ticking it must say something (for example the rollback reason).</param>
public sealed record ChecklistItemDefinition(
    string Id,
    ChecklistSection Section,
    string Text,
    ItemKind Kind,
    ItemPhase Phase,
    bool Required,
    RunKinds AppliesTo,
    bool CommentRequired = false);
