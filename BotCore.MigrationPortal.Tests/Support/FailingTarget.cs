using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Engine.Catalog;
using BotCore.MigrationPortal.Engine.History;
using BotCore.MigrationPortal.Engine.Leases;
using BotCore.MigrationPortal.Engine.Ports;
using BotCore.MigrationPortal.Engine.Steps;

namespace BotCore.MigrationPortal.Tests.Support;

/// <summary>A target that fails the steps a test chooses (by description), and otherwise passes through, counting what the runner asks of it.</summary>
internal sealed class FailingTarget(IMigrationTarget inner, Func<IMigrationStep, bool> fails) : IMigrationTarget
{
    public string Name => inner.Name;
    public TargetTier Tier => inner.Tier;
    public bool IsSandbox => inner.IsSandbox;
    public string Address => inner.Address;

    public int CatalogReads { get; private set; }
    public List<string> ClearedCheckpoints { get; } = [];

    public Task<TargetTopology> ReadTopologyAsync(CancellationToken cancellationToken) => inner.ReadTopologyAsync(cancellationToken);


    public Task<SchemaCatalog> ReadCatalogAsync(CancellationToken cancellationToken)
    {
        CatalogReads++;
        return inner.ReadCatalogAsync(cancellationToken);
    }

    public Task<TargetHistory> ReadHistoryAsync(CancellationToken cancellationToken) => inner.ReadHistoryAsync(cancellationToken);
    public Task<TargetLease> AcquireLeaseAsync(LeaseHolder holder, CancellationToken cancellationToken) => inner.AcquireLeaseAsync(holder, cancellationToken);
    public Task ClearCheckpointsAsync(string stepKey, CancellationToken cancellationToken)
    {
        ClearedCheckpoints.Add(stepKey);
        return inner.ClearCheckpointsAsync(stepKey, cancellationToken);
    }

    public Task RecordAsync(SchemaVersion version, ChangelogEntry entry, CancellationToken cancellationToken) => inner.RecordAsync(version, entry, cancellationToken);
    public Task AppendChangelogAsync(ChangelogEntry entry, CancellationToken cancellationToken) => inner.AppendChangelogAsync(entry, cancellationToken);
    public Task<AdoptionSnapshot> ReadForAdoptionAsync(CancellationToken cancellationToken) => inner.ReadForAdoptionAsync(cancellationToken);
    public Task AdoptAsync(SchemaVersion version, string? keep, IReadOnlyList<ChangelogEntry> entries, string adoptedBy, CancellationToken cancellationToken) =>
        inner.AdoptAsync(version, keep, entries, adoptedBy, cancellationToken);

    public Task<StepOutcome> ExecuteStepAsync(IMigrationStep step, SchemaCatalog expectedAfter, StepExecution execution, CancellationToken cancellationToken) =>
        fails(step)
            ? throw new MigrationEngineException($"simulated failure of '{step.Description}'")
            : inner.ExecuteStepAsync(step, expectedAfter, execution, cancellationToken);
}
