using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Engine.Catalog;
using BotCore.MigrationPortal.Engine.History;
using BotCore.MigrationPortal.Engine.Running;
using BotCore.MigrationPortal.Engine.Steps;
using BotCore.MigrationPortal.Targets.Leases;
using BotCore.MigrationPortal.Targets.Sandbox;
using Microsoft.Extensions.Logging;

namespace BotCore.MigrationPortal.Targets;

/// <summary>
/// A simulated target: schema steps change an in-memory catalog exactly as <see cref="IMigrationStep.Apply"/>
/// says, data steps see no documents and say so. Nothing touches a database. It fails where the sandbox faults armed on it
/// say (nowhere without them, as in the CLI's rehearsal).
/// </summary>
public sealed class SandboxMigrationTarget(string name, TargetTier tier, LeaseOptions leaseOptions, TimeProvider time, ILoggerFactory loggers, TimeSpan stepDelay,
    SandboxFaults? faults = null)
    : IMigrationTarget
{
    private readonly Lock gate = new();
    private readonly InMemoryLeaseStore leases = new(time);
    private readonly List<ChangelogEntry> changelog = [];
    private SchemaCatalog catalog = SchemaCatalog.Empty;
    private DateTime? updatedAt;
    private string? updatedBy;

    public string Name { get; } = name;
    public TargetTier Tier { get; } = tier;
    public bool IsSandbox => true;
    public string Address => $"sandbox://{Name} (in memory; no database is touched)";

    public Task<SchemaCatalog> ReadCatalogAsync(CancellationToken cancellationToken)
    {
        lock (gate) return Task.FromResult(catalog);
    }

    public Task<TargetHistory> ReadHistoryAsync(CancellationToken cancellationToken)
    {
        lock (gate) return Task.FromResult(new TargetHistory(catalog.Version, updatedAt, updatedBy, changelog.ToList()));
    }

    public Task<TargetLease> AcquireLeaseAsync(LeaseHolder holder, CancellationToken cancellationToken) =>
        TargetLease.AcquireAsync(Name, leases, holder, leaseOptions, time, loggers.CreateLogger<TargetLease>(), cancellationToken);

    public async Task<StepOutcome> ExecuteStepAsync(IMigrationStep step, SchemaCatalog expectedAfter, StepExecution execution, CancellationToken cancellationToken)
    {
        // Slows the simulation down so that a person watching the run page sees it progress.
        if (stepDelay > TimeSpan.Zero) await Task.Delay(stepDelay, time, cancellationToken);
        // A faulted step fails before it changes anything, as most failing MongoDB commands do.
        if (faults?.TakeStep(Name, execution.StepKey) is { } stepFault) throw new MigrationEngineException(stepFault.Message);
        if (step.Kind == StepKind.Data)
        {
            if (faults?.TakeBatch(Name, execution.StepKey) is { } batchFault) await SimulatedBatches.FailAsync(batchFault, execution, time, cancellationToken);
            execution.Reporter.Batch(new Engine.Batching.BatchProgress(0, 0, 0, TimeSpan.Zero));
            execution.Reporter.Log("Sandbox: the simulated database holds no documents, so this data step processed 0 documents.", RunEventLevel.Warning);
            return StepOutcome.AlreadyDone("sandbox: 0 documents (the simulated database holds no documents)");
        }
        lock (gate) catalog = expectedAfter.WithVersion(catalog.Version);
        return StepOutcome.Done("done (simulated)");
    }

    /// <returns>The fault armed for this post-migration check, which fires now (and clears itself); null when none is.</returns>
    public FiredSandboxFault? TakePostCheckFault(string checkId) => faults?.TakePostCheck(Name, checkId);

    public Task ClearCheckpointsAsync(string stepKey, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task RecordAsync(SchemaVersion version, ChangelogEntry entry, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            catalog = catalog.WithVersion(version);
            updatedAt = version == SchemaVersion.Zero ? null : time.GetUtcNow().UtcDateTime;
            updatedBy = version == SchemaVersion.Zero ? null : entry.AppliedBy;
            changelog.Add(entry);
        }
        return Task.CompletedTask;
    }

    public Task AppendChangelogAsync(ChangelogEntry entry, CancellationToken cancellationToken)
    {
        lock (gate) changelog.Add(entry);
        return Task.CompletedTask;
    }

    /// <summary>
    /// What restoring a backup does to the simulated database: each of <paramref name="collections"/> replaces the one of its
    /// name, each of <paramref name="dropped"/> is removed, and the schema version is set when the backup held one.
    /// </summary>
    public void RestoreCollections(IEnumerable<CollectionDefinition> collections, IEnumerable<string> dropped, SchemaVersion? version)
    {
        lock (gate)
        {
            catalog = dropped.Aggregate(collections.Aggregate(catalog, (restored, collection) => restored.With(collection)), (restored, name) => restored.Without(name));
            if (version is { } restoredVersion) catalog = catalog.WithVersion(restoredVersion);
        }
    }
}
