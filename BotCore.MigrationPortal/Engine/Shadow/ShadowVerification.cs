using MongoDB.Bson;
using MongoDB.Driver;

namespace BotCore.MigrationPortal.Engine.Shadow;

/// <summary>
/// What the step checks before it swaps, inside the write pause: the shadow has as many documents as the collection, and a random
/// sample of the collection's documents (<c>$sample</c>) is in the shadow exactly as the transformation makes it.
/// </summary>
internal static class ShadowVerification
{
    /// <summary>How often the counts are taken again when deletes (which the pause does not stop) arrived between the two counts.</summary>
    private const int CountAttempts = 3;

    /// <param name="catchUp">Replays what arrived meanwhile and says how many events it replayed; null when writers are declared stopped.</param>
    /// <returns>The number of documents both hold.</returns>
    public static async Task<long> CountsAsync(IMongoCollection<BsonDocument> source, IMongoCollection<BsonDocument> shadow,
        Func<CancellationToken, Task<long>>? catchUp, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var inSource = await source.CountDocumentsAsync(FilterDefinition<BsonDocument>.Empty, cancellationToken: cancellationToken);
            var inShadow = await shadow.CountDocumentsAsync(FilterDefinition<BsonDocument>.Empty, cancellationToken: cancellationToken);
            var arrived = catchUp is null ? 0 : await catchUp(cancellationToken);
            if (inSource == inShadow && arrived == 0) return inSource;
            if (arrived == 0 || attempt == CountAttempts)
            {
                throw new MigrationEngineException(
                    $"The shadow {shadow.CollectionNamespace.CollectionName} holds {inShadow:N0} documents, {source.CollectionNamespace.CollectionName} " +
                    $"{inSource:N0}{(arrived > 0 ? $" (writes kept arriving: {arrived:N0} in the last check)" : "")}: the swap stops.");
            }
        }
    }

    /// <returns>How many sampled documents were compared.</returns>
    public static async Task<int> SampleAsync(IMongoCollection<BsonDocument> source, IMongoCollection<BsonDocument> shadow, ShadowTransform transform,
        int size, CancellationToken cancellationToken)
    {
        var sampled = await source.Aggregate().AppendStage<BsonDocument>(new BsonDocument("$sample", new BsonDocument("size", size)))
            .ToListAsync(cancellationToken);
        if (sampled.Count == 0) return 0;
        var expected = await transform.ExpectedAsync(source, sampled, cancellationToken);
        var ids = new BsonArray(sampled.Select(document => document["_id"]));
        var actual = (await shadow.Find(new BsonDocument("_id", new BsonDocument("$in", ids))).ToListAsync(cancellationToken)).ToDictionary(d => d["_id"]);
        foreach (var document in sampled)
        {
            var id = document["_id"];
            // Deleted since it was sampled (deletes pass the pause): the count check and the replay answer for it.
            if (!expected.TryGetValue(id, out var wanted)) continue;
            if (!actual.TryGetValue(id, out var found) || !found.Equals(wanted))
            {
                throw new MigrationEngineException(
                    $"The shadow {shadow.CollectionNamespace.CollectionName} does not hold _id {id} as the transformation makes it: expected {Shortened(wanted)}, " +
                    $"found {(found is null ? "nothing" : Shortened(found))}. The swap stops.");
            }
        }
        return sampled.Count;
    }

    private static string Shortened(BsonDocument document)
    {
        var json = document.ToJson();
        return json.Length <= 300 ? json : json[..300] + "…";
    }
}
