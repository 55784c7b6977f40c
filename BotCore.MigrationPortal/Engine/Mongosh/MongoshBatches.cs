using BotCore.MigrationPortal.Engine.Batching;
using MongoDB.Bson;
using MongoDB.Driver;

namespace BotCore.MigrationPortal.Engine.Mongosh;

/// <summary>
/// The data steps' batches in mongosh: a helper function, written once at the top of a script, that pages through a collection by
/// <c>_id</c> as <see cref="BatchProcessor"/> does (sorted by <c>_id</c>, the next batch after the last <c>_id</c> seen, each batch's
/// writes as one unordered bulk write limited to the batch's <c>_id</c> range), and the call a step makes with its own filter and writes.
/// The portal's checkpoints, pauses, progress and transactions are not in the script.
/// </summary>
public static class MongoshBatches
{
    public const string Call = "inBatches(";

    public static readonly IReadOnlyList<string> Helper =
    [
        "// Pages through the documents of `collection` matching `filter` by _id, `size` at a time, and writes each batch with one",
        "// unordered bulkWrite of `writesFor(range)`, where range is { _id: { $gte: first, $lte: last } } of the batch.",
        "function inBatches(collection, filter, size, writesFor) {",
        "  let last;",
        "  for (;;) {",
        "    const batch = collection.find(last === undefined ? filter : { $and: [filter, { _id: { $gt: last } }] }, { _id: 1 }).sort({ _id: 1 }).limit(size).toArray();",
        "    if (batch.length === 0) return;",
        "    const writes = writesFor({ _id: { $gte: batch[0]._id, $lte: batch[batch.length - 1]._id } });",
        "    if (writes.length > 0) collection.bulkWrite(writes, { ordered: false });",
        "    last = batch[batch.length - 1]._id;",
        "    if (batch.length < size) return;",
        "  }",
        "}",
    ];

    /// <summary>What the step's batching is, for the comment above its call.</summary>
    public static string Describe(BatchOptions batching) =>
        $"in batches of {batching.BatchSize:N0} by _id" +
        (batching.BatchSize > TransactionSupport.MaxBatchSize ? $" ({TransactionSupport.MaxBatchSize:N0} where each batch runs in a transaction)" : "") +
        ", each batch's writes unordered, limited to its _id range";

    /// <summary>
    /// <c>inBatches(db.getCollection("c"), filter, size, range => [ { updateMany: { filter: { $and: [range, f] }, update: u } }, … ]);</c>
    /// </summary>
    public static IEnumerable<string> Updates(string collection, FilterDefinition<BsonDocument> filter, BatchOptions batching,
        IEnumerable<(FilterDefinition<BsonDocument> Filter, UpdateDefinition<BsonDocument> Update)> writes)
    {
        yield return $"{Call}{MongoshSyntax.Collection(collection)}, {MongoshSyntax.Value(MongoshSyntax.Rendered(filter))}, {batching.BatchSize}, range => [";
        foreach (var (where, update) in writes)
        {
            yield return $"  {{ updateMany: {{ filter: {{ $and: [range, {MongoshSyntax.Value(MongoshSyntax.Rendered(where))}] }}, " +
                $"update: {MongoshSyntax.Value(MongoshSyntax.Rendered(update))} }} }},";
        }
        yield return "]);";
    }
}
