using BotCore.MigrationPortal.Engine.Catalog;
using BotCore.MigrationPortal.Engine.Ports;
using BotCore.MigrationPortal.Engine.Steps;

namespace BotCore.MigrationPortal.Engine.Batching;

/// <summary>
/// Whether a step's batches run in transactions, and why: the one rule the runner follows and the migration page shows.
/// On a replica set or a sharded cluster, each batch of a data step commits its writes together with its checkpoint in one
/// transaction, so a crash never leaves a batch written but not recorded (or recorded but not written). Everything else runs
/// as before: each batch's bulk write, then its checkpoint, and a crash between the two makes the resumed run redo that batch,
/// which the data steps' writes tolerate (they are idempotent).
/// </summary>
public sealed record TransactionSupport(bool Transactional, string Reason)
{
    /// <summary>
    /// The most documents one transactional batch holds, whatever <c>Migrations:Batching:BatchSize</c> says: a transaction must
    /// commit within <c>transactionLifetimeLimitSeconds</c> (60 s by default) and its writes stay in the server's cache until it
    /// commits; larger batches are split into batches of this size.
    /// </summary>
    public const int MaxBatchSize = 10_000;

    /// <summary>The rule. <paramref name="catalog"/> is the catalog the step runs against (a data step leaves it as it is).</summary>
    public static TransactionSupport For(IMigrationStep step, SchemaCatalog catalog, TargetTopology topology)
    {
        if (step.Kind == StepKind.Schema)
        {
            return new(false, "a schema step (collections, indexes, validators): MongoDB runs such DDL outside transactions; " +
                "the runner checks the catalog after it instead");
        }
        // The server refuses writes to a time series inside a transaction (OperationNotSupportedInTransaction,
        // "Cannot insert into a time-series collection in a multi-document transaction": src/mongo/db/commands/write_ops).
        var timeSeries = step.Touches.Where(name => catalog.Find(name)?.Type == CollectionType.TimeSeries).ToList();
        if (timeSeries.Count > 0)
        {
            return new(false, $"it writes to the time-series collection {string.Join(", ", timeSeries)}, which MongoDB does not allow in a transaction");
        }
        if (!topology.HasTransactions())
        {
            return new(false, "a standalone server has no transactions (they need a replica set or a sharded cluster)");
        }
        return new(true, $"on a {(topology == TargetTopology.Sharded ? "sharded cluster" : "replica set")} each batch's writes commit together " +
            "with its checkpoint in one transaction");
    }

    /// <summary>What the migration page shows for a step before a target is chosen: the rule asked for a replica set and for a standalone server.</summary>
    public static string Describe(IMigrationStep step, SchemaCatalog catalog)
    {
        var replicaSet = For(step, catalog, TargetTopology.ReplicaSet);
        return replicaSet.Transactional
            ? "yes on a replica set or sharded cluster (each batch's writes commit with its checkpoint); no on a standalone server"
            : $"no: {replicaSet.Reason}";
    }

    public override string ToString() => $"transactional: {(Transactional ? "yes" : "no")}, {Reason}";
}
