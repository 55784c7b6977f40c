using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Engine.Catalog;
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
    public const string VersionKey = "DATABASE_SCHEMA_VERSION";

    public static async Task<SchemaCatalog> ReadAsync(IMongoDatabase database, CancellationToken cancellationToken)
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
        return SchemaCatalog.Of(VersionOf(await ReadVersionDocumentAsync(database, cancellationToken)), collections);
    }

    /// <exception cref="MigrationEngineException">More than one version document: which one is right is for a person to decide.</exception>
    public static async Task<BsonDocument?> ReadVersionDocumentAsync(IMongoDatabase database, CancellationToken cancellationToken)
    {
        var documents = await database.GetCollection<BsonDocument>(TargetCollections.SystemConfig)
            .Find(new BsonDocument("key", VersionKey)).Limit(2).ToListAsync(cancellationToken);
        return documents.Count < 2
            ? documents.SingleOrDefault()
            : throw new MigrationEngineException(
                $"system_config holds more than one {VersionKey} document (the spec's 1.0.0 script inserts one each time it runs). Keep the right one and delete the others by hand.");
    }

    /// <summary>The version a <c>system_config</c> document records; 0.0.0 when there is none.</summary>
    public static SchemaVersion VersionOf(BsonDocument? document)
    {
        if (document is null) return SchemaVersion.Zero;
        var value = document.GetValue("value", BsonNull.Value);
        return value.IsString && SchemaVersion.TryParse(value.AsString, out var version)
            ? version
            : throw new MigrationEngineException(
                $"system_config holds {VersionKey} = {CatalogJson.Inline(value)}, which is not a schema version. Repair it by hand (for example \"1.2.0\").");
    }

    // MongoDB 6.3+ creates { metaField: 1, timeField: 1 } on every new time-series collection with a metaField.
    private static bool IsImplicit(IndexDefinition index, CollectionOptions options) =>
        index.Name == "_id_"
        || (options.TimeSeries is { MetaField: { } meta } ts
            && index.Key.Equals(new BsonDocument { { meta, 1 }, { ts.TimeField, 1 } })
            && !index.Unique && index.PartialFilterExpression is null);
}
