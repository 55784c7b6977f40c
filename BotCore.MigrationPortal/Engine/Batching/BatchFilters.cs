using MongoDB.Bson;
using MongoDB.Driver;

namespace BotCore.MigrationPortal.Engine.Batching;

public static class BatchFilters
{
    /// <summary>The <c>_id</c> range a batch (sorted by <c>_id</c>) covers: one indexed filter for a whole batch of writes.</summary>
    public static FilterDefinition<BsonDocument> IdRangeOf(IReadOnlyList<BsonDocument> batch) =>
        Builders<BsonDocument>.Filter.Gte("_id", batch[0]["_id"]) & Builders<BsonDocument>.Filter.Lte("_id", batch[^1]["_id"]);
}
