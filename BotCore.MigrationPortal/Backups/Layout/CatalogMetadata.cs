using BotCore.MigrationPortal.Engine.Catalog;
using MongoDB.Bson;

namespace BotCore.MigrationPortal.Backups.Layout;

/// <summary>
/// A collection of the portal's catalog model in mongodump's metadata shape and back. Sandbox backups are written from the
/// simulated catalog and restored into it this way; the <c>_id</c> index is written as mongodump does and left out when read.
/// </summary>
public static class CatalogMetadata
{
    public static CollectionMetadata From(CollectionDefinition collection) => new(
        collection.Name,
        collection.Type.ToMongoName(),
        CatalogJson.ToBson(collection.Options),
        [CollectionMetadata.IdIndex(), .. collection.Indexes.Values.Select(IndexDocument)],
        Guid.NewGuid().ToString("N"));

    /// <exception cref="BackupFileDamagedException">The metadata holds options or indexes the catalog cannot describe.</exception>
    public static CollectionDefinition ToDefinition(CollectionMetadata metadata, string fileName)
    {
        try
        {
            var type = metadata.IsTimeSeries ? CollectionType.TimeSeries : CollectionType.Collection;
            return metadata.Indexes
                .Where(index => index["name"].AsString != CollectionMetadata.IdIndexName)
                .Select(ReadIndex)
                .Aggregate(new CollectionDefinition(metadata.CollectionName, type, ReadOptions(metadata.Options)), (collection, index) => collection.WithIndex(index));
        }
        catch (Exception e) when (e is InvalidCastException or KeyNotFoundException or ArgumentException)
        {
            throw new BackupFileDamagedException(fileName, $"its options or indexes are not in the shape MongoDB reports them ({e.Message})", e);
        }
    }

    private static BsonDocument IndexDocument(IndexDefinition index)
    {
        var document = new BsonDocument { { "v", 2 }, { "key", index.Key }, { "name", index.Name } };
        if (index.Unique) document["unique"] = true;
        if (index.ExpireAfterSeconds is { } expire) document["expireAfterSeconds"] = expire;
        if (index.PartialFilterExpression is not null) document["partialFilterExpression"] = index.PartialFilterExpression;
        return document;
    }

    private static CollectionOptions ReadOptions(BsonDocument options)
    {
        TimeSeriesDefinition? timeSeries = null;
        if (options.GetValue("timeseries", BsonNull.Value) is BsonDocument ts)
        {
            timeSeries = new TimeSeriesDefinition(ts["timeField"].AsString, ts.GetValue("metaField", BsonNull.Value) is { IsString: true } meta ? meta.AsString : null,
                ts.GetValue("granularity", "custom").AsString);
        }
        return new CollectionOptions(
            options.GetValue("validator", BsonNull.Value) as BsonDocument,
            options.GetValue("validationLevel", BsonNull.Value) is { IsString: true } level ? level.AsString : null,
            options.GetValue("validationAction", BsonNull.Value) is { IsString: true } action ? action.AsString : null,
            timeSeries,
            options.GetValue("expireAfterSeconds", BsonNull.Value) is { IsNumeric: true } expire ? expire.ToInt64() : null);
    }

    private static IndexDefinition ReadIndex(BsonValue value)
    {
        var index = value.AsBsonDocument;
        return new IndexDefinition(
            index["name"].AsString,
            index["key"].AsBsonDocument,
            index.GetValue("unique", false).ToBoolean(),
            index.GetValue("expireAfterSeconds", BsonNull.Value) is { IsNumeric: true } expire ? expire.ToInt64() : null,
            index.GetValue("partialFilterExpression", BsonNull.Value) as BsonDocument);
    }
}
