using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Engine.Catalog;
using BotCore.MigrationPortal.Engine.History;
using BotCore.MigrationPortal.Engine.Ports;
using MongoDB.Bson;
using MongoDB.Driver;

namespace BotCore.MigrationPortal.Targets;

/// <summary>
/// Reads a live database into a <see cref="SchemaCatalog"/> with <c>listCollections</c>, <c>listIndexes</c> and
/// the spec's <c>system_config</c> version document. Leaves out what MongoDB creates by itself (the <c>_id_</c>
/// index, the meta/time index of a time-series collection, <c>system.*</c>) and the portal's bookkeeping.
/// </summary>
public static class MongoCatalogReader
{
    public const string VersionKey = VersionDocument.Key;

    public static async Task<SchemaCatalog> ReadAsync(IMongoDatabase database, CancellationToken cancellationToken) =>
        (await ReadCollectionsAsync(database, cancellationToken)).WithVersion(VersionDocument.VersionOf(await ReadVersionDocumentsAsync(database, cancellationToken)));

    /// <summary>The collections, options and indexes, whatever the version documents say (the catalog's version is 0.0.0).</summary>
    public static async Task<SchemaCatalog> ReadCollectionsAsync(IMongoDatabase database, CancellationToken cancellationToken)
    {
        var collections = new List<CollectionDefinition>();
        var listed = await (await database.ListCollectionsAsync(cancellationToken: cancellationToken)).ToListAsync(cancellationToken);
        foreach (var info in listed)
        {
            var name = info["name"].AsString;
            var type = info.GetValue("type", "collection").AsString;
            if (TargetCollections.IsOutsideCatalog(name) || type is not ("collection" or "timeseries")) continue;

            var options = CatalogJson.OptionsFrom(info.GetValue("options", new BsonDocument()).AsBsonDocument);
            var collection = new CollectionDefinition(name, type == "timeseries" ? CollectionType.TimeSeries : CollectionType.Collection, options);
            var indexes = await (await database.GetCollection<BsonDocument>(name).Indexes.ListAsync(cancellationToken)).ToListAsync(cancellationToken);
            collections.Add(indexes
                .Select(CatalogJson.IndexFrom)
                .Where(index => !IsImplicit(index, options))
                .Aggregate(collection, (c, index) => c.WithIndex(index)));
        }
        return SchemaCatalog.Of(SchemaVersion.Zero, collections);
    }

    /// <summary>
    /// Every version document of <c>system_config</c>, in <c>_id</c> order (for ObjectIds, the order they were inserted in, to the
    /// second). Not natural order: the server does not promise one.
    /// </summary>
    public static async Task<IReadOnlyList<VersionDocument>> ReadVersionDocumentsAsync(IMongoDatabase database, CancellationToken cancellationToken) =>
        (await database.GetCollection<BsonDocument>(TargetCollections.SystemConfig).Find(new BsonDocument("key", VersionDocument.Key))
            .Sort(Builders<BsonDocument>.Sort.Ascending("_id")).ToListAsync(cancellationToken))
            .Select(document => new VersionDocument(
                IdText(document["_id"]),
                document.GetValue("value", BsonNull.Value) is { IsString: true } value ? value.AsString : null,
                DateOf(document, "created_at"),
                DateOf(document, "updated_at"),
                document.GetValue("updated_by", BsonNull.Value) is { IsString: true } by ? by.AsString : null))
            .ToList();

    /// <summary>A version document's <c>_id</c> as <see cref="VersionDocument.Id"/> names it: an ObjectId as its 24 hex digits.</summary>
    public static string IdText(BsonValue id) => id.ToString()!;

    private static DateTime? DateOf(BsonDocument document, string field) =>
        document.GetValue(field, BsonNull.Value) is { IsValidDateTime: true } at ? at.ToUniversalTime() : null;

    // MongoDB 6.3+ creates { metaField: 1, timeField: 1 } on every new time-series collection with a metaField.
    private static bool IsImplicit(IndexDefinition index, CollectionOptions options) =>
        index.Name == "_id_"
        || (options.TimeSeries is { MetaField: { } meta } ts
            && index.Key.Equals(new BsonDocument { { meta, 1 }, { ts.TimeField, 1 } })
            && !index.Unique && index.PartialFilterExpression is null);
}
