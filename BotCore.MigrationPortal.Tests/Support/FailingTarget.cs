using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Engine.Catalog;
using BotCore.MigrationPortal.Engine.Steps;
using BotCore.MigrationPortal.Engine.Ports;

namespace BotCore.MigrationPortal.Tests.Support;

/// <summary>A target that fails the steps a test chooses (by description), and otherwise passes through, counting what the runner asks of it.</summary>
internal sealed class FailingTarget(IMigrationTarget inner, Func<IMigrationStep, bool> fails) : ForwardingTarget(inner)
{
    public int CatalogReads { get; private set; }
    public List<string> ClearedCheckpoints { get; } = [];

    public override Task<SchemaCatalog> ReadCatalogAsync(CancellationToken cancellationToken)
    {
        CatalogReads++;
        return base.ReadCatalogAsync(cancellationToken);
    }

    public override Task ClearCheckpointsAsync(string stepKey, CancellationToken cancellationToken)
    {
        ClearedCheckpoints.Add(stepKey);
        return base.ClearCheckpointsAsync(stepKey, cancellationToken);
    }

    public override Task<StepOutcome> ExecuteStepAsync(IMigrationStep step, SchemaCatalog expectedAfter, StepExecution execution, CancellationToken cancellationToken) =>
        fails(step)
            ? throw new MigrationEngineException($"simulated failure of '{step.Description}'")
            : base.ExecuteStepAsync(step, expectedAfter, execution, cancellationToken);
}
