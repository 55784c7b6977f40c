using BotCore.MigrationPortal.Engine.Catalog;
using BotCore.MigrationPortal.Engine.Mongosh;
using BotCore.MigrationPortal.Engine.Planning;

namespace BotCore.MigrationPortal.Runs.Change;

/// <summary>Where the "before" side of a run's schema diff comes from.</summary>
public enum CatalogSource
{
    /// <summary>The target's catalog, read once when the DBA opened the Change section (the run has not started).</summary>
    Live,

    /// <summary>
    /// The catalog the run's starting version should have: once a run has started, the target no longer shows what it found, and the
    /// run keeps no copy of it.
    /// </summary>
    Expected,
}

/// <summary>
/// What a run changes, shown before it is approved: the schema now and after it, and the mongosh commands of its steps and of the steps
/// that undo it (each null with the reason in the problem when it cannot be shown).
/// </summary>
public sealed record RunChange(
    CatalogSource Source,
    CatalogChange? Schema,
    string? SchemaProblem,
    IReadOnlyList<RunCommands> Commands);

/// <summary>One direction's steps with their commands: the run's own, or those that undo it.</summary>
/// <param name="IsThisRun">These are the run's own steps (the others undo it).</param>
public sealed record RunCommands(Direction Direction, bool IsThisRun, MigrationPlan? Plan, IReadOnlyList<MongoshStep> Steps, string? Problem)
{
    public string Title => $"{Direction.Name()}{(Plan is { } plan ? $": {plan.From} → {plan.To}" : "")}" +
        (IsThisRun ? " (this run)" : Direction == Direction.Down ? " (its rollback, derived)" : " (to apply it again)");
}

/// <summary>A downloadable mongosh script.</summary>
public sealed record MongoshScriptFile(string FileName, string Content)
{
    public const string ContentType = "text/javascript; charset=utf-8";
}
