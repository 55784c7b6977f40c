using BotCore.MigrationPortal.Checks.Mongo;
using BotCore.MigrationPortal.Engine.Catalog;
using BotCore.MigrationPortal.Text;
using MongoDB.Bson;
using MongoDB.Driver;

namespace BotCore.MigrationPortal.Checks.Pre;

/// <summary>
/// For a unique index the plan creates: documents that already share a key. createIndex fails on the first duplicate,
/// halfway through a run, so this is found before the run starts. Array values are grouped as whole arrays, while a
/// unique multikey index compares their elements, so duplicates inside arrays are not found here.
/// </summary>
internal sealed class UniqueIndexDuplicatesCheck(string collection, IndexDefinition index) : DatabaseCheck
{
    public const string IdPrefix = "pre.unique-index:";

    public override CheckDescriptor Descriptor { get; } = new($"{IdPrefix}{collection}.{index.Name}",
        $"No duplicate keys for unique index {collection}.{index.Name}",
        $"createIndex {CatalogJson.Inline(index.Key)} unique fails if documents of {collection} already share a key: " +
        "groups them by the key fields and lists keys held by more than one document.",
        CheckPhase.PreMigration, CheckSeverity.Blocking);

    protected override async Task<CheckFinding> RunAsync(IMongoDatabase database, CheckContext context, CancellationToken cancellationToken)
    {
        if (!context.Exists(collection)) return CheckFinding.NothingToCheck(collection);
        if (context.Live.Find(collection)!.Indexes.GetValueOrDefault(index.Name) == index)
        {
            return CheckFinding.Pass($"{collection}.{index.Name} is already in place, so MongoDB already refuses duplicates");
        }
        var fields = index.Key.Names.ToList();
        var documents = database.GetCollection<BsonDocument>(collection).Aggregate(MatchedDocuments.LargeCollections);
        // A partial unique index constrains only the documents its filter selects.
        if (index.PartialFilterExpression is { } partial) documents = documents.Match(new BsonDocumentFilterDefinition<BsonDocument>(partial));
        var duplicates = documents
            .Group(GroupByKey(fields))
            .Match(Builders<BsonDocument>.Filter.Gt("count", 1))
            .Sort(Builders<BsonDocument>.Sort.Descending("count"));
        var found = await MatchedDocuments.OfAsync(duplicates, MatchedDocuments.Fields(["_id", "count"]), cancellationToken);
        return found.Count == 0
            ? CheckFinding.Pass($"no two documents of {collection} share a key of {index.Name}")
            : CheckFinding.Fail($"{Counted.Of(found.Count, "key value")} of {index.Name} {Counted.Pick(found.Count, "is", "are")} held by more than one document of {collection}: createIndex would fail",
                found.Evidence(group => Describe(group, fields)));
    }

    /// <summary>
    /// Groups by the key fields. A unique index treats a missing field as null, so missing and null are one key here too
    /// ($ifNull). Field paths may be dotted, which a group key may not be, so the key parts are named by position.
    /// </summary>
    private static BsonDocument GroupByKey(IReadOnlyList<string> fields) => new()
    {
        { "_id", new BsonDocument(fields.Select((field, i) => new BsonElement($"k{i}", new BsonDocument("$ifNull", new BsonArray { $"${field}", BsonNull.Value })))) },
        { "count", new BsonDocument("$sum", 1) },
    };

    private static string Describe(BsonDocument group, IReadOnlyList<string> fields)
    {
        var key = group["_id"].AsBsonDocument;
        var named = new BsonDocument(fields.Select((field, i) => new BsonElement(field, key.GetValue($"k{i}", BsonNull.Value))));
        return $"{CatalogJson.Inline(named)} is held by {group["count"].ToInt64():N0} documents";
    }
}
