using BotCore.MigrationPortal.Engine.Batching;
using BotCore.MigrationPortal.Engine.Catalog;

namespace BotCore.MigrationPortal.Engine.Running;

/// <summary>Who runs a plan, under which run id, and how data steps batch.</summary>
public sealed record RunRequest(string RunId, string RequestedBy, BatchOptions Batching);

public enum RunOutcome
{
    Succeeded,

    /// <summary>A step failed or the run was cancelled; every change was undone and the catalog is as before.</summary>
    RolledBack,

    /// <summary>Undoing failed or left the catalog different from before: manual intervention required.</summary>
    RollbackFailed,

    /// <summary>The run lost its lease (another run took over) and stopped without touching the database further.</summary>
    LeaseLost,
}

/// <param name="FinalVersion">The version the target reports after the run; null when it is not known (the lease was lost, or the rollback failed).</param>
public sealed record RunResult(
    RunOutcome Outcome,
    SchemaVersion? FinalVersion,
    string? Error,
    bool Cancelled,
    IReadOnlyList<CatalogDifference> RemainingDifferences)
{
    public bool Succeeded => Outcome == RunOutcome.Succeeded;
}
