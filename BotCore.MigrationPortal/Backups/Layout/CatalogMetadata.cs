using BotCore.MigrationPortal.Engine.Catalog;
using MongoDB.Bson;

namespace BotCore.MigrationPortal.Backups.Layout;

/// <summary>
/// A collection of the portal's catalog model in mongodump's metadata shape and back. Sandbox backups are written from the
/// simulated catalog and restored into it this way; the <c>_id</c> index of a plain collection is written as mongodump does and left
/// out when read.
/// </summary>
public static class CatalogMetadata
{
    /// <summary>A time-series collection has no <c>_id</c> index, and mongorestore would turn one into an idIndex option the server refuses with timeseries.</summary>
    public static CollectionMetadata From(CollectionDefinition collection) => new(
        collection.Name,
        collection.Type.ToMongoName(),
        CatalogJson.ToBson(collection.Options),
        collection.Type == CollectionType.TimeSeries
            ? collection.Indexes.Values.Select(IndexDocument).ToList()
            : [CollectionMetadata.IdIndex(), .. collection.Indexes.Values.Select(IndexDocument)],
        Guid.NewGuid().ToString("N"));

    /// <exception cref="BackupFileDamagedException">The metadata holds options or indexes the catalog cannot describe.</exception>
    public static CollectionDefinition ToDefinition(CollectionMetadata metadata, string fileName)
    {
        try
        {
            var type = metadata.IsTimeSeries ? CollectionType.TimeSeries : CollectionType.Collection;
            return metadata.Indexes
                .Where(index => index["name"].AsString != CollectionMetadata.IdIndexName)
                .Select(CatalogJson.IndexFrom)
                .Aggregate(new CollectionDefinition(metadata.CollectionName, type, CatalogJson.OptionsFrom(metadata.Options)), (collection, index) => collection.WithIndex(index));
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
}
