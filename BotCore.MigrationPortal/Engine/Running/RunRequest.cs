using BotCore.MigrationPortal.Engine.Batching;
using BotCore.MigrationPortal.Engine.Catalog;

namespace BotCore.MigrationPortal.Engine.Running;

/// <summary>Who runs a plan, under which run id, how data steps batch, and how the result is validated.</summary>
public sealed record RunRequest(string RunId, string RequestedBy, BatchOptions Batching)
{
    /// <summary>What validates the target once the steps succeeded; without one, the run ends when its steps do.</summary>
    public IRunValidation? Validation { get; init; }

    /// <summary>
    /// When the validation fails, undo the run at once (the default, as the spec's run_migration.js does), or leave its changes in
    /// place for a person to judge (<see cref="RunOutcome.ValidationFailed"/>).
    /// </summary>
    public bool RollBackOnFailedValidation { get; init; } = true;

    /// <summary>What every data step asks between its batches (<see cref="StepExecution.BetweenBatches"/>): the portal's pause; null for none.</summary>
    public BatchBoundary? BetweenBatches { get; init; }
}

public enum RunOutcome
{
    Succeeded,

    /// <summary>A step failed, the run was cancelled, or its validation failed; every change was undone and the catalog is as before.</summary>
    RolledBack,

    /// <summary>Undoing failed or left the catalog different from before: manual intervention required.</summary>
    RollbackFailed,

    /// <summary>The run lost its lease (another run took over) and stopped without touching the database further.</summary>
    LeaseLost,

    /// <summary>The steps succeeded but the validation failed, and the request said to leave the changes in place.</summary>
    ValidationFailed,
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

    /// <summary>The validation's failures, when they are what stopped the run (it was rolled back, or left in place); else empty.</summary>
    public IReadOnlyList<FailedCheck> FailedChecks { get; init; } = [];
}
