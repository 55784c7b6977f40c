using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Engine.Batching;
using BotCore.MigrationPortal.Engine.Catalog;
using BotCore.MigrationPortal.Engine.History;
using BotCore.MigrationPortal.Engine.Leases;
using BotCore.MigrationPortal.Engine.Ports;
using BotCore.MigrationPortal.Engine.Running;
using BotCore.MigrationPortal.Engine.Steps;
using BotCore.MigrationPortal.Fixes;
using BotCore.MigrationPortal.Targets.Leases;
using BotCore.MigrationPortal.Targets.Sandbox;
using Microsoft.Extensions.Logging;

namespace BotCore.MigrationPortal.Targets;

/// <summary>
/// A simulated target: schema steps change an in-memory catalog exactly as <see cref="IMigrationStep.Apply"/>
/// says, data steps walk through the simulated documents of <paramref name="volume"/> (<see cref="SimulatedBatches"/>; none unless
/// configured, and then they say so). Nothing touches a database. Its version lives in version documents as in
/// <c>system_config</c> (several are refused as there), and it may start as a database the spec's scripts built
/// (<see cref="SpecScriptsDatabase"/>). It fails where the sandbox faults armed on it say (nowhere without them, as in the
/// CLI's rehearsal).
/// </summary>
public sealed class SandboxMigrationTarget(string name, TargetTier tier, LeaseOptions leaseOptions, TimeProvider time, ILoggerFactory loggers, TimeSpan stepDelay,
    SandboxFaults? faults = null, SchemaCatalog? startCollections = null, IReadOnlyList<VersionDocument>? startVersions = null,
    TargetTopology topology = TargetTopology.ReplicaSet, SimulatedVolume? volume = null)
    : IMigrationTarget
{
    private readonly SimulatedVolume volume = volume ?? SimulatedVolume.None;

    /// <summary>Where each data step got to, by step key, as the checkpoints in a MongoDB target are: kept until the step completes or is undone.</summary>
    private readonly Dictionary<string, long> checkpoints = [];

    private readonly Lock gate = new();
    private readonly InMemoryLeaseStore leases = new(time);
    private readonly List<ChangelogEntry> changelog = [];
    private SchemaCatalog catalog = startCollections ?? SchemaCatalog.Empty;
    private List<VersionDocument> versions = [.. startVersions ?? []];
    private readonly List<FixJournalEntry> fixJournal = [];
    // The simulated documents that need each fix, and those its undo would restore: a fix applied moves them from one to the other.
    private readonly Dictionary<string, long> needingFix = [];
    private readonly Dictionary<string, long> fixUndoRecords = [];

    public string Name { get; } = name;
    public TargetTier Tier { get; } = tier;
    public bool IsSandbox => true;
    public string Address => $"sandbox://{Name} (in memory; no database is touched)";

    /// <summary>What the simulated server is (<c>Sandbox:Targets:&lt;name&gt;:Topology</c>; a replica set, as docker-compose's, unless set).</summary>
    public Task<TargetTopology> ReadTopologyAsync(CancellationToken cancellationToken) => Task.FromResult(topology);

    public Task<SchemaCatalog> ReadCatalogAsync(CancellationToken cancellationToken)
    {
        lock (gate) return Task.FromResult(catalog.WithVersion(VersionDocument.VersionOf(versions)));
    }

    public Task<TargetHistory> ReadHistoryAsync(CancellationToken cancellationToken)
    {
        lock (gate)
        {
            var version = VersionDocument.VersionOf(versions);
            return Task.FromResult(new TargetHistory(version, versions.SingleOrDefault()?.UpdatedAt, versions.SingleOrDefault()?.UpdatedBy, changelog.ToList()));
        }
    }

    public Task<AdoptionSnapshot> ReadForAdoptionAsync(CancellationToken cancellationToken)
    {
        lock (gate) return Task.FromResult(new AdoptionSnapshot(catalog.WithVersion(SchemaVersion.Zero), versions.ToList(), changelog.Count));
    }

    public Task AdoptAsync(SchemaVersion version, string? keep, IReadOnlyList<ChangelogEntry> entries, string adoptedBy, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            var now = time.GetUtcNow().UtcDateTime;
            var kept = versions.FirstOrDefault(v => v.Id == keep);
            versions = [kept is null ? NewVersionDocument(version, adoptedBy, now) : kept with { Value = version.ToString(), UpdatedAt = now, UpdatedBy = adoptedBy }];
            changelog.AddRange(entries);
        }
        return Task.CompletedTask;
    }

    private static VersionDocument NewVersionDocument(SchemaVersion version, string by, DateTime at) =>
        new(Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(12)), version.ToString(), at, at, by);

    public Task<TargetLease> AcquireLeaseAsync(LeaseHolder holder, CancellationToken cancellationToken) =>
        TargetLease.AcquireAsync(Name, leases, holder, leaseOptions, time, loggers.CreateLogger<TargetLease>(), cancellationToken);

    public async Task<StepOutcome> ExecuteStepAsync(IMigrationStep step, SchemaCatalog expectedAfter, StepExecution execution, CancellationToken cancellationToken)
    {
        // Slows the simulation down so that a person watching the run page sees it progress.
        if (stepDelay > TimeSpan.Zero) await Task.Delay(stepDelay, time, cancellationToken);
        // A faulted step fails before it changes anything, as most failing MongoDB commands do.
        if (faults?.TakeStep(Name, execution.StepKey) is { } stepFault) throw new MigrationEngineException(stepFault.Message);
        if (step is FixStep or FixUndoStep) return await SimulateFixAsync(step, execution, cancellationToken);
        if (step.Kind == StepKind.Data)
        {
            var batchFault = faults?.TakeBatch(Name, execution.StepKey);
            var documents = volume.Of(step);
            if (documents > 0 || batchFault is not null)
            {
                execution.Reporter.Log($"Sandbox: simulating {documents:N0} documents of {step.Touches[0]} in batches of {execution.Batching.BatchSize:N0} at " +
                    $"{volume.DocumentsPerSecond:N0} documents/s; nothing is read or written (on MongoDB, " +
                    $"{execution.Transactions?.ToString() ?? "no transactions: the step was run outside a run"}).", RunEventLevel.Warning);
                return await SimulatedBatches.RunAsync(documents, checkpoints, batchFault, execution, volume.DocumentsPerSecond, time, cancellationToken);
            }
            execution.Reporter.Batch(new Engine.Batching.BatchProgress(0, 0, 0, TimeSpan.Zero) { Simulated = true });
            execution.Reporter.Log("Sandbox: the simulated database holds no documents, so this data step processed 0 documents " +
                $"(on MongoDB, {execution.Transactions?.ToString() ?? "no transactions: the step was run outside a run"}).", RunEventLevel.Warning);
            return StepOutcome.AlreadyDone("sandbox: 0 documents (the simulated database holds no documents)");
        }
        lock (gate) catalog = expectedAfter.WithVersion(SchemaVersion.Zero);
        return StepOutcome.Done("done (simulated)");
    }

    /// <summary>
    /// A fix in the simulated database: it walks the simulated documents of its collection in batches (progress, pause and cancel as
    /// for a migration's data step), then changes the documents said to need it (<see cref="SimulateDocumentsNeedingFix"/>; none unless
    /// said) and records them for its undo, so that a second run changes none and the undo brings them back, as on MongoDB.
    /// </summary>
    private async Task<StepOutcome> SimulateFixAsync(IMigrationStep step, StepExecution execution, CancellationToken cancellationToken)
    {
        var (id, undo) = step is FixStep apply ? (apply.Fix.Id, false) : (((FixUndoStep)step).Fix.Id, true);
        if (volume.Of(step) is > 0 and var documents)
        {
            execution.Reporter.Log($"Sandbox: walking {documents:N0} simulated documents of {step.Touches[0]} in batches of {execution.Batching.BatchSize:N0} at " +
                $"{volume.DocumentsPerSecond:N0} documents/s; nothing is read or written.", RunEventLevel.Warning);
            await SimulatedBatches.RunAsync(documents, checkpoints, null, execution, volume.DocumentsPerSecond, time, cancellationToken);
        }
        long written;
        lock (gate)
        {
            var (from, to) = undo ? (fixUndoRecords, needingFix) : (needingFix, fixUndoRecords);
            written = from.GetValueOrDefault(id);
            from[id] = 0;
            to[id] = to.GetValueOrDefault(id) + written;
        }
        execution.Reporter.Batch(new Engine.Batching.BatchProgress(written, written, 0, TimeSpan.Zero));
        var what = $"sandbox: {written:N0} simulated documents {(undo ? "restored" : "fixed")}";
        execution.Reporter.Log($"{what} (the simulated database holds no real documents).", RunEventLevel.Warning);
        return new StepOutcome(written > 0, what, written);
    }

    /// <summary>Says how many simulated documents need the fix <paramref name="fixId"/>, so that a sandbox run of it has something to change.</summary>
    public void SimulateDocumentsNeedingFix(string fixId, long count)
    {
        lock (gate) needingFix[fixId] = count;
    }

    public Task<IReadOnlyList<FixJournalEntry>> ReadFixJournalAsync(CancellationToken cancellationToken)
    {
        lock (gate) return Task.FromResult<IReadOnlyList<FixJournalEntry>>(fixJournal.ToList());
    }

    public Task AppendFixJournalAsync(FixJournalEntry entry, CancellationToken cancellationToken)
    {
        lock (gate) fixJournal.Add(entry);
        return Task.CompletedTask;
    }

    public Task<long> CountNeedingFixAsync(DataFix fix, CancellationToken cancellationToken)
    {
        lock (gate) return Task.FromResult(needingFix.GetValueOrDefault(fix.Id));
    }

    public Task<long> CountFixUndoRecordsAsync(string fixId, CancellationToken cancellationToken)
    {
        lock (gate) return Task.FromResult(fixUndoRecords.GetValueOrDefault(fixId));
    }

    /// <returns>The fault armed for this post-migration check, which fires now (and clears itself); null when none is.</returns>
    public FiredSandboxFault? TakePostCheckFault(string checkId) => faults?.TakePostCheck(Name, checkId);

    public Task ClearCheckpointsAsync(string stepKey, CancellationToken cancellationToken)
    {
        lock (checkpoints) checkpoints.Remove(stepKey);
        return Task.CompletedTask;
    }

    /// <summary>Always 0: the sandbox writes no document in a batch; its simulated counts change only when a step completes.</summary>
    public Task<long> ReadCheckpointedWritesAsync(string stepKey, string pass, CancellationToken cancellationToken) => Task.FromResult(0L);

    /// <summary>As the portal records a version in MongoDB: the first version document is updated (or one inserted); 0.0.0 deletes it.</summary>
    public Task RecordAsync(SchemaVersion version, ChangelogEntry entry, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            SetVersion(version, entry.AppliedBy);
            changelog.Add(entry);
        }
        return Task.CompletedTask;
    }

    private void SetVersion(SchemaVersion version, string by)
    {
        var now = time.GetUtcNow().UtcDateTime;
        if (version == SchemaVersion.Zero)
        {
            if (versions.Count > 0) versions.RemoveAt(0);
        }
        else if (versions.Count == 0)
        {
            versions.Add(NewVersionDocument(version, by, now));
        }
        else
        {
            versions[0] = versions[0] with { Value = version.ToString(), UpdatedAt = now, UpdatedBy = by };
        }
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
            if (version is { } restoredVersion) versions = [NewVersionDocument(restoredVersion, "restore", time.GetUtcNow().UtcDateTime)];
        }
    }
}
