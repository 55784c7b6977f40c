using BotCore.MigrationPortal.Engine.Batching;
using BotCore.MigrationPortal.Engine.Steps;
using MongoDB.Bson;
using MongoDB.Driver;

namespace BotCore.MigrationPortal.Fixes;

/// <summary>
/// The target's <c>fix_undo</c> collection: for each document a fix is about to change, what its fields held just before (and which
/// were absent), and what the fix sets. Each batch's records are written just before its fixes, in the batch's transaction on a
/// replica set, so that no document is changed without a way back and no batch leaves records without its fixes; the undo restores
/// from them and then forgets them.
/// </summary>
/// <remarks>
/// A record's <c>_id</c> is <c>{ fix, document }</c>: one record per fix and document, replaced (upsert) whenever a run finds the
/// document needing the fix again, since its values then are the ones from before this run's write. Its <c>run_id</c> is the run
/// that recorded it last. The passes over the records page them by
/// their <c>_id</c> as any batch does: the server compares embedded documents field by field in stored order, type before value
/// (manual, "Comparison/Sort Order", objects), and every record's <c>_id</c> is built in one order, so a range on it is exact.
/// </remarks>
public static class FixUndoRecords
{
    private static readonly FilterDefinitionBuilder<BsonDocument> Filter = Builders<BsonDocument>.Filter;

    /// <summary>
    /// Every record of the fix, whichever run wrote it: as a range on the whole <c>_id</c>, which the <c>_id</c> index serves with tight
    /// bounds (a filter on the path <c>_id.fix</c> cannot use it, and fix_undo only grows). Objects compare field by field, name
    /// before value, and MinKey/MaxKey sort below/above every value (manual, "Comparison/Sort Order"), so the records of one fix, all
    /// <c>{ fix, document }</c>, lie between <c>{ fix, document: MinKey }</c> and <c>{ fix, document: MaxKey }</c> and no other fix's do.
    /// </summary>
    public static FilterDefinition<BsonDocument> Of(string fixId) =>
        Filter.Gte("_id", new BsonDocument { { "fix", fixId }, { "document", BsonMinKey.Value } }) &
        Filter.Lte("_id", new BsonDocument { { "fix", fixId }, { "document", BsonMaxKey.Value } });

    /// <summary>The records of <paramref name="documents"/> (<c>_id</c>s of the fixed collection).</summary>
    public static FilterDefinition<BsonDocument> OfDocuments(IReadOnlyList<BsonValue> documents) => Filter.In("_id.document", documents);

    /// <summary>The records of documents other than <paramref name="documents"/> (<c>_id</c>s of the fixed collection).</summary>
    public static FilterDefinition<BsonDocument> NotOfDocuments(IReadOnlyList<BsonValue> documents) =>
        documents.Count == 0 ? FilterDefinition<BsonDocument>.Empty : Filter.Nin("_id.document", documents);

    /// <summary>The records a run wrote: the documents it fixes.</summary>
    public static FilterDefinition<BsonDocument> OfRun(string fixId, string runId) => Of(fixId) & Filter.Eq("run_id", runId);

    /// <summary>
    /// One record per document of the batch (sorted by <c>_id</c>): the previous values of the fix's fields, and the values it sets. A
    /// document that already holds exactly what the fix sets gets none: only a wrong idempotency rule matches it, and a record made
    /// now would replace the values from before the fix with the fix's own, so that the undo could not bring them back.
    /// </summary>
    public static IEnumerable<WriteModel<BsonDocument>> Record(DataFix fix, string runId, IReadOnlyList<BsonDocument> batch, DateTime now) =>
        batch.Where(document => !HoldsAlready(fix, document)).Select(document =>
        {
            var key = new BsonDocument { { "fix", fix.Id }, { "document", document["_id"] } };
            var record = new BsonDocument
            {
                { "_id", key },
                { "collection", fix.Collection },
                { "previous", new BsonDocument(fix.Fields.Where(document.Contains).Select(f => new BsonElement(f, document[f]))) },
                { "missing", new BsonArray(fix.Fields.Where(f => !document.Contains(f))) },
                { "set", fix.CheckedValuesFor(document) },
                { "run_id", runId },
                { "recorded_at", now },
            };
            // The filter and the replacement carry the same _id, which the server then keeps when it inserts (manual, replaceOne, upsert).
            return new ReplaceOneModel<BsonDocument>(Filter.Eq("_id", key), record) { IsUpsert = true };
        });

    private static bool HoldsAlready(DataFix fix, BsonDocument document) =>
        fix.CheckedValuesFor(document).All(e => document.TryGetValue(e.Name, out var value) && value.Equals(e.Value));

    /// <summary>
    /// The fix's write for each document of the batch (one each, in order), only where it still needs the fix: a document changed since
    /// the batch was read is left as it is.
    /// The filter is an explicit <c>$and</c>: combined with <c>&amp;</c>, the driver merges two clauses on one field whose values are
    /// both documents (AndFilterDefinition.AddClause), so a document <c>_id</c> and a scope on <c>_id</c> would become one literal
    /// that matches nothing.
    /// </summary>
    public static IEnumerable<WriteModel<BsonDocument>> Apply(DataFix fix, IReadOnlyList<BsonDocument> batch)
    {
        var pending = Engine.Mongosh.MongoshSyntax.Rendered(fix.Pending);
        return batch.Select(document => new UpdateOneModel<BsonDocument>(
            new BsonDocumentFilterDefinition<BsonDocument>(new BsonDocument("$and", new BsonArray { new BsonDocument("_id", document["_id"]), pending })),
            new BsonDocument("$set", fix.CheckedValuesFor(document))));
    }

    /// <summary>
    /// Puts each recorded document's previous values back (<c>$set</c> those it had, <c>$unset</c> those it lacked), only where it still
    /// holds exactly what the fix set: a value written since by the application is kept.
    /// </summary>
    public static IEnumerable<WriteModel<BsonDocument>> Restore(IReadOnlyList<BsonDocument> records) =>
        records.Select(record =>
        {
            var set = record["set"].AsBsonDocument;
            var stillFixed = Filter.And(set.Select(e => FieldFilters.HoldsExactly(e.Name, e.Value)));
            return new UpdateOneModel<BsonDocument>(Filter.Eq("_id", record["_id"]["document"]) & stillFixed, RestoreUpdate(record));
        });

    /// <summary><c>{ $set: previous, $unset: missing }</c>, each only when it has fields (the server refuses an empty <c>$set</c>).</summary>
    public static BsonDocument RestoreUpdate(BsonDocument record)
    {
        var update = new BsonDocument();
        var previous = record["previous"].AsBsonDocument;
        var missing = record["missing"].AsBsonArray;
        if (previous.ElementCount > 0) update["$set"] = previous;
        if (missing.Count > 0) update["$unset"] = new BsonDocument(missing.Select(f => new BsonElement(f.AsString, "")));
        return update;
    }

    /// <summary>
    /// The refusals a fix's passes tolerate: the collection's validator refusing the document a write would leave (under the
    /// default strict validation every update is checked, so a document that was already invalid cannot be changed at all). That one
    /// document is left and named; the others are written. The writes of <see cref="Apply"/> and <see cref="Restore"/> are one per
    /// document or record, in the batch's order, so a write's index names its document (<paramref name="documentAt"/>).
    /// </summary>
    private static ToleratedRefusals RefusedByValidator(string collection, Func<IReadOnlyList<BsonDocument>, int, BsonValue> documentAt) =>
        new(new HashSet<int> { ToleratedRefusals.DocumentValidationFailure }, $"the validator of {collection} refuses them", documentAt);

    /// <summary><see cref="RefusedByValidator"/> for the fix's pass over the documents (<see cref="Apply"/>).</summary>
    public static ToleratedRefusals DocumentsRefusedByValidator(string collection) => RefusedByValidator(collection, (batch, index) => batch[index]["_id"]);

    /// <summary><see cref="RefusedByValidator"/> for the undo's pass over the records (<see cref="Restore"/>).</summary>
    public static ToleratedRefusals RecordsRefusedByValidator(string collection) =>
        RefusedByValidator(collection, (records, index) => records[index]["_id"]["document"]);

    /// <summary>The documents a pass left because the server refused them, in words (the first <see cref="NamedLeft"/> by <c>_id</c>); empty for none.</summary>
    public static string Left(BatchSummary summary, ToleratedRefusals refusals) =>
        summary.Refused.Count == 0 ? "" :
            $"; {summary.Refused.Count:N0} {(summary.Refused.Count == 1 ? "document" : "documents")} left: {refusals.Reason}: _id " +
            string.Join(", ", summary.Refused.Take(NamedLeft)) + (summary.Refused.Count > NamedLeft ? $" and {summary.Refused.Count - NamedLeft:N0} more (in the run log)" : "");

    /// <summary>How many left documents a summary names; the run log names each batch's.</summary>
    public const int NamedLeft = 20;

    /// <summary>What a pass over the records did, in words.</summary>
    public static string Restored(BatchSummary summary) =>
        $"{summary.Written:N0} of {summary.Processed:N0} recorded documents restored" +
        (summary.Processed - summary.Refused.Count > summary.Written
            ? $"; {summary.Processed - summary.Refused.Count - summary.Written:N0} left as they are (changed since the fix, or already restored)" : "");
}
