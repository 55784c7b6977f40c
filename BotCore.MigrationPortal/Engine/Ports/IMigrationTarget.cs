using BotCore.MigrationPortal.Engine.Batching;
using BotCore.MigrationPortal.Engine.Catalog;
using BotCore.MigrationPortal.Engine.History;
using BotCore.MigrationPortal.Engine.Leases;
using BotCore.MigrationPortal.Engine.Running;
using BotCore.MigrationPortal.Engine.Steps;
using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Fixes;

namespace BotCore.MigrationPortal.Engine.Ports;

/// <summary>What a step needs from the run that executes it.</summary>
/// <param name="Transactions">
/// Whether its batches commit with their checkpoints in transactions (<see cref="TransactionSupport.For"/>, asked by the runner);
/// null, as for a step run by hand outside a run, means no transactions.
/// </param>
public sealed record StepExecution(string RunId, string StepKey, StepReporter Reporter, BatchOptions Batching, TransactionSupport? Transactions = null)
{
    /// <summary>What the step asks between its batches (a run's pause holds it there); null, outside a portal run, goes straight on.</summary>
    public BatchBoundary? BetweenBatches { get; init; }

    public bool InTransactions => Transactions?.Transactional == true;
}

/// <summary>
/// A database the migrations run against: a MongoDB database, or a simulated one in sandbox mode.
/// Every method throws <see cref="TargetUnreachableException"/> when the database does not answer.
/// </summary>
public interface IMigrationTarget
{
    string Name { get; }

    TargetTier Tier { get; }

    bool IsSandbox { get; }

    /// <summary>Where it is, safe to show: hosts and database, never credentials.</summary>
    string Address { get; }

    /// <summary>Standalone, replica set or sharded cluster, as the server says (<c>hello</c>); the sandbox says what its settings simulate.</summary>
    Task<TargetTopology> ReadTopologyAsync(CancellationToken cancellationToken);

    /// <summary>The live catalog: collections, options and indexes as the database reports them, and the schema version.</summary>
    Task<SchemaCatalog> ReadCatalogAsync(CancellationToken cancellationToken);

    Task<TargetHistory> ReadHistoryAsync(CancellationToken cancellationToken);

    /// <exception cref="TargetLockedException">Another run holds the target's lease.</exception>
    Task<TargetLease> AcquireLeaseAsync(LeaseHolder holder, CancellationToken cancellationToken);

    /// <param name="expectedAfter">The catalog the step must leave (the simulated target simply adopts it).</param>
    Task<StepOutcome> ExecuteStepAsync(IMigrationStep step, SchemaCatalog expectedAfter, StepExecution execution, CancellationToken cancellationToken);

    /// <summary>Forgets the batch checkpoints of a step once it has completed or been undone.</summary>
    Task ClearCheckpointsAsync(string stepKey, CancellationToken cancellationToken);

    /// <summary>The documents a pass of a step wrote in the batches its checkpoint says are done (0 for none): what a stopped step changed.</summary>
    Task<long> ReadCheckpointedWritesAsync(string stepKey, string pass, CancellationToken cancellationToken);

    /// <summary>Sets the schema version (0.0.0 removes the version document) and appends to the changelog.</summary>
    Task RecordAsync(SchemaVersion version, ChangelogEntry entry, CancellationToken cancellationToken);

    Task AppendChangelogAsync(ChangelogEntry entry, CancellationToken cancellationToken);

    /// <summary>What adoption compares: the collections whatever the version documents say, every version document, the changelog's size.</summary>
    Task<AdoptionSnapshot> ReadForAdoptionAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Adoption: records <paramref name="version"/> in the version document named <paramref name="keep"/> (a new one in the spec's shape
    /// when null), deletes every other version document, and appends <paramref name="entries"/> to the changelog. Touches no data and no index.
    /// </summary>
    Task AdoptAsync(SchemaVersion version, string? keep, IReadOnlyList<ChangelogEntry> entries, string adoptedBy, CancellationToken cancellationToken);

    /// <summary>The data fixes applied and undone in this database (<c>fix_journal</c>), oldest first.</summary>
    Task<IReadOnlyList<FixJournalEntry>> ReadFixJournalAsync(CancellationToken cancellationToken);

    Task AppendFixJournalAsync(FixJournalEntry entry, CancellationToken cancellationToken);

    /// <summary>How many documents still need <paramref name="fix"/> (its scope and idempotency rule): none once it has been applied.</summary>
    Task<long> CountNeedingFixAsync(DataFix fix, CancellationToken cancellationToken);

    /// <summary>How many documents the undo of the fix <paramref name="fixId"/> would restore: its records in <c>fix_undo</c>.</summary>
    Task<long> CountFixUndoRecordsAsync(string fixId, CancellationToken cancellationToken);
}
