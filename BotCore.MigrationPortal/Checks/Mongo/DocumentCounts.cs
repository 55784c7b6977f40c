using MongoDB.Bson;
using MongoDB.Driver;

namespace BotCore.MigrationPortal.Checks.Mongo;

/// <summary>Exact document counts, for the before/after comparison of a run.</summary>
public static class DocumentCounts
{
    /// <summary>
    /// Counts the documents of each collection. countDocuments, not the estimate from metadata: the estimate can be off
    /// after an unclean shutdown, and a comparison needs exact numbers.
    /// </summary>
    public static async Task<IReadOnlyDictionary<string, long>> CountAsync(IMongoDatabase database, IEnumerable<string> collections,
        CancellationToken cancellationToken)
    {
        var counts = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var name in collections)
        {
            counts[name] = await database.GetCollection<BsonDocument>(name)
                .CountDocumentsAsync(FilterDefinition<BsonDocument>.Empty, cancellationToken: cancellationToken);
        }
        return counts;
    }
}
