using MongoDB.Bson;
using MongoDB.Driver;

namespace BotCore.MigrationPortal.Engine.Shadow;

/// <summary>
/// What the step checks before it swaps: the shadow has as many documents as the collection (before the write pause when the counts
/// settle there: each count scans a whole collection), and a random sample of the collection's documents (<c>$sample</c>, inside the
/// pause) is in the shadow exactly as the transformation makes it.
/// </summary>
/// <remarks>
/// A change stream returns only majority-committed writes, and the pause does not stop deletes: a difference may be a write that has
/// not reached the stream yet. So a difference is checked again after the stream is caught up once more, a few times, before it
/// stops the swap. The swap itself does not rely on these checks: every write before the rename is replayed (see
/// <see cref="ShadowChangeFeed.ReplayUntilRenamedAsync"/>); they catch a transformation or a copy that went wrong.
/// </remarks>
internal static class ShadowVerification
{
    private const int Attempts = 5;

    /// <param name="catchUp">Replays what arrived meanwhile; null when writers are declared stopped.</param>
    /// <returns>The number of documents both hold.</returns>
    public static async Task<long> CountsAsync(IMongoCollection<BsonDocument> source, IMongoCollection<BsonDocument> shadow,
        Func<CancellationToken, Task<long>>? catchUp, CancellationToken cancellationToken) =>
        (await CountsAsync(source, shadow, catchUp, mustSettle: true, cancellationToken))!.Value;

    /// <summary>
    /// The counts compared while writers may still insert (before the pause): writers can keep them apart however often the stream is
    /// caught up, so a difference that remains is not a failure here but null, and the counts are compared again inside the pause.
    /// With writers declared stopped (<paramref name="catchUp"/> null) nothing can move them, and a difference stops the rebuild.
    /// </summary>
    /// <returns>The number of documents both hold, or null when they did not settle.</returns>
    public static Task<long?> SettledCountAsync(IMongoCollection<BsonDocument> source, IMongoCollection<BsonDocument> shadow,
        Func<CancellationToken, Task<long>>? catchUp, CancellationToken cancellationToken) =>
        CountsAsync(source, shadow, catchUp, mustSettle: catchUp is null, cancellationToken);

    private static async Task<long?> CountsAsync(IMongoCollection<BsonDocument> source, IMongoCollection<BsonDocument> shadow,
        Func<CancellationToken, Task<long>>? catchUp, bool mustSettle, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var inSource = await source.CountDocumentsAsync(FilterDefinition<BsonDocument>.Empty, cancellationToken: cancellationToken);
            var inShadow = await shadow.CountDocumentsAsync(FilterDefinition<BsonDocument>.Empty, cancellationToken: cancellationToken);
            if (inSource == inShadow) return inSource;
            if (catchUp is null || attempt == Attempts)
            {
                if (!mustSettle) return null;
                throw new MigrationEngineException(
                    $"The shadow {shadow.CollectionNamespace.CollectionName} holds {inShadow:N0} documents, {source.CollectionNamespace.CollectionName} {inSource:N0}: the swap stops.");
            }
            await catchUp(cancellationToken);
        }
    }

    /// <returns>How many sampled documents were compared.</returns>
    public static async Task<int> SampleAsync(IMongoCollection<BsonDocument> source, IMongoCollection<BsonDocument> shadow, ShadowTransform transform,
        int size, Func<CancellationToken, Task<long>>? catchUp, CancellationToken cancellationToken)
    {
        var sampled = await source.Aggregate().AppendStage<BsonDocument>(new BsonDocument("$sample", new BsonDocument("size", size)))
            .Project(Builders<BsonDocument>.Projection.Include("_id")).ToListAsync(cancellationToken);
        IReadOnlyList<BsonValue> ids = sampled.Select(document => document["_id"]).ToList();
        for (var attempt = 1; ids.Count > 0; attempt++)
        {
            var differences = await DifferencesAsync(source, shadow, transform, ids, cancellationToken);
            if (differences.Count == 0) break;
            if (catchUp is null || attempt == Attempts)
            {
                var (id, wanted, found) = differences[0];
                throw new MigrationEngineException(
                    $"The shadow {shadow.CollectionNamespace.CollectionName} does not hold _id {id} as the transformation makes it " +
                    $"({differences.Count:N0} of {sampled.Count:N0} sampled differ): expected {Shortened(wanted)}, found {(found is null ? "nothing" : Shortened(found))}. The swap stops.");
            }
            await catchUp(cancellationToken);
            ids = differences.Select(d => d.Id).ToList();
        }
        return sampled.Count;
    }

    /// <summary>The documents of <paramref name="ids"/> still in the source whose shadow is not their transformation.</summary>
    private static async Task<List<(BsonValue Id, BsonDocument Wanted, BsonDocument? Found)>> DifferencesAsync(IMongoCollection<BsonDocument> source,
        IMongoCollection<BsonDocument> shadow, ShadowTransform transform, IReadOnlyList<BsonValue> ids, CancellationToken cancellationToken)
    {
        var byId = new BsonDocument("_id", new BsonDocument("$in", new BsonArray(ids)));
        // Deleted since they were sampled (deletes pass the pause): the count check and the replay answer for those.
        var sources = await source.Find(byId).ToListAsync(cancellationToken);
        var expected = await transform.ExpectedAsync(source, sources, cancellationToken);
        var actual = (await shadow.Find(byId).ToListAsync(cancellationToken)).ToDictionary(d => d["_id"]);
        return expected
            .Select(pair => (Id: pair.Key, Wanted: pair.Value, Found: actual.GetValueOrDefault(pair.Key)))
            .Where(d => d.Found is null || !d.Found.Equals(d.Wanted))
            .ToList();
    }

    private static string Shortened(BsonDocument document)
    {
        var json = document.ToJson();
        return json.Length <= 300 ? json : json[..300] + "…";
    }
}
