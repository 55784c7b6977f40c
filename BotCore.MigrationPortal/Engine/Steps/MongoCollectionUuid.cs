using BotCore.MigrationPortal.Engine.Catalog;
using MongoDB.Bson;
using MongoDB.Driver;

namespace BotCore.MigrationPortal.Engine.Steps;

/// <summary>
/// The UUID MongoDB gives a collection when it creates it (listCollections' <c>info.uuid</c>): a collection dropped and created
/// again under the same name has another one. A time-series collection is listed as a view without one, so its buckets
/// collection's UUID stands for it.
/// </summary>
public static class MongoCollectionUuid
{
    private const string BucketsPrefix = "system.buckets.";

    /// <returns>Null when no such collection exists, or the server lists it without a UUID.</returns>
    public static async Task<Guid?> ReadAsync(IMongoDatabase database, CollectionDefinition collection, CancellationToken cancellationToken)
    {
        var name = collection.Type == CollectionType.TimeSeries ? BucketsPrefix + collection.Name : collection.Name;
        var listed = await (await database.ListCollectionsAsync(new ListCollectionsOptions { Filter = new BsonDocument("name", name) }, cancellationToken))
            .FirstOrDefaultAsync(cancellationToken);
        return listed is null ? null : Of(listed);
    }

    /// <summary>The UUID of one <c>listCollections</c> entry.</summary>
    public static Guid? Of(BsonDocument listed) =>
        listed.GetValue("info", BsonNull.Value) is BsonDocument info && info.GetValue("uuid", BsonNull.Value) is BsonBinaryData { SubType: BsonBinarySubType.UuidStandard } uuid
            ? uuid.ToGuid()
            : null;
}
