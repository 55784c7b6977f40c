using System.Diagnostics;
using BotCore.MigrationPortal.Engine.Running;
using Microsoft.Extensions.Logging;
using MongoDB.Bson;
using MongoDB.Driver;

namespace BotCore.MigrationPortal.Engine.Batching;

/// <summary>
/// Runs a data change over a collection in batches. Pages by <c>_id</c> range (the spec's skip/limit loop
/// rescans the collection on every batch), writes each batch with one unordered bulk write, pauses between
/// batches, saves a checkpoint after each batch and reports progress with rate and ETA.
/// With <paramref name="transactions"/> (a replica set or sharded cluster, and a step <see cref="TransactionSupport.For"/> allows),
/// each batch's bulk write and its checkpoint commit together in one transaction; without, the checkpoint follows the write.
/// </summary>
/// <param name="transactions">The client whose sessions run the transactions; null for none.</param>
/// <param name="betweenBatches">Asked after each batch but the last, outside any transaction (a run's pause holds the pass there); null for none.</param>
public sealed class BatchProcessor(
    IMongoCollection<BatchCheckpoint> checkpoints,
    string stepKey,
    string runId,
    BatchOptions options,
    StepReporter reporter,
    TimeProvider time,
    ILogger logger,
    IMongoClient? transactions = null,
    BatchBoundary? betweenBatches = null)
{
    private static readonly FilterDefinitionBuilder<BsonDocument> Filter = Builders<BsonDocument>.Filter;

    /// <param name="source">The collection paged through.</param>
    /// <param name="filter">Which documents of <paramref name="source"/> the pass visits.</param>
    /// <param name="destination">Where the writes go (often <paramref name="source"/> itself).</param>
    /// <param name="writesFor">The writes for one batch, sorted by <c>_id</c>; may be empty.</param>
    /// <param name="pass">Names the pass when a step makes more than one, so each keeps its own checkpoint.</param>
    /// <param name="tolerated">The per-document refusals that leave that document as it is instead of stopping the pass; null for none.</param>
    /// <param name="first">Writes to another collection made before each batch's own, in its transaction when there is one; null for none.</param>
    public async Task<BatchSummary> ProcessAsync(
        IMongoCollection<BsonDocument> source,
        FilterDefinition<BsonDocument> filter,
        IMongoCollection<BsonDocument> destination,
        Func<IReadOnlyList<BsonDocument>, IEnumerable<WriteModel<BsonDocument>>> writesFor,
        CancellationToken cancellationToken,
        string pass = "main",
        ToleratedRefusals? tolerated = null,
        BatchCompanion? first = null)
    {
        var refused = new List<BsonValue>();
        var checkpointId = CheckpointId(stepKey, pass);
        var checkpoint = await checkpoints.Find(c => c.Id == checkpointId).FirstOrDefaultAsync(cancellationToken);
        var lastId = checkpoint?.LastId;
        var resumedAfter = checkpoint?.Processed ?? 0;
        var processed = resumedAfter;
        var written = checkpoint?.Written ?? 0;
        if (checkpoint is not null)
        {
            reporter.Log($"Resuming {source.CollectionNamespace.CollectionName} after {resumedAfter:N0} documents (checkpoint of run {checkpoint.RunId}).");
        }

        await RefuseMixedIdTypesAsync(source, cancellationToken);
        var batchSize = options.BatchSize;
        if (transactions is not null)
        {
            await CreateOutsideTransactionAsync(destination, cancellationToken);
            if (first is not null) await CreateOutsideTransactionAsync(first.Collection, cancellationToken);
            await CreateOutsideTransactionAsync(checkpoints, cancellationToken);
            if (batchSize > TransactionSupport.MaxBatchSize)
            {
                batchSize = TransactionSupport.MaxBatchSize;
                reporter.Log($"Batches of {options.BatchSize:N0} documents are too large for one transaction each: this step runs batches of {batchSize:N0}.");
            }
        }
        var remaining = await source.CountDocumentsAsync(After(filter, lastId), cancellationToken: cancellationToken);
        var total = processed + remaining;
        var clock = Stopwatch.StartNew();
        var held = TimeSpan.Zero;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var batch = await source.Find(After(filter, lastId))
                .Sort(Builders<BsonDocument>.Sort.Ascending("_id"))
                .Limit(batchSize)
                .ToListAsync(cancellationToken);
            if (batch.Count == 0) break;

            var writes = writesFor(batch).ToList();
            lastId = batch[^1]["_id"];
            processed += batch.Count;
            var done = new BatchWrite(destination, writes, checkpointId, lastId, processed, written)
            {
                First = first is null ? null : (first.Collection, first.WritesFor(batch).ToList()),
            };
            var (batchWritten, batchRefused) = transactions is null
                ? await WriteThenCheckpointAsync(done, tolerated, cancellationToken)
                : await WriteWithCheckpointInTransactionAsync(transactions, done, tolerated, cancellationToken);
            written += batchWritten;
            var refusedIds = batchRefused.Select(e => tolerated!.DocumentAt(batch, e.Index)).ToList();
            if (refusedIds.Count > 0)
            {
                reporter.Log($"{refusedIds.Count:N0} documents of this batch left as they are: {tolerated!.Reason}: _id {string.Join(", ", refusedIds)}.", RunEventLevel.Warning);
                refused.AddRange(refusedIds);
            }

            // A pause a person asked for is not the database's pace.
            var rate = (processed - resumedAfter) / Math.Max((clock.Elapsed - held).TotalSeconds, 0.001);
            total = Math.Max(total, processed);
            reporter.Batch(new BatchProgress(processed, total, rate, rate > 0 ? TimeSpan.FromSeconds((total - processed) / rate) : null));
            logger.LogDebug("Batch of {Count} from {Collection}: {Processed}/{Total}", batch.Count, source.CollectionNamespace.CollectionName, processed, total);

            if (batch.Count < batchSize) break;
            held += await BetweenBatches.PassAsync(betweenBatches, new BatchPosition(checkpointId, BetweenBatches.Number(processed, batchSize), processed, total),
                options.PauseMilliseconds, time, cancellationToken);
        }
        return new BatchSummary(processed, written, resumedAfter) { Refused = refused };
    }

    /// <summary>The checkpoint of one pass of a step.</summary>
    public static string CheckpointId(string stepKey, string pass) => $"{stepKey}/{pass}";

    /// <summary>
    /// Range queries on <c>_id</c> only match values of one type class (all numbers are one), so paging a collection
    /// whose ids mix classes would silently skip documents. Sorted by <c>_id</c>, classes come in blocks: the first
    /// and last ids tell.
    /// </summary>
    private static async Task RefuseMixedIdTypesAsync(IMongoCollection<BsonDocument> source, CancellationToken cancellationToken)
    {
        var ids = Builders<BsonDocument>.Projection.Include("_id");
        var first = await source.Find(FilterDefinition<BsonDocument>.Empty).Sort(Builders<BsonDocument>.Sort.Ascending("_id")).Project(ids).FirstOrDefaultAsync(cancellationToken);
        var last = await source.Find(FilterDefinition<BsonDocument>.Empty).Sort(Builders<BsonDocument>.Sort.Descending("_id")).Project(ids).FirstOrDefaultAsync(cancellationToken);
        if (first is not null && last is not null && TypeClass(first["_id"]) != TypeClass(last["_id"]))
        {
            throw new MigrationEngineException(
                $"Collection '{source.CollectionNamespace.CollectionName}' has _id values of more than one type ({first["_id"].BsonType} and {last["_id"].BsonType}): " +
                "batching by _id range would skip documents. Make the ids one type, or migrate this collection by hand.");
        }
    }

    private static string TypeClass(BsonValue id) => id.IsNumeric ? "number" : id.BsonType.ToString();

    private static FilterDefinition<BsonDocument> After(FilterDefinition<BsonDocument> filter, BsonValue? lastId) =>
        lastId is null ? filter : filter & Filter.Gt("_id", lastId);

    /// <summary>One batch's writes and the checkpoint to save with them.</summary>
    private sealed record BatchWrite(IMongoCollection<BsonDocument> Destination, List<WriteModel<BsonDocument>> Writes, string CheckpointId, BsonValue LastId,
        long Processed, long WrittenBefore)
    {
        /// <summary>The <see cref="BatchCompanion"/>'s writes for this batch, made before <see cref="Writes"/>; not counted as the pass's.</summary>
        public (IMongoCollection<BsonDocument> Collection, List<WriteModel<BsonDocument>> Writes)? First { get; init; }
    }

    /// <returns>The documents the batch wrote, and the tolerated refusals.</returns>
    private async Task<(long Written, IReadOnlyList<BulkWriteError> Refused)> WriteThenCheckpointAsync(BatchWrite batch, ToleratedRefusals? tolerated,
        CancellationToken cancellationToken)
    {
        var (written, refused) = await WriteToleratingAsync(batch, tolerated, cancellationToken);
        await checkpoints.ReplaceOneAsync(c => c.Id == batch.CheckpointId, Checkpoint(batch.CheckpointId, batch.LastId, batch.Processed, batch.WrittenBefore + written),
            Upsert, cancellationToken);
        return (written, refused);
    }

    /// <summary>
    /// The batch's unordered bulk write outside a transaction. The server carries on past a refused write of an unordered batch
    /// (write_ops_exec.cpp handleError: <c>return !ordered</c>), and the driver then throws <see cref="MongoBulkWriteException{T}"/>
    /// with every error and the counts of the writes applied; when all errors are tolerated, those counts are the batch's.
    /// </summary>
    private static async Task<(long Written, IReadOnlyList<BulkWriteError> Refused)> WriteToleratingAsync(BatchWrite batch, ToleratedRefusals? tolerated,
        CancellationToken cancellationToken)
    {
        if (batch.First is { Writes.Count: > 0 } first) await first.Collection.BulkWriteAsync(first.Writes, Unordered, cancellationToken);
        if (batch.Writes.Count == 0) return (0, []);
        try
        {
            return (Written(await batch.Destination.BulkWriteAsync(batch.Writes, Unordered, cancellationToken)), []);
        }
        catch (MongoBulkWriteException<BsonDocument> e) when (tolerated is not null && tolerated.TolerateAll(e))
        {
            return (Written(e.Result), e.WriteErrors);
        }
    }

    /// <summary>
    /// The batch's writes and its checkpoint in one transaction (driver: <c>IClientSessionHandle.WithTransactionAsync</c>, which
    /// retries the callback on TransientTransactionError and the commit on UnknownTransactionCommitResult, up to 120 s). Nothing
    /// here creates a collection: <see cref="CreateOutsideTransactionAsync"/> did before the first batch. A refused write fails the
    /// whole transaction whatever <c>ordered</c> says (write_ops_exec.cpp handleError: "If we are in a transaction, we must fail the
    /// whole batch", and it aborts it); when that refusal is tolerated, the batch is written again without a transaction, where the
    /// server skips only the refused documents. That is safe because the passes that tolerate refusals are idempotent: each write is
    /// filtered on what it changes.
    /// </summary>
    /// <returns>The documents the batch wrote, and the tolerated refusals.</returns>
    private async Task<(long Written, IReadOnlyList<BulkWriteError> Refused)> WriteWithCheckpointInTransactionAsync(IMongoClient client, BatchWrite batch,
        ToleratedRefusals? tolerated, CancellationToken cancellationToken)
    {
        try
        {
            using var session = await client.StartSessionAsync(cancellationToken: cancellationToken);
            var written = await session.WithTransactionAsync(async (handle, token) =>
            {
                // Ordered inside a transaction: the server fails the whole batch on its first refused write anyway, and an unordered batch the
                // driver splits (over 48 MB) would go on sending into the aborted transaction (NoSuchTransaction, retried as transient).
                if (batch.First is { Writes.Count: > 0 } first) await first.Collection.BulkWriteAsync(handle, first.Writes, Ordered, token);
                var written = batch.Writes.Count > 0 ? Written(await batch.Destination.BulkWriteAsync(handle, batch.Writes, Ordered, token)) : 0;
                await checkpoints.ReplaceOneAsync(handle, Builders<BatchCheckpoint>.Filter.Eq(c => c.Id, batch.CheckpointId),
                    Checkpoint(batch.CheckpointId, batch.LastId, batch.Processed, batch.WrittenBefore + written), Upsert, token);
                return written;
            }, cancellationToken: cancellationToken);
            return (written, []);
        }
        catch (MongoBulkWriteException<BsonDocument> e) when (tolerated is not null && tolerated.TolerateAll(e))
        {
            reporter.Log($"The server refused a write of this batch ({tolerated.Reason}) and rolled the batch's transaction back: " +
                "writing the batch again without a transaction, leaving the refused documents as they are.", RunEventLevel.Warning);
            return await WriteThenCheckpointAsync(batch, tolerated, cancellationToken);
        }
    }

    /// <summary>
    /// Creates a collection a transaction will write to, outside it: an implicit create inside a transaction is refused on older
    /// servers and in cross-shard transactions, and adds a DDL lock to every batch. A collection that exists already is fine.
    /// </summary>
    private static async Task CreateOutsideTransactionAsync<T>(IMongoCollection<T> collection, CancellationToken cancellationToken)
    {
        var name = collection.CollectionNamespace.CollectionName;
        var existing = await (await collection.Database.ListCollectionNamesAsync(
            new ListCollectionNamesOptions { Filter = new BsonDocument("name", name) }, cancellationToken)).AnyAsync(cancellationToken);
        if (existing) return;
        try
        {
            await collection.Database.CreateCollectionAsync(name, cancellationToken: cancellationToken);
        }
        catch (MongoCommandException e) when (e.Code == NamespaceExists)
        {
            // Created by someone else meanwhile.
        }
    }

    /// <summary>ErrorCodes::NamespaceExists (src/mongo/base/error_codes.yml).</summary>
    private const int NamespaceExists = 48;

    private static readonly BulkWriteOptions Unordered = new() { IsOrdered = false };

    private static readonly BulkWriteOptions Ordered = new() { IsOrdered = true };

    private static readonly ReplaceOptions Upsert = new() { IsUpsert = true };

    private static long Written(BulkWriteResult<BsonDocument> result) => result.InsertedCount + result.Upserts.Count + result.ModifiedCount + result.DeletedCount;

    private BatchCheckpoint Checkpoint(string id, BsonValue lastId, long processed, long written) => new()
    {
        Id = id, StepKey = stepKey, LastId = lastId, Processed = processed, Written = written, RunId = runId, UpdatedAt = time.GetUtcNow().UtcDateTime,
    };
}

/// <summary>
/// Writes a pass makes for each batch to another collection before the batch's own, committed with them when the pass is
/// transactional (a fix's undo records: no document is fixed without its record, and no record outlives a batch that was not written).
/// </summary>
public sealed record BatchCompanion(IMongoCollection<BsonDocument> Collection, Func<IReadOnlyList<BsonDocument>, IEnumerable<WriteModel<BsonDocument>>> WritesFor);
