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
/// </summary>
public sealed class BatchProcessor(
    IMongoCollection<BatchCheckpoint> checkpoints,
    string stepKey,
    string runId,
    BatchOptions options,
    StepReporter reporter,
    TimeProvider time,
    ILogger logger)
{
    private static readonly FilterDefinitionBuilder<BsonDocument> Filter = Builders<BsonDocument>.Filter;

    /// <param name="source">The collection paged through.</param>
    /// <param name="filter">Which documents of <paramref name="source"/> the pass visits.</param>
    /// <param name="destination">Where the writes go (often <paramref name="source"/> itself).</param>
    /// <param name="writesFor">The writes for one batch, sorted by <c>_id</c>; may be empty.</param>
    /// <param name="pass">Names the pass when a step makes more than one, so each keeps its own checkpoint.</param>
    public async Task<BatchSummary> ProcessAsync(
        IMongoCollection<BsonDocument> source,
        FilterDefinition<BsonDocument> filter,
        IMongoCollection<BsonDocument> destination,
        Func<IReadOnlyList<BsonDocument>, IEnumerable<WriteModel<BsonDocument>>> writesFor,
        CancellationToken cancellationToken,
        string pass = "main")
    {
        var checkpointId = $"{stepKey}/{pass}";
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
        var remaining = await source.CountDocumentsAsync(After(filter, lastId), cancellationToken: cancellationToken);
        var total = processed + remaining;
        var clock = Stopwatch.StartNew();
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var batch = await source.Find(After(filter, lastId))
                .Sort(Builders<BsonDocument>.Sort.Ascending("_id"))
                .Limit(options.BatchSize)
                .ToListAsync(cancellationToken);
            if (batch.Count == 0) break;

            var writes = writesFor(batch).ToList();
            if (writes.Count > 0)
            {
                var result = await destination.BulkWriteAsync(writes, new BulkWriteOptions { IsOrdered = false }, cancellationToken);
                written += result.InsertedCount + result.Upserts.Count + result.ModifiedCount + result.DeletedCount;
            }
            lastId = batch[^1]["_id"];
            processed += batch.Count;
            await SaveCheckpointAsync(checkpointId, lastId, processed, written, cancellationToken);

            var rate = (processed - resumedAfter) / Math.Max(clock.Elapsed.TotalSeconds, 0.001);
            total = Math.Max(total, processed);
            reporter.Batch(new BatchProgress(processed, total, rate, rate > 0 ? TimeSpan.FromSeconds((total - processed) / rate) : null));
            logger.LogDebug("Batch of {Count} from {Collection}: {Processed}/{Total}", batch.Count, source.CollectionNamespace.CollectionName, processed, total);

            if (batch.Count < options.BatchSize) break;
            if (options.PauseMilliseconds > 0)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(options.PauseMilliseconds), time, cancellationToken);
            }
        }
        return new BatchSummary(processed, written, resumedAfter);
    }

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

    private Task SaveCheckpointAsync(string id, BsonValue lastId, long processed, long written, CancellationToken cancellationToken) =>
        checkpoints.ReplaceOneAsync(c => c.Id == id,
            new BatchCheckpoint
            {
                Id = id, StepKey = stepKey, LastId = lastId, Processed = processed, Written = written, RunId = runId,
                UpdatedAt = time.GetUtcNow().UtcDateTime,
            },
            new ReplaceOptions { IsUpsert = true }, cancellationToken);
}
