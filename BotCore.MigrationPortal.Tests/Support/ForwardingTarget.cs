using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Engine.Catalog;
using BotCore.MigrationPortal.Engine.History;
using BotCore.MigrationPortal.Engine.Steps;
using BotCore.MigrationPortal.Engine.Ports;
using BotCore.MigrationPortal.Engine.Leases;
using BotCore.MigrationPortal.Fixes;

namespace BotCore.MigrationPortal.Tests.Support;

/// <summary>A target that passes everything on to <paramref name="inner"/>: a test double derives from it and overrides only what it changes.</summary>
internal abstract class ForwardingTarget(IMigrationTarget inner) : IMigrationTarget
{
    public virtual string Name => inner.Name;
    public virtual TargetTier Tier => inner.Tier;
    public virtual bool IsSandbox => inner.IsSandbox;
    public virtual string Address => inner.Address;

    public virtual Task<TargetTopology> ReadTopologyAsync(CancellationToken cancellationToken) => inner.ReadTopologyAsync(cancellationToken);
    public virtual Task<SchemaCatalog> ReadCatalogAsync(CancellationToken cancellationToken) => inner.ReadCatalogAsync(cancellationToken);
    public virtual Task<TargetHistory> ReadHistoryAsync(CancellationToken cancellationToken) => inner.ReadHistoryAsync(cancellationToken);
    public virtual Task<TargetLease> AcquireLeaseAsync(LeaseHolder holder, CancellationToken cancellationToken) => inner.AcquireLeaseAsync(holder, cancellationToken);

    public virtual Task<StepOutcome> ExecuteStepAsync(IMigrationStep step, SchemaCatalog expectedAfter, StepExecution execution, CancellationToken cancellationToken) =>
        inner.ExecuteStepAsync(step, expectedAfter, execution, cancellationToken);

    public virtual Task ClearCheckpointsAsync(string stepKey, CancellationToken cancellationToken) => inner.ClearCheckpointsAsync(stepKey, cancellationToken);
    public virtual Task<long> ReadCheckpointedWritesAsync(string stepKey, string pass, CancellationToken cancellationToken) =>
        inner.ReadCheckpointedWritesAsync(stepKey, pass, cancellationToken);
    public virtual Task RecordAsync(SchemaVersion version, ChangelogEntry entry, CancellationToken cancellationToken) => inner.RecordAsync(version, entry, cancellationToken);
    public virtual Task AppendChangelogAsync(ChangelogEntry entry, CancellationToken cancellationToken) => inner.AppendChangelogAsync(entry, cancellationToken);
    public virtual Task<AdoptionSnapshot> ReadForAdoptionAsync(CancellationToken cancellationToken) => inner.ReadForAdoptionAsync(cancellationToken);

    public virtual Task AdoptAsync(SchemaVersion version, string? keep, IReadOnlyList<ChangelogEntry> entries, string adoptedBy, CancellationToken cancellationToken) =>
        inner.AdoptAsync(version, keep, entries, adoptedBy, cancellationToken);

    public virtual Task<IReadOnlyList<FixJournalEntry>> ReadFixJournalAsync(CancellationToken cancellationToken) => inner.ReadFixJournalAsync(cancellationToken);
    public virtual Task AppendFixJournalAsync(FixJournalEntry entry, CancellationToken cancellationToken) => inner.AppendFixJournalAsync(entry, cancellationToken);
    public virtual Task<long> CountNeedingFixAsync(DataFix fix, CancellationToken cancellationToken) => inner.CountNeedingFixAsync(fix, cancellationToken);
    public virtual Task<long> CountFixUndoRecordsAsync(string fixId, CancellationToken cancellationToken) => inner.CountFixUndoRecordsAsync(fixId, cancellationToken);
}
